"""API tokens (接口令牌): issued once, stored only as a SHA-256 digest, expiring, revocable."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dangjian.core import security_log
from dangjian.core.models import ApiToken, SecurityEvent

TOKEN_PREFIX = "dj_"
PREFIX_LENGTH = 10  # "dj_" and 7 characters of the random part: enough to tell tokens apart
# Writing last_used_at on every request would make each API call a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user, name: str = "", request=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token itself (shown once, never stored)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 bits of randomness
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[:PREFIX_LENGTH],
        key_hash=digest(raw),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    security_log.record(
        SecurityEvent.Kind.TOKEN,
        request=request,
        user=user,
        detail=f"签发接口令牌 {token.prefix}… {token.name}".strip(),
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor, request=None) -> bool:
    """Revoke one token; False when it was already revoked."""
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if changed:
        who = "本人" if actor is not None and actor.pk == token.user_id else "管理员"
        security_log.record(
            SecurityEvent.Kind.TOKEN,
            request=request,
            user=actor,
            detail=f"{who}吊销 {token.user.get_username()} 的接口令牌 {token.prefix}…",
        )
    return bool(changed)


def tokens_revoke_all(*, user, reason: str, request=None) -> int:
    """Revoke every live token of `user` (password changed, account deactivated)."""
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        security_log.record(
            SecurityEvent.Kind.TOKEN,
            request=request,
            user=user,
            detail=f"{reason}，吊销全部接口令牌（{count}个）",
            rows=count,
        )
    return count


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token matching `raw` (with its active user), or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=digest(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
