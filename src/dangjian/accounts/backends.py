"""Sign-in with an initial password handed out by 账号开通.

An initial password is a random 12-character secret (about 69 bits), not a human choice, so
it is kept like an activation token: its SHA-256 on the grant, valid until the grant expires
and only until the user chooses their own password. Hashing hundreds of them with Argon2 would
take minutes in one request; a fast hash is safe for secrets this strong."""

import hmac

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from dangjian.accounts import rules
from dangjian.accounts.models import AccountBatch, AccountGrant
from dangjian.accounts.selectors import token_hash


def initial_grant(user) -> AccountGrant | None:
    """The user's current initial-password grant, if they still have to replace it."""
    if not user.must_change_password:
        return None
    return (
        AccountGrant.objects.filter(
            user=user, batch__method=AccountBatch.Method.PASSWORD, used_at__isnull=True
        )
        .exclude(token_hash="")
        .order_by("-id")
        .first()
    )


def matches_initial(user, password: str) -> bool:
    grant = initial_grant(user)
    if grant is None or not password or len(password) > 100:
        return False
    if grant.expires_at is None or rules.token_expired(grant.expires_at, timezone.now()):
        return False
    return hmac.compare_digest(grant.token_hash, token_hash(password))


class InitialPasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        return user if matches_initial(user, password) else None
