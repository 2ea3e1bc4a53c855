"""Reminders of member duty evaluation: self-reports, ratings, rectification; four queries."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from dangjian.appraisal import reminders, services
from dangjian.appraisal.models import BranchRating, MemberRectification
from tests.appraisal.conftest import ENDS, IN_WINDOW
from tests.factories import make_person
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db


def collect(today, days=14, queries=None):
    with assert_num_queries(queries):
        return list(reminders.collect(today, today + timedelta(days=days)))


def test_self_report_and_rating_reminders(world, chief, make_cycle):
    cycle = make_cycle()
    # before the window opens: nothing; once it is open, for the whole window
    items = collect(cycle.starts_on - timedelta(days=1), days=7)
    assert items == []
    early = collect(IN_WINDOW, days=7)
    items = collect(ENDS - timedelta(days=3), queries=4)
    assert {i.key for i in early} == {i.key for i in items}
    self_reports = [i for i in items if i.category == "述岗自评"]
    assert {i.person_id for i in self_reports} == set(
        cycle.results.values_list("person_id", flat=True)
    )
    assert all(
        i.due_on == ENDS and i.key == f"appraisal:self_report:{cycle.pk}" for i in self_reports
    )
    ratings = [i for i in items if i.category == "综合评定"]
    # branch officers of branch_a, branch_b, gb_a (the org of 王总支书记)
    assert {i.person_id for i in ratings} == {
        world.secretary_a.person_id,
        world.secretary_b.person_id,
        world.gb_secretary_a.person_id,
    }
    a = next(i for i in ratings if i.person_id == world.secretary_a.person_id)
    assert "机关一支部尚有3名党员未作综合评定" in a.title and f"org={world.branch_a.pk}" in a.url
    # submitted and rated: gone
    services.self_report_submit(
        actor=world.member_user, cycle=cycle, report="好", self_score=D(90), today=IN_WINDOW
    )
    for person in (world.member_a, world.secretary_a.person):
        other = world.gb_secretary_a
        services.branch_rate(actor=other, cycle=cycle, ratee=person, score=D(90), today=IN_WINDOW)
    services.branch_rate(
        actor=world.secretary_a,
        cycle=cycle,
        ratee=chief.person,
        score=D(90),
        today=IN_WINDOW,
    )
    items = collect(ENDS - timedelta(days=3))
    assert world.member_a.pk not in {i.person_id for i in items if i.category == "述岗自评"}
    assert world.secretary_a.person_id not in {
        i.person_id for i in items if i.category == "综合评定"
    }
    # more members: still four queries
    for n in range(6):
        make_person(world.branch_b, name=f"新{n}")
    make_cycle(period=2, starts_on=cycle.starts_on, ends_on=cycle.ends_on)
    collect(ENDS - timedelta(days=3), queries=4)


def test_rectification_reminders(world, ready):
    cycle = ready()
    BranchRating.objects.filter(cycle=cycle, ratee=world.member_b).update(score=D(10))
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    item = MemberRectification.objects.get()
    items = collect(item.deadline - timedelta(days=30))
    assert [i for i in items if i.category == "限期整改"] == []
    items = collect(item.deadline - timedelta(days=5))
    due = [i for i in items if i.category == "限期整改"]
    # before the results are published only the branch is reminded
    assert {i.person_id for i in due} == {world.secretary_b.person_id}
    services.cycle_publish(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    items = collect(item.deadline - timedelta(days=5), queries=4)
    due = [i for i in items if i.category == "限期整改"]
    assert {i.person_id for i in due} == {world.member_b.pk, world.secretary_b.person_id}
    own = next(i for i in due if i.person_id == world.member_b.pk)
    assert "请在" in own.title and own.due_on == item.deadline
    officer = next(i for i in due if i.person_id != world.member_b.pk)
    assert "钱党员" in officer.title
    services.rectification_explain(
        actor=world.secretary_b, rectification=item, explained_on=IN_WINDOW, today=IN_WINDOW
    )
    services.rectification_complete(
        actor=world.secretary_b, rectification=item, measures="改", today=IN_WINDOW
    )
    items = collect(item.deadline + timedelta(days=5))
    assert [i for i in items if i.category == "限期整改"] == []
