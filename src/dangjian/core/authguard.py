"""The one authentication throttle of every sign-in path: the login form, the admin login, the
API token endpoint, the second-factor step, and (accounts app) SSO callbacks and password reset.

    refusal = authguard.check(request, username)      # before looking at the password
    if refusal: show refusal.message (the attempt is already recorded)
    ... check the password / code ...
    authguard.failed(request, username)               # wrong: counted and recorded
    authguard.succeeded(request, user)                # right: recorded (done for you by login())

Counters live in the shared cache (Redis in production), so they hold across workers. The
rule (core.rules.sign_in_refusal) with its thresholds in settings (AUTH_*):
- per (user name, address): AUTH_PAIR_FAILURE_LIMIT failures within AUTH_PAIR_WINDOW_MINUTES
  lock that pair for AUTH_PAIR_WINDOW_MINUTES;
- per user name, from any address: AUTH_NAME_FAILURE_LIMIT failures within
  AUTH_NAME_WINDOW_MINUTES lock the name for AUTH_NAME_LOCK_MINUTES, doubled at each further
  lock within a day up to AUTH_NAME_LOCK_MAX_MINUTES; an address where the user signed in
  successfully within AUTH_KNOWN_ADDRESS_DAYS is exempt, so a stranger cannot keep the owner out;
- per address: AUTH_ADDRESS_FAILURE_LIMIT failures across any names within
  AUTH_ADDRESS_WINDOW_MINUTES block the address for that window.
Every failure, success, refusal and lock is written to the security audit (core.security_log).
"""

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from dangjian.core import rules, security_log
from dangjian.core.models import SecurityEvent
from dangjian.core.web import client_address

PREFIX = "authguard"

MESSAGES = {
    "address": "该网络地址登录失败次数过多，已暂时禁止登录，请%(minutes)s分钟后再试。",
    "pair": "连续登录失败次数过多，账号已临时锁定，请%(minutes)s分钟后再试。",
    "name": "该账号近期登录失败次数过多，已临时锁定，请%(minutes)s分钟后再试。",
}
DETAILS = {
    "address": "来源地址已封禁",
    "pair": "用户名与地址组合已锁定",
    "name": "用户名已锁定",
}


@dataclass(frozen=True)
class Refusal:
    reason: str  # "address" | "pair" | "name"
    minutes: int  # at most this many minutes until the lock ends

    @property
    def message(self) -> str:
        return MESSAGES[self.reason] % {"minutes": self.minutes}


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _name(username: str) -> str:
    # Case variants of one name count as one (the name as typed is kept in the audit).
    return _digest((username or "").strip().casefold())


def _keys(request, username: str) -> dict[str, str]:
    name = _name(username)
    address = _digest(client_address(request) if request is not None else "")
    return {
        "pair": f"{PREFIX}:pair:{name}:{address}",
        "pair_lock": f"{PREFIX}:pair-lock:{name}:{address}",
        "name": f"{PREFIX}:name:{name}",
        "name_lock": f"{PREFIX}:name-lock:{name}",
        "name_locks": f"{PREFIX}:name-locks:{name}",
        "address": f"{PREFIX}:address:{address}",
        "address_lock": f"{PREFIX}:address-lock:{address}",
    }


def _remaining_minutes(key: str) -> int:
    """Minutes left on a lock stored as its end (epoch seconds), 0 when not locked."""
    until = cache.get(key)
    if until is None:
        return 0
    left = until - time.time()
    return max(1, math.ceil(left / 60)) if left > 0 else 0


def _lock(key: str, minutes: int) -> None:
    cache.set(key, time.time() + minutes * 60, minutes * 60)


def _bump(key: str, window_minutes: int) -> int:
    """Count one failure in a fixed window that starts at the first failure."""
    timeout = window_minutes * 60
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def known_address(request, username: str) -> bool:
    """Whether this user signed in successfully from this address within AUTH_KNOWN_ADDRESS_DAYS."""
    address = client_address(request) if request is not None else ""
    if not address or not username:
        return False
    since = timezone.now() - timedelta(days=settings.AUTH_KNOWN_ADDRESS_DAYS)
    return SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.LOGIN,
        user__username=username.strip(),
        ip=address,
        at__gte=since,
    ).exists()


