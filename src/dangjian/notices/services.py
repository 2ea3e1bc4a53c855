"""Every write of notices and the message centre: atomic, checked, audited.

Publishing writes one row whatever the audience's size: the audience is found when a person
lists their notices (models.Addressee). Reading makes one NoticeRead row per person and notice."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.access import Actor, require
from dangjian.core.models import AuditEvent, User
from dangjian.notices import events, rules, selectors
from dangjian.notices.models import (
    DigestSent,
    Inbox,
    Notice,
    NoticeAttachment,
    NoticeRead,
    NoticeState,
)
from dangjian.notices.permissions import MANAGE_NOTICE
from dangjian.org.models import Organisation
from dangjian.org.widgets import FILTER_KINDS


class NoticeFields(TypedDict, total=False):
    organisation: Organisation
    audience: str
    title: str
    body: str
    receipt_required: bool
    deadline: date | None


NOTICE_FIELDS = [*NoticeFields.__annotations__, "state"]


def _refuse(notice: Notice, step: str, field: str | None = None) -> None:
    error = rules.transition_error(notice.state, step)
    if error:
        raise ValidationError({field: error} if field else error)


def _clean(notice: Notice) -> None:
    notice.full_clean()
    errors = {}
    org = notice.organisation
    if org.kind not in FILTER_KINDS:
        errors["organisation"] = "请选择党委、党总支或党支部（党小组不单独发布通知）。"
    elif org.dissolved_on is not None:
        errors["organisation"] = "该党组织已撤销。"
    if notice.state == NoticeState.DRAFT:
        error = rules.deadline_error(notice.deadline, timezone.localdate())
        if error:
            errors["deadline"] = error
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def notice_create(*, actor: Actor, **fields: Unpack[NoticeFields]) -> Notice:
    notice = Notice(created_by=actor if isinstance(actor, User) else None, **fields)
    require(actor, MANAGE_NOTICE, notice)
    _clean(notice)
    notice.save()
    audit.created(actor=actor, obj=notice, fields=NOTICE_FIELDS)
    return notice


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().select_related("organisation").get(pk=notice.pk)


@transaction.atomic
def notice_update(*, actor: Actor, notice: Notice, **fields: Unpack[NoticeFields]) -> Notice:
    notice = _locked(notice)
    require(actor, MANAGE_NOTICE, notice)
    _refuse(notice, "edit")
    if "organisation" in fields:
        # The new organisation must lie in the actor's scope too.
        require(actor, MANAGE_NOTICE, Notice(organisation=fields["organisation"]))
    audit.audited_update(
        actor=actor, obj=notice, fields=dict(fields), audit_fields=NOTICE_FIELDS, clean=_clean
    )
    return notice


@transaction.atomic
def notice_delete(*, actor: Actor, notice: Notice) -> None:
    notice = _locked(notice)
    require(actor, MANAGE_NOTICE, notice)
    _refuse(notice, "delete")
    before = audit.snapshot(notice, NOTICE_FIELDS)
    audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=notice, before=before)
    notice.delete()


@transaction.atomic
def notice_publish(*, actor: Actor, notice: Notice) -> Notice:
    notice = _locked(notice)
    require(actor, MANAGE_NOTICE, notice)
    _refuse(notice, "publish")
    error = rules.deadline_error(notice.deadline, timezone.localdate())
    if error:
        raise ValidationError({"deadline": error})
    with audit.recording(actor=actor, obj=notice, fields=["state"], event=events.NOTICE_PUBLISHED):
        notice.state = NoticeState.PUBLISHED
        notice.published_at = timezone.now()
        notice.published_by = actor if isinstance(actor, User) else None
        notice.save(update_fields=["state", "published_at", "published_by"])
    selectors.bump_generation()
    return notice


@transaction.atomic
def notice_withdraw(*, actor: Actor, notice: Notice) -> Notice:
    notice = _locked(notice)
    require(actor, MANAGE_NOTICE, notice)
    _refuse(notice, "withdraw")
    with audit.recording(actor=actor, obj=notice, fields=["state"], event=events.NOTICE_WITHDRAWN):
        notice.state = NoticeState.WITHDRAWN
        notice.withdrawn_at = timezone.now()
        notice.save(update_fields=["state", "withdrawn_at"])
    selectors.bump_generation()
    return notice


@transaction.atomic
def attachment_add(*, actor: Actor, notice: Notice, file: Any) -> NoticeAttachment:
    notice = _locked(notice)
    require(actor, MANAGE_NOTICE, notice)
    _refuse(notice, "attach", "file")
    error = rules.attachments_error(notice.attachments.count(), settings.NOTICE_MAX_ATTACHMENTS)
    if error:
        raise ValidationError({"file": error})
    attachment = NoticeAttachment(notice=notice, file=file)
    attachment.full_clean(exclude=["notice"])
    attachment.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=notice,
        note=attachment.file_name,
        event=events.ATTACHMENT_ADDED,
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Actor, attachment: NoticeAttachment) -> None:
    notice = _locked(attachment.notice)
    require(actor, MANAGE_NOTICE, notice)
    _refuse(notice, "attach")
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=notice,
        note=attachment.file_name,
        event=events.ATTACHMENT_REMOVED,
    )
    attachment.delete()


# --- reading ---------------------------------------------------------------------------------


def _read_row(person_id: int, notice: Notice) -> NoticeRead:
    read = NoticeRead.objects.filter(notice=notice, person_id=person_id).first()
    if read is not None:
        return read
    try:
        with transaction.atomic():
            return NoticeRead.objects.create(notice=notice, person_id=person_id)
    except IntegrityError:  # opened twice at once
        return NoticeRead.objects.get(notice=notice, person_id=person_id)


def notice_open(*, user: User, notice: Notice) -> NoticeRead | None:
    """The person opened a notice addressed to them: recorded once (the first time). Officers
    looking at a notice of their subtree that is not addressed to them leave no trace."""
    if not user.person_id or not selectors.is_addressed(user, notice):
        return None
    read = _read_row(user.person_id, notice)
    selectors.forget_unread(user)
    return read


def notice_confirm(*, user: User, notice: Notice) -> NoticeRead:
    """已阅: the receipt a notice asks for, by a person it addresses."""
    if not notice.receipt_required:
        raise ValidationError("该通知不需要回执。")
    if not user.person_id or not selectors.is_addressed(user, notice):
        raise ValidationError("该通知不是发给您的，无需回执。")
    read = _read_row(user.person_id, notice)
    if read.confirmed_at is None:
        read.confirmed_at = timezone.now()
        read.save(update_fields=["confirmed_at"])
    selectors.forget_unread(user)
    return read


@transaction.atomic
def inbox_mark_all_read(*, user: User) -> int:
    """全部标为已读: every unread notice addressed to the user is recorded as read (a receipt,
    where one is asked for, still needs its own 已阅), and reminders and replies made until now
    are read. Returns the number of notices marked."""
    now = timezone.now()
    marked = 0
    if user.person_id:
        unread = list(
            selectors.unread_notices(user).values_list("pk", flat=True)[: selectors.MARK_ALL_LIMIT]
        )
        NoticeRead.objects.bulk_create(
            [NoticeRead(notice_id=pk, person_id=user.person_id, read_at=now) for pk in unread],
            ignore_conflicts=True,
        )
        marked = len(unread)
    Inbox.objects.update_or_create(user=user, defaults={"seen_at": now})
    selectors.forget_unread(user)
    return marked


def inbox_set_digest(*, user: User, digest: bool) -> Inbox:
    inbox, _ = Inbox.objects.update_or_create(user=user, defaults={"digest": digest})
    return inbox


# --- the daily e-mail digest -----------------------------------------------------------------


@dataclass
class DigestResult:
    sent: int = 0
    already_sent: int = 0
    no_email: int = 0
    opted_out: int = 0
    nothing_new: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _digest_users() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, person__isnull=False)
        .select_related("inbox")
        .order_by("pk")
    )


def send_digests(*, today: date | None = None, now: datetime | None = None) -> DigestResult:
    """One e-mail per user and day with their unread notices and new reminders since their
    previous digest. Idempotent: a user already sent today's digest is skipped (DigestSent);
    users without an e-mail address, those who turned the digest off and those with nothing
    new are skipped and counted."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    result = DigestResult()
    sent_today = set(DigestSent.objects.filter(day=today).values_list("user_id", flat=True))
    connection = get_connection()
    for user in _digest_users().iterator(chunk_size=500):
        inbox = getattr(user, "inbox", None)
        if inbox is not None and not inbox.digest:
            result.opted_out += 1
            continue
        if not user.email:
            result.no_email += 1
            continue
        if user.pk in sent_today:
            result.already_sent += 1
            continue
        last = DigestSent.objects.filter(user=user).order_by("-sent_at").first()
        since = rules.digest_window_start(
            last.sent_at if last else None, now, settings.NOTICE_DIGEST_FIRST_DAYS
        )
        content = selectors.digest_content(user, since)
        if not content.notices and not content.reminders:
            result.nothing_new += 1
            continue
        context = {
            "user": user,
            "content": content,
            "today": today,
            "centre": reverse("notices:centre"),
        }
        text = render_to_string("notices/digest_email.txt", context)
        try:
            with transaction.atomic():
                record = DigestSent.objects.create(
                    user=user,
                    day=today,
                    sent_at=now,
                    notices=len(content.notices),
                    reminders=len(content.reminders),
                )
                send_mail(
                    f"【党建平台】{today:%m月%d日}消息摘要：{len(content.notices)}条未读通知，"
                    f"{len(content.reminders)}条新待办",
                    text,
                    None,
                    [user.email],
                    connection=connection,
                )
        except IntegrityError:  # another run sent it meanwhile
            result.already_sent += 1
            continue
        except OSError as exc:  # the mail server refused: nothing recorded, tried again tomorrow
            result.failed += 1
            result.errors.append(f"{user.username}: {exc}")
            continue
        del record
        result.sent += 1
    return result
