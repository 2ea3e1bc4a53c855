"""Figures over a whole institution, kept for a short while.

A scope over everything (the organisation department, at province scale 100,000 organisations)
makes a counter a count of the whole table: 50–300 ms for posts, duty records or development
cases in the millions, on every home page and board. Those figures are the same for every
officer of that scope and a minute's delay does not change what they do with them, so they are
kept in the cache for AGGREGATE_CACHE_SECONDS (default 60). The key is the exact SQL and its
parameters: a figure is never served for another scope, filter or day. Smaller scopes count
live — their indexes bound them — and so see their own changes at once. Only counts are kept,
never personal data."""

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from dangjian.core.scoping import scope_for

T = TypeVar("T")


def _key(parts: Any) -> str:
    return "aggregate:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def kept(user: Any, parts: Any, compute: Callable[[], T]) -> T:
    """`compute()`, kept for AGGREGATE_CACHE_SECONDS when `user`'s scope is everything.
    `parts` must determine the result (the SQL and parameters of the queries it runs)."""
    seconds = settings.AGGREGATE_CACHE_SECONDS
    if seconds <= 0 or not scope_for(user).everything:
        return compute()
    key = _key(parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def sql_of(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters of `queryset`: what determines its result."""
    return queryset.query.sql_with_params()
