"""Every write of account opening: batches of accounts, activation, first password change.

Activation tokens and initial passwords are returned once by the service that makes them and
never stored in clear (a token is kept as its SHA-256, a password as Django's hash)."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from dangjian.accounts import events, rules, selectors
from dangjian.accounts.backends import matches_initial
from dangjian.accounts.models import AccountBatch, AccountGrant
from dangjian.core import access, audit, security_log
from dangjian.core.models import AuditEvent, SecurityEvent, User
from dangjian.org.models import Organisation, Person

# Initial passwords: unambiguous letters and digits (no 0/O, 1/l/I), easy to type from paper.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12


@dataclass
class Preview:
    """Who would get an account (person, user name) and who is refused (person, reason)."""

    grants: list[tuple[Person, str]] = field(default_factory=list)
    refused: list[tuple[Person, str]] = field(default_factory=list)


@dataclass
class Credential:
    """One line of a hand-out sheet: shown once, never stored in clear."""

    name: str
    organisation: str
    username: str
    secret: str  # the activation token or the initial password
    expires_at: datetime | None = None


def batch_preview(*, actor: User, organisation: Organisation, members_only: bool) -> Preview:
    """Who gets an account under the configured user-name rule, and who does not and why."""
    access.require(actor, "accounts.open", organisation)
    rule = settings.ACCOUNT_USERNAME_RULE
    candidates = selectors.candidates(
        user=actor, organisation=organisation, members_only=members_only
    )
    if error := rules.batch_size_error(candidates.count(), settings.ACCOUNT_BATCH_MAX):
        raise ValidationError({"organisation": error})
    people = list(candidates)
    proposed = []
    preview = Preview()
    for person in people:
        username, reason = rules.username_for(
            rule, person_id=person.pk, staff_number=person.staff_number, phone=person.phone
        )
        if username is None:
            preview.refused.append((person, reason))
        else:
            proposed.append((person, username))
    taken = {
        name.lower()
        for name in User.objects.filter(
            username__in=[username for _person, username in proposed]
        ).values_list("username", flat=True)
    }
    seen: set[str] = set()
    for person, username in proposed:
        key = username.lower()
        if key in taken or key in seen:
            preview.refused.append((person, rules.USERNAME_TAKEN.format(username)))
        else:
            seen.add(key)
            preview.grants.append((person, username))
    return preview


def _new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def _hand_out(grant: AccountGrant, method: str, now: datetime) -> Credential:
    """Give a grant a fresh secret (saved hashed) and return it in clear, once."""
    user = grant.user
    # Both kinds of secret are random and strong: kept as SHA-256 on the grant, expiring
    # (an initial password is checked by accounts.backends.InitialPasswordBackend).
    if method == AccountBatch.Method.ACTIVATION:
        secret = secrets.token_urlsafe(32)
    else:
        secret = _new_password()
        user.must_change_password = True
        user.save(update_fields=["must_change_password"])
    expires_at = rules.token_expiry(now, settings.ACCOUNT_ACTIVATION_DAYS)
    grant.token_hash = selectors.token_hash(secret)
    grant.expires_at = expires_at
    grant.save(update_fields=["token_hash", "expires_at"])
    person = grant.person
    return Credential(
        name=person.name,
        organisation=person.primary_org.name if person.primary_org else "",
        username=user.get_username(),
        secret=secret,
        expires_at=expires_at,
    )


@transaction.atomic
def batch_create(
    *,
    actor: User,
    organisation: Organisation,
    members_only: bool,
    method: str,
    request: HttpRequest | None = None,
) -> tuple[AccountBatch, list[Credential]]:
    """Open accounts for everyone the preview accepts, in one transaction; record the batch
    and audit it. Returns the batch and the credentials to hand out (shown once)."""
    if method not in AccountBatch.Method.values:
        raise ValidationError({"method": "请选择发放方式"})
    preview = batch_preview(actor=actor, organisation=organisation, members_only=members_only)
    if not preview.grants:
        raise ValidationError({"organisation": "所选范围内没有可开通账号的人员"})
    now = timezone.now()
    batch = AccountBatch.objects.create(
        organisation=organisation,
        members_only=members_only,
        method=method,
        username_rule=settings.ACCOUNT_USERNAME_RULE,
        created_by=actor,
        created_count=len(preview.grants),
        refused_count=len(preview.refused),
    )
    credentials = []
    for person, username in preview.grants:
        user = User(username=username, person=person, is_active=True)
        user.set_unusable_password()
        user.save()
        grant = AccountGrant.objects.create(batch=batch, user=user, person=person)
        credentials.append(_hand_out(grant, method, now))
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        event=events.BATCH_OPENED,
        obj=batch,
        after={"党组织": organisation.name, "开通账号数": batch.created_count},
        note=batch.get_method_display(),
    )
    security_log.record(
        SecurityEvent.Kind.ACCOUNT,
        request=request,
        user=actor,
        detail=f"批量开通账号：{organisation.name}，{batch.get_method_display()}",
        rows=batch.created_count,
    )
    return batch, credentials


def _still_waiting(grant: AccountGrant, method: str) -> bool:
    if not grant.user.is_active:
        return False
    if method == AccountBatch.Method.ACTIVATION:
        return grant.used_at is None
    return grant.used_at is None and grant.user.must_change_password


@transaction.atomic
def batch_reissue(
    *, actor: User, batch: AccountBatch, request: HttpRequest | None = None
) -> list[Credential]:
    """New links or passwords for the accounts of a batch not yet taken up (a lost sheet):
    the old ones stop working."""
    batch = AccountBatch.objects.select_for_update().get(pk=batch.pk)
    access.require(actor, "accounts.reissue", batch)
    now = timezone.now()
    credentials = [
        _hand_out(grant, batch.method, now)
        for grant in selectors.grants_of(batch)
        if _still_waiting(grant, batch.method)
    ]
    security_log.record(
        SecurityEvent.Kind.ACCOUNT,
        request=request,
        user=actor,
        detail=f"重新生成{batch.get_method_display()}：{batch.organisation.name}",
        rows=len(credentials),
    )
    return credentials


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc


LINK_INVALID = "该激活链接无效或已使用。如需帮助，请联系所在党支部或党委组织部。"
LINK_EXPIRED = "该激活链接已过期，请联系所在党支部重新生成。"


def activation_problem(grant: AccountGrant | None) -> str:
    """Why a link cannot be used, or "" when it can."""
    if grant is None or grant.used_at is not None or not grant.user.is_active:
        return LINK_INVALID
    if grant.expires_at is None or rules.token_expired(grant.expires_at, timezone.now()):
        return LINK_EXPIRED
    return ""


@transaction.atomic
def account_activate(
    *, token: str, password: str, email: str = "", request: HttpRequest | None = None
) -> User:
    """Set the password (and e-mail) of the account behind an activation link; the link is
    then spent."""
    grant = selectors.grant_for_token(token)
    if grant is not None:
        grant = AccountGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
    problem = activation_problem(grant)
    if problem or grant is None:
        raise ValidationError(problem)
    user = grant.user
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    fields = ["password", "must_change_password"]
    if email:
        user.email = email
        fields.append("email")
    user.save(update_fields=fields)
    grant.used_at = timezone.now()
    grant.save(update_fields=["used_at"])
    security_log.record(
        SecurityEvent.Kind.PASSWORD, request=request, user=user, detail="通过激活链接设置密码"
    )
    return user


@transaction.atomic
def password_first_change(*, user: User, password: str, request: HttpRequest | None = None) -> User:
    """Replace an initial password with the user's own."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if matches_initial(user, password) or user.check_password(password):
        raise ValidationError({"new_password1": "新密码不能与初始密码相同"})
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    AccountGrant.objects.filter(user=user, used_at__isnull=True).update(
        used_at=timezone.now(), token_hash=""
    )
    security_log.record(
        SecurityEvent.Kind.PASSWORD, request=request, user=user, detail="首次登录修改初始密码"
    )
    return user
