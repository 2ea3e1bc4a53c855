"""The rate limit of password-reset mail, on the shared cache (Redis in production).

A reset request proves no secret, so it is not a sign-in attempt of core.authguard (which counts
failed passwords, codes and SSO callbacks): it is limited per client address and per e-mail
address. Each counter lives for one window from its first hit."""

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
