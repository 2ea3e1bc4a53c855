"""Rate limits counted in the Django cache (Redis in production: one count for every worker).

A fixed window per (scope, visitor): the first request of a window creates the counter with
`add`, each request `incr`s it (atomic in Redis and in the local-memory cache), and the key
expires with its window. Callers decide what to count and what to answer when over the limit;
DRF's throttles (the survey API and answer page) use the same default cache."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone


@dataclass(frozen=True)
class Hit:
    count: int  # requests in this window, this one included
    allowed: bool
    retry_after: int  # seconds until the window ends


def _cache(alias: str | None):
    return caches[alias or settings.RATE_LIMIT_CACHE]


def _key(scope: str, ident: str, window: int, bucket: int) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{window}:{bucket}:{digest}"


def hit(
    scope: str,
    ident: str,
    *,
    limit: int,
    window: int,
    now: datetime | None = None,
    cache_alias: str | None = None,
) -> Hit:
    """Count one request of `ident` in `scope`; allowed while the window's count <= limit."""
    cache = _cache(cache_alias)
    seconds = int((now or timezone.now()).timestamp())
    bucket = seconds // window
    remaining = (bucket + 1) * window - seconds
    key = _key(scope, ident, window, bucket)
    cache.add(key, 0, timeout=remaining + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=remaining + 1)
        count = 1
    return Hit(count=count, allowed=count <= limit, retry_after=remaining)


def count(
    scope: str,
    ident: str,
    *,
    window: int,
    now: datetime | None = None,
    cache_alias: str | None = None,
) -> int:
    """The current window's count, without counting."""
    seconds = int((now or timezone.now()).timestamp())
    return int(_cache(cache_alias).get(_key(scope, ident, window, seconds // window), 0))
