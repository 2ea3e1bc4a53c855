"""The reminders provider: who is reminded of what, stable keys, idempotent sweep, fixed queries."""

from datetime import date, timedelta

import pytest

from dangjian.core.models import Reminder
from dangjian.core.reminders import apply
from dangjian.development import services
from dangjian.development.models import NoticePurpose
from dangjian.development.reminders import collect
from dangjian.development.rules import add_months
from tests.factories import make_person
from tests.harness import assert_num_queries, capture_queries

pytestmark = pytest.mark.django_db


def _keys(items, person_id=None):
    return {d.key for d in items if person_id is None or d.person_id == person_id}


def test_probation_reports_and_conversion_due(world, advance, applicant):
    case = advance("approved")
    end = case.probation_ends_on
    today = add_months(end, -1) - timedelta(days=3)
    items = list(collect(today, today + timedelta(days=14)))
    mine = [d for d in items if d.person_id == applicant.pk]
    assert any(d.key.startswith(f"development:report:{case.pk}:sponsor:") for d in mine)
    assert any(d.key.startswith(f"development:report:{case.pk}:branch:") for d in mine)
    conversion = f"development:conversion:{case.pk}:{end.isoformat()}"
    assert conversion in _keys(items, applicant.pk)
    assert conversion in _keys(items, world.secretary_a.person_id)
    # reports before the horizon only; none after the probation
    assert all(d.due_on <= today + timedelta(days=14) for d in items)


def test_probation_ending_without_a_vote_and_after_application(world, advance):
    case = advance("applied_conversion")
    end = case.probation_ends_on
    items = list(collect(end - timedelta(days=5), end + timedelta(days=5)))
    key = f"development:probation-end:{case.pk}:{end.isoformat()}"
    assert key in _keys(items, world.secretary_a.person_id)
    assert not any(k.startswith("development:conversion:") for k in _keys(items))


def test_notice_and_cultivation_reminders(world, advance):
    case = advance("candidate")
    notice = services.notice_create(
        actor=world.secretary_a,
        case=case,
        purpose=NoticePurpose.CANDIDATE,
        starts_on=advance.dates.notice_candidate,
    )
    items = list(collect(notice.ends_on - timedelta(days=2), notice.ends_on))
    assert f"development:notice:{notice.pk}" in _keys(items, world.secretary_a.person_id)
    assert world.secretary_b.person_id not in {d.person_id for d in items}
    other = advance(
        "cultivation",
        person=make_person(world.branch_a, status="masses", birth_date=date(2000, 1, 1)),
    )
    ready = other.cultivation_starts_on.replace(year=other.cultivation_starts_on.year + 1)
    items = list(collect(ready - timedelta(days=3), ready))
    assert f"development:cultivation:{other.pk}" in _keys(items, world.secretary_a.person_id)
    items = list(collect(ready - timedelta(days=30), ready - timedelta(days=1)))
    assert f"development:cultivation:{other.pk}" not in _keys(items)


def test_apply_twice_no_duplicates_and_fixed_queries(world, advance):
    case = advance("approved")
    today = case.probation_ends_on
    horizon = today + timedelta(days=14)
    first = apply(list(collect(today, horizon)))
    assert first.created > 0
    count = Reminder.objects.count()
    second = apply(list(collect(today, horizon)))
    assert second.created == 0 and Reminder.objects.count() == count
    with capture_queries() as few:
        list(collect(today, horizon))
    for _ in range(3):
        advance(
            "approved",
            person=make_person(world.branch_a, status="masses", birth_date=date(2000, 1, 1)),
        )
    with assert_num_queries(few):
        list(collect(today, horizon))
