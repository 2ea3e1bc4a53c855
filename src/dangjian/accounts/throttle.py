"""A small authentication throttle on the shared cache (Redis in production).

Stand-in until core.authguard (the sign-in throttle) is merged: the lead swaps the calls of
`attempt_allowed` / `note_failure` for authguard's. Each counter lives for one window from its
first hit, so nobody is locked out for longer than the window."""

from django.conf import settings
from django.core.cache import cache

from dangjian.core.web import client_address


def _key(scope: str, ident: str) -> str:
    return f"accounts:throttle:{scope}:{ident.lower()[:200]}"


def _count(key: str) -> int:
    window = settings.ACCOUNT_THROTTLE_WINDOW_SECONDS
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


def attempt_allowed(request, scope: str, *idents: str) -> bool:
    """Count one attempt by the client address and by each identifier (a name, an address);
    False once any of them went over the limit in the current window."""
    limit = settings.ACCOUNT_THROTTLE_LIMIT
    keys = [_key(scope, "ip:" + (client_address(request) or "-"))]
    keys += [_key(scope, "id:" + ident) for ident in idents if ident]
    counts = [_count(key) for key in keys]
    return max(counts) <= limit


def blocked(request, scope: str) -> bool:
    """Whether the client address is over the limit of failures for `scope`."""
    value = cache.get(_key(scope, "ip:" + (client_address(request) or "-")))
    return value is not None and value > settings.ACCOUNT_THROTTLE_LIMIT


def note_failure(request, scope: str) -> None:
    _count(_key(scope, "ip:" + (client_address(request) or "-")))