def check(request, username: str) -> Refusal | None:
    """Call before verifying a password or code. Returns the refusal (already recorded in the
    security audit) when this attempt must not proceed, else None."""
    keys = _keys(request, username)
    left = {
        "address": _remaining_minutes(keys["address_lock"]),
        "pair": _remaining_minutes(keys["pair_lock"]),
        "name": _remaining_minutes(keys["name_lock"]),
    }
    reason = rules.sign_in_refusal(
        address_blocked=bool(left["address"]),
        pair_locked=bool(left["pair"]),
        name_locked=bool(left["name"]),
        known_address=bool(left["name"]) and known_address(request, username),
    )
    if reason is None:
        return None
    security_log.record(
        SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        user=None,
        username=username or "",
        detail=f"拒绝登录：{DETAILS[reason]}",
    )
    return Refusal(reason, left[reason])


def failed(request, username: str, *, detail: str = "密码错误") -> Refusal | None:
    """Count a failed attempt and record it. Returns the lock this failure set off, if any
    (recorded as a lockout), so the caller can say so at once."""
    security_log.record(
        SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        user=None,
        username=username or "",
        detail=detail,
    )
    keys = _keys(request, username)
    refusal = None
    pair_minutes = settings.AUTH_PAIR_WINDOW_MINUTES
    if rules.locks_now(_bump(keys["pair"], pair_minutes), settings.AUTH_PAIR_FAILURE_LIMIT):
        cache.delete(keys["pair"])
        _lock(keys["pair_lock"], pair_minutes)
        refusal = Refusal("pair", pair_minutes)
    name_failures = _bump(keys["name"], settings.AUTH_NAME_WINDOW_MINUTES)
    if rules.locks_now(name_failures, settings.AUTH_NAME_FAILURE_LIMIT):
        cache.delete(keys["name"])
        previous = cache.get(keys["name_locks"], 0)
        cache.set(keys["name_locks"], previous + 1, 24 * 3600)
        minutes = rules.name_lock_minutes(
            previous,
            base=settings.AUTH_NAME_LOCK_MINUTES,
            cap=settings.AUTH_NAME_LOCK_MAX_MINUTES,
        )
        _lock(keys["name_lock"], minutes)
        refusal = refusal or Refusal("name", minutes)
        _record_lock(request, username, "name", minutes)
    address_minutes = settings.AUTH_ADDRESS_WINDOW_MINUTES
    if rules.locks_now(
        _bump(keys["address"], address_minutes), settings.AUTH_ADDRESS_FAILURE_LIMIT
    ):
        cache.delete(keys["address"])
        _lock(keys["address_lock"], address_minutes)
        refusal = Refusal("address", address_minutes)
        _record_lock(request, username, "address", address_minutes)
    if refusal is not None and refusal.reason == "pair":
        _record_lock(request, username, "pair", pair_minutes)
    return refusal


def _record_lock(request, username: str, reason: str, minutes: int) -> None:
    security_log.record(
        SecurityEvent.Kind.LOCKOUT,
        request=request,
        user=None,
        username=username or "",
        detail=f"{DETAILS[reason]}{minutes}分钟",
    )


def succeeded(request, user, *, detail: str = "") -> None:
    """Record a successful sign-in and forget this pair's failures (the name and address
    counters keep theirs: a success does not excuse another address's guesses)."""
    security_log.record(SecurityEvent.Kind.LOGIN, request=request, user=user, detail=detail)
    cache.delete(_keys(request, user.get_username())["pair"])


def reset(username: str, address: str = "") -> None:
    """Lift every lock on a user name (and on an address when given): for administrators."""
    name = _name(username)
    cache.delete_many(
        [f"{PREFIX}:name:{name}", f"{PREFIX}:name-lock:{name}", f"{PREFIX}:name-locks:{name}"]
    )
    if address:
        digest = _digest(address)
        cache.delete_many(
            [
                f"{PREFIX}:pair:{name}:{digest}",
                f"{PREFIX}:pair-lock:{name}:{digest}",
                f"{PREFIX}:address:{digest}",
                f"{PREFIX}:address-lock:{digest}",
            ]
        )
