import pytest


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle counters and hand-out sheets live in the cache: start each test empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
