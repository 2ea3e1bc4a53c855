"""The reminders provider: short rules near the period end, hours in Nov/Dec, secretaries."""

from datetime import date
from decimal import Decimal

import pytest

from dangjian.core.models import Reminder
from dangjian.core.reminders import apply
from dangjian.orglife import services
from dangjian.orglife.reminders import collect
from tests.factories import make_officer, make_org
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db

# Dates inside a month that has not started in the real calendar would be "not started";
# meetings cannot be recorded in the future, so the tests use past months with a `today`.
TODAY = date(2025, 3, 25)
HORIZON = date(2025, 4, 8)


def _keys(items, person_id):
    return {d.key for d in items if d.person_id == person_id}


def test_short_rules_reach_the_officers(world, make_meeting):
    items = list(collect(TODAY, HORIZON))
    sec_b = world.secretary_b.person_id
    titles = {d.title for d in items if d.person_id == sec_b}
    assert "信息工程学院学生支部：本月学生党支部组织生活尚需开展2次" in titles
    rule_keys = [k for k in _keys(items, sec_b) if k.startswith("orglife:rule:")]
    assert all(k.endswith(":2025-03-01") for k in rule_keys)  # monthly rules only
    assert all(d.due_on == date(2025, 3, 31) for d in items if d.key in rule_keys)
    # One meeting of 120 minutes meets the organ branch's monthly rule.
    sec_a = world.secretary_a.person_id
    assert any("机关党支部组织生活" in d.title for d in items if d.person_id == sec_a)
    make_meeting(held_on=date(2025, 3, 20))
    items = list(collect(TODAY, HORIZON))
    assert not any("机关党支部组织生活" in d.title for d in items if d.person_id == sec_a)
    # A horizon before the month's end: nothing of the month yet.
    assert not list(collect(date(2025, 3, 5), date(2025, 3, 19)))


def test_apply_twice_no_duplicates(world):
    items = list(collect(TODAY, HORIZON))
    assert items
    first = apply(items)
    second = apply(list(collect(TODAY, HORIZON)))
    assert first.created == len({(d.person_id, d.key) for d in items})
    assert second.created == 0 and second.unchanged == first.created
    assert Reminder.objects.count() == first.created


def test_hours_reminders_in_the_last_two_months(world):
    services.study_record_create(
        actor=world.secretary_a,
        person=world.member_a,
        studied_on=date(2025, 10, 1),
        title="课程",
        category="integrity",
        hours=Decimal("23.5"),
    )
    october = list(collect(date(2025, 10, 31), date(2025, 11, 14)))
    assert not [d for d in october if d.key.startswith("orglife:hours:")]
    november = [d for d in collect(date(2025, 11, 1), date(2025, 11, 15)) if "hours" in d.key]
    mine = [d for d in november if d.person_id == world.member_a.pk]
    assert mine[0].title == "2025年教育学时尚缺0.5学时" and mine[0].due_on == date(2025, 12, 31)
    assert mine[0].key == f"orglife:hours:{world.member_a.pk}:2025"


def test_secretary_half_year_training(world):
    items = [d for d in collect(date(2025, 6, 20), date(2025, 7, 4)) if "secretary" in d.key]
    assert {d.person_id for d in items} == {
        world.secretary_a.person_id,
        world.secretary_b.person_id,
    }
    services.training_create(
        actor=world.org_officer,
        organisation=world.committee,
        participants=[world.secretary_a.person_id],
        kind="secretary",
        title="书记集中培训",
        category="party_spirit",
        starts_on=date(2025, 6, 10),
        ends_on=date(2025, 6, 11),
        hours=Decimal("8"),
    )
    items = [d for d in collect(date(2025, 6, 20), date(2025, 7, 4)) if "secretary" in d.key]
    assert {d.person_id for d in items} == {world.secretary_b.person_id}
    assert not [d for d in collect(date(2025, 5, 1), date(2025, 5, 15)) if "secretary" in d.key]


def test_fixed_number_of_queries(world):
    def count(expected=None):
        with assert_num_queries(expected) as ctx:
            list(collect(date(2025, 12, 20), date(2026, 1, 3)))
        return ctx

    few = count()
    for i in range(4):
        branch = make_org(world.gb_b, name=f"支部{i}", category="staff")
        make_officer(branch, name=f"书记{i}")
    count(few)
