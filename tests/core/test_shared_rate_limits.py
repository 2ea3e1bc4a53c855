"""Rate limits and throttles hold across workers: they count in the Django cache, and with
Redis two separate cache clients (two aliases, as two worker processes would have) see one
count. Uses Redis database 5 (TEST_REDIS_URL); skipped when Redis is not reachable."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from dangjian.core import rate_limits
from dangjian.surveys.throttles import SurveyPublicThrottle

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def _redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def two_workers(settings):
    """Two cache aliases, each its own Redis client, on the same Redis database."""
    if not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: the shared-count test needs it.")
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    config = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    settings.CACHES = {**settings.CACHES, "worker_a": dict(config), "worker_b": dict(config)}
    a, b = caches["worker_a"], caches["worker_b"]
    assert a is not b and a._cache is not b._cache
    yield a, b
    a.clear()  # database 5 is ours alone


def test_rate_limit_count_is_shared_between_two_clients(two_workers):
    ident = f"198.51.100.{uuid.uuid4().int % 250}"
    results = []
    for alias in ["worker_a", "worker_b", "worker_a", "worker_b"]:
        results.append(rate_limits.hit("test", ident, limit=3, window=3600, cache_alias=alias))
    assert [r.count for r in results] == [1, 2, 3, 4]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert rate_limits.count("test", ident, window=3600, cache_alias="worker_b") == 4


def test_drf_throttle_count_is_shared_between_two_clients(two_workers, settings):
    settings.SURVEY_PUBLIC_RATE = "2/min"
    worker_a, worker_b = two_workers
    request = RequestFactory().get("/surveys/t/x/", REMOTE_ADDR="203.0.113.9")

    def allowed(cache):
        throttle = SurveyPublicThrottle()
        throttle.cache = cache  # what each worker's default cache would be
        return throttle.allow_request(request, None)

    assert allowed(worker_a) and allowed(worker_b)
    assert not allowed(worker_a)
    assert not allowed(worker_b)


def test_locmem_counts_through_the_default_cache(settings):
    """Without Redis (the demo) the same code counts in the local-memory cache."""
    from django.core.cache import cache

    cache.clear()
    first = rate_limits.hit("demo", "10.1.1.1", limit=1, window=60)
    second = rate_limits.hit("demo", "10.1.1.1", limit=1, window=60)
    other = rate_limits.hit("demo", "10.1.1.2", limit=1, window=60)
    assert (first.allowed, second.allowed, other.allowed) == (True, False, True)
    assert 1 <= second.retry_after <= 60
    cache.clear()


@pytest.mark.django_db
def test_suggestion_box_limit_counts_in_the_shared_cache(two_workers, settings, world):
    from django.core.exceptions import ValidationError

    from dangjian.public import services

    settings.SUGGESTION_RATE_LIMIT = 2
    address = "198.51.100.77"
    settings.RATE_LIMIT_CACHE = "worker_a"  # the first worker
    services.suggestion_submit(organisation=world.branch_a, content="一", client_address=address)
    settings.RATE_LIMIT_CACHE = "worker_b"  # the second worker
    services.suggestion_submit(organisation=world.branch_a, content="二", client_address=address)
    with pytest.raises(ValidationError, match="最多提交2条"):
        services.suggestion_submit(
            organisation=world.branch_a, content="三", client_address=address
        )
