"""core.aggregates: a scope over everything keeps its counts a while, keyed by the exact SQL;
smaller scopes count live; 0 seconds turns it off."""

import pytest

from dangjian.core import aggregates
from dangjian.org.models import Organisation
from dangjian.reports.dashboard import Counts
from tests.factories import make_org

pytestmark = pytest.mark.django_db


def _branches(name="支部"):
    return Organisation.objects.filter(kind="branch", name__contains=name)


def _count(user, qs):
    return aggregates.kept(user, aggregates.sql_of(qs), qs.count)


def test_everything_is_kept_smaller_scopes_are_live(world, settings):
    settings.AGGREGATE_CACHE_SECONDS = 60
    before = _count(world.org_officer, _branches())
    live = _count(world.secretary_a, _branches())
    make_org(world.gb_a, name="新建支部", code="BN", category="organ")
    assert _count(world.org_officer, _branches()) == before  # kept
    assert _count(world.secretary_a, _branches()) == live + 1  # live
    # Another filter is another key: never the figure of a different query.
    assert _count(world.org_officer, _branches("新建")) == 1


def test_off_when_zero_seconds(world, settings):
    settings.AGGREGATE_CACHE_SECONDS = 0
    before = _count(world.org_officer, _branches())
    make_org(world.gb_a, name="新建支部", code="BN", category="organ")
    assert _count(world.org_officer, _branches()) == before + 1


def test_home_counters_batch_is_kept_for_everything(world, settings):
    settings.AGGREGATE_CACHE_SECONDS = 60
    counts = Counts(world.org_officer)
    key = counts.add(_branches())
    first = counts[key]
    make_org(world.gb_a, name="新建支部", code="BN", category="organ")
    again = Counts(world.org_officer)
    assert again[again.add(_branches())] == first
    fresh = Counts(world.gb_secretary_a)
    assert fresh[fresh.add(_branches())] == first + 1  # a general branch counts live
