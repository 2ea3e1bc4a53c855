"""Reminders of members away: whom, when, stable keys, fixed queries."""

from datetime import date

import pytest

from dangjian.membership import reminders, services
from tests.factories import make_person
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
HORIZON = date(2026, 6, 15)


def test_contact_falls_due_for_the_keeper_or_else_the_secretary(world):
    kept = services.away_create(
        actor=world.secretary_a,
        person=world.member_a,
        kind="intern",
        place="深圳",
        left_on=date(2026, 1, 5),
        keeps_contact=world.gb_secretary_a.person,
    )
    services.contact_create(  # due 8 June, within the horizon
        actor=world.secretary_a,
        away=kept,
        contacted_on=date(2026, 3, 10),
        way="phone",
        content="近况",
    )
    other = make_person(world.branch_a, name="吴党员")
    services.away_create(  # no keeper: the branch secretary; never contacted, due 1 May
        actor=world.secretary_a,
        person=other,
        kind="abroad",
        place="英国",
        left_on=date(2026, 1, 31),
    )
    recent = make_person(world.branch_a, name="郑党员")
    services.away_create(  # left last month: not due before the horizon
        actor=world.secretary_a, person=recent, kind="study", place="北京", left_on=date(2026, 5, 1)
    )
    with assert_num_queries(2):
        items = list(reminders.collect(TODAY, HORIZON))
    assert {(d.person_id, d.due_on) for d in items} == {
        (world.gb_secretary_a.person_id, date(2026, 6, 8)),
        (world.secretary_a.person_id, date(2026, 5, 1)),
    }
    keeper = next(d for d in items if d.person_id == world.gb_secretary_a.person_id)
    assert keeper.key == f"membership:away:{kept.pk}:2026-03-10" and keeper.category == "流动党员"
    # contact recorded: that reminder is gone; a return ends the other
    services.contact_create(
        actor=world.secretary_a,
        away=kept,
        contacted_on=date(2026, 5, 30),
        way="visit",
        content="走访",
    )
    services.away_update(
        actor=world.secretary_a, away=other.away_periods.get(), returned_on=date(2026, 5, 20)
    )
    assert list(reminders.collect(TODAY, HORIZON)) == []
