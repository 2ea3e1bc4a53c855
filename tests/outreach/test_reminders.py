"""Reminders of contacts and visits: what falls due, for whom, stable keys, fixed queries."""

from datetime import date

import pytest

from dangjian.core import reminders as core_reminders
from dangjian.core.models import Reminder
from dangjian.outreach import reminders, services
from tests.factories import make_person
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 20)
HORIZON = date(2025, 4, 3)


def by_person(items, person):
    return {d.key: d for d in items if d.person_id == person.pk}


def test_links_short_in_a_period_ending_before_the_horizon(world, links):
    items = list(reminders.collect(TODAY, HORIZON))
    # the dorm link's month and the class link's quarter end on 31 March; the semester does not
    dorm = by_person(items, world.member_a)[f"outreach:link:{links.dorm.pk}:month:2025-03-01"]
    assert dorm.due_on == date(2025, 3, 31) and dorm.category == "三联二访"
    assert "3号楼学生宿舍" in dorm.title and dorm.url.endswith(f"?link={links.dorm.pk}")
    assert f"outreach:link:{links.klass.pk}:quarter:2025-01-01" in by_person(
        items, links.college_leader
    )
    assert not any(k.startswith("outreach:link") for k in by_person(items, links.leader))
    # a visit on the last day of the month settles it
    services.visit_create(
        actor=world.member_user, kind="teacher_dorm", visited_on=date(2025, 3, 31), content="走访"
    )
    items = list(reminders.collect(TODAY, HORIZON))
    assert not any(k.startswith("outreach:link") for k in by_person(items, world.member_a))


def test_members_without_contacts_remind_themselves(world):
    items = list(reminders.collect(TODAY, HORIZON))
    due = by_person(items, world.member_a)[f"outreach:contacts:{world.member_a.pk}"]
    assert due.due_on == date(2025, 3, 31) and "1～3名党外群众" in due.title
    services.contact_create(
        actor=world.member_user, member=world.member_a, name="群众甲", relation="同事"
    )
    items = list(reminders.collect(TODAY, HORIZON))
    assert f"outreach:contacts:{world.member_a.pk}" not in by_person(items, world.member_a)
    # a long-standing gap stays overdue: due at the end of the month they became a member,
    # and at the latest since the end of last year
    late = make_person(world.branch_a, status_since=date(2025, 1, 10))
    items = list(reminders.collect(TODAY, HORIZON))
    assert by_person(items, late)[f"outreach:contacts:{late.pk}"].due_on == date(2025, 1, 31)
    veteran = make_person(world.branch_a, status_since=date(1997, 7, 1))
    items = list(reminders.collect(TODAY, HORIZON))
    assert by_person(items, veteran)[f"outreach:contacts:{veteran.pk}"].due_on == date(2024, 12, 31)
    masses = make_person(world.branch_a, status="masses")
    assert not by_person(list(reminders.collect(TODAY, HORIZON)), masses)


def test_pending_follow_up_after_thirty_days(world, visit):
    old = visit(needs_follow_up=True, visited_on=date(2025, 2, 1))  # due 3 March
    visit(needs_follow_up=True, visited_on=date(2025, 3, 15))  # due 14 April: beyond horizon
    items = by_person(list(reminders.collect(TODAY, HORIZON)), world.member_a)
    follow = [k for k in items if k.startswith("outreach:follow_up")]
    assert follow == [f"outreach:follow_up:{old.pk}"]
    assert items[follow[0]].due_on == date(2025, 3, 3)
    visit(kind="follow_up", method="phone", visited_on=date(2025, 3, 18))  # same interviewee
    items = by_person(list(reminders.collect(TODAY, HORIZON)), world.member_a)
    assert not any(k.startswith("outreach:follow_up") for k in items)


def test_apply_twice_no_duplicates_and_fixed_queries(world, links, visit):
    visit(needs_follow_up=True, visited_on=date(2025, 2, 1))
    first = core_reminders.apply(list(reminders.collect(TODAY, HORIZON)))
    count = Reminder.objects.count()
    assert first.created == count > 0
    second = core_reminders.apply(list(reminders.collect(TODAY, HORIZON)))
    assert second.created == 0 and second.unchanged == count
    assert Reminder.objects.count() == count
    with assert_num_queries(3):
        list(reminders.collect(TODAY, HORIZON))
    for i in range(5):
        p = make_person(world.branch_a)
        services.link_create(
            actor=world.secretary_a, visitor=p, kind="teacher_dorm", target=f"{i}号楼"
        )
    with assert_num_queries(3):
        list(reminders.collect(TODAY, HORIZON))
