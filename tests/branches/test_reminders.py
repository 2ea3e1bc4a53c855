"""Reminders of grading and rectification: what falls due, for whom, stable keys, fixed queries."""

from datetime import date

import pytest

from dangjian.branches import reminders, services
from tests.branches.conftest import YEAR, fill
from tests.branches.test_views import _more_branches
from tests.factories import make_officer
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db


def keys_of(items, user):
    return {d.key: d for d in items if d.person_id == user.person_id}


def test_grading_not_done_goes_to_the_level_above(world, year, grading):
    items = list(reminders.collect(date(YEAR, 3, 20), date(YEAR, 4, 3)))
    key = f"branches:grading:{year.pk}:{world.branch_a.pk}"
    due = keys_of(items, world.gb_secretary_a)[key]
    assert due.due_on == date(YEAR, 3, 30) and "调查摸底、分类定级尚未完成" in due.title
    assert key not in keys_of(items, world.secretary_a)
    # branch_b has no general-branch officer: the committee's officers are told
    committee_secretary = make_officer(world.committee)
    items = list(reminders.collect(date(YEAR, 3, 20), date(YEAR, 4, 3)))
    assert f"branches:grading:{year.pk}:{world.branch_b.pk}" in keys_of(items, committee_secretary)
    # not yet within the horizon
    assert not list(reminders.collect(date(YEAR, 2, 1), date(YEAR, 2, 15)))
    # graded: no more reminder for branch_a
    fill(grading, "0.8", actor=world.secretary_a)
    services.grading_decide(actor=world.gb_secretary_a, grading=grading, grade="good")
    items = list(reminders.collect(date(YEAR, 3, 31), date(YEAR, 4, 14)))
    assert key not in keys_of(items, world.gb_secretary_a)


def test_plan_not_submitted_goes_to_the_branch(world, graded):
    items = list(reminders.collect(date(YEAR, 5, 20), date(YEAR, 6, 3)))
    due = keys_of(items, world.secretary_a)[f"branches:plan:{YEAR}:{world.branch_a.pk}"]
    assert due.due_on == date(YEAR, 5, 31) and "整改提高方案尚未提交" in due.title
    late = keys_of(list(reminders.collect(date(YEAR, 6, 5), date(YEAR, 6, 19))), world.secretary_a)
    assert "已逾期" in late[f"branches:plan:{YEAR}:{world.branch_a.pk}"].title


def test_items_go_to_the_responsible_person_and_the_branch(world, submitted):
    items = list(reminders.collect(date(YEAR, 9, 20), date(YEAR, 10, 4)))
    key = f"branches:item:{submitted.item.pk}"
    member = keys_of(items, world.member_user)[key]
    assert member.url.endswith(f"/items/{submitted.item.pk}/done/") and "即将到期" in member.title
    assert key in keys_of(items, world.secretary_a)
    overdue = keys_of(
        list(reminders.collect(date(YEAR, 10, 5), date(YEAR, 10, 19))), world.member_user
    )
    assert "已逾期" in overdue[key].title
    services.rectification_item_done(actor=world.member_user, item=submitted.item, result="完成")
    assert key not in keys_of(
        list(reminders.collect(date(YEAR, 11, 10), date(YEAR, 11, 24))), world.member_user
    )


def test_regrade_window_closing(world, graded, today):
    items = list(reminders.collect(date(YEAR, 10, 20), date(YEAR, 11, 3)))
    key = f"branches:regrade:{graded.grading_year.pk}:{world.branch_a.pk}"
    assert keys_of(items, world.gb_secretary_a)[key].due_on == date(YEAR, 10, 31)
    assert key not in keys_of(
        list(reminders.collect(date(YEAR, 9, 1), date(YEAR, 9, 15))), world.gb_secretary_a
    )


def test_reminders_cost_a_fixed_number_of_queries(world, year, today):
    _more_branches(world, year, 2)

    def count(expected=None):
        with assert_num_queries(expected) as log:
            items = list(reminders.collect(date(YEAR, 9, 20), date(YEAR, 10, 4)))
        return log, items

    few, items = count()
    _more_branches(world, year, 8)
    _, more = count(few)
    assert len(more) > len(items)
    keys = [(d.person_id, d.key) for d in more]
    assert len(keys) == len(set(keys))
