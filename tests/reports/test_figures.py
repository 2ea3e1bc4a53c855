"""The annex-5 figures computed from the records of a small world, and their query count."""

from datetime import date

import pytest

from dangjian.reports import selectors
from tests.factories import make_org, make_person
from tests.harness import assert_num_queries
from tests.reports.helpers import (
    make_commitment,
    make_duty_check,
    make_duty_record,
    make_opinion,
    make_post,
    make_suggestion,
    make_task,
    make_work_item,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 1, 15)  # long after 2025 Q2: the figures describe June 30, 2025


@pytest.fixture
def records(world):
    w = world
    # Posts: branch_a runs the mechanism (one published post); branch_b has only a claimed one.
    make_post(w.branch_a, "published", holder=w.member_a)
    make_post(w.branch_a, "confirmed", holder=w.member_a)  # same holder: counted once
    make_post(w.branch_a, "set")
    make_post(w.branch_a, "published", year=2024)  # another year
    make_post(w.branch_b, "claimed", holder=w.member_b)
    # Members: five full members in the world + one probationary; not applicants nor inactive.
    make_person(w.branch_a, status="probationary")
    make_person(w.branch_a, status="applicant")
    make_person(w.branch_a, is_active=False)
    # Commitments of 2025 published by June 30.
    make_commitment(w.member_a, w.branch_a, published_on=date(2025, 4, 10))
    make_commitment(w.member_b, w.branch_b)  # not published
    make_commitment(w.secretary_a.person, w.branch_a, published_on=date(2025, 7, 5))  # later
    # Duty records and checks in the quarter (April 1 – June 30 inclusive).
    for day in (date(2025, 3, 31), date(2025, 4, 1), date(2025, 6, 30), date(2025, 7, 1)):
        make_duty_record(w.member_a, w.branch_a, day)
    make_duty_check(w.branch_a, date(2025, 5, 31))
    make_duty_check(w.branch_a, date(2025, 3, 31))
    # Work items at steps 1, 3 and done.
    wi1 = make_work_item(w.branch_a, step=1)
    wi2 = make_work_item(w.gb_a, step=3)
    make_work_item(w.committee, step=7)
    make_work_item(w.committee, step=7, year=2024)
    # Tasks, as of June 30.
    make_task(wi2, w.member_a, date(2025, 5, 1), completed_on=date(2025, 4, 30))  # done
    make_task(wi2, w.member_a, date(2025, 5, 1))  # overdue
    make_task(wi2, w.member_a, date(2025, 6, 30))  # due on the last day: not overdue
    make_task(wi2, w.member_a, date(2025, 5, 1), completed_on=date(2025, 7, 10))  # overdue then
    # Opinions and suggestions of the quarter.
    make_opinion(wi1, date(2025, 4, 5))
    make_opinion(wi1, date(2025, 5, 5), handling="adopted")
    make_opinion(wi1, date(2025, 3, 1), handling="answered")  # previous quarter
    make_suggestion(w.branch_a, date(2025, 4, 2))
    make_suggestion(w.branch_b, date(2025, 6, 30), status="answered")
    make_suggestion(w.branch_a, date(2025, 7, 1), status="closed")  # next quarter
    return w


def test_committee_figures(records):
    f = selectors.compute_figures(records.committee, 2025, 2, today=TODAY)
    assert f["as_of"] == "2025-06-30"
    assert (f["branches"], f["covered_branches"], f["coverage_percent"]) == (2, 1, 50.0)
    assert f["members"] == 6
    assert (f["posts"], f["post_holders"], f["published_posts"]) == (4, 1, 1)
    assert f["committed_members"] == 1
    assert (f["duty_records"], f["duty_checks"]) == (2, 1)
    assert f["work_items"] == 3
    assert [f[f"step_{n}"] for n in range(1, 7)] == [3, 2, 2, 1, 1, 1]
    assert (f["tasks"], f["tasks_completed"], f["tasks_overdue"]) == (4, 1, 2)
    assert (f["opinions"], f["opinions_handled"]) == (2, 1)
    assert (f["suggestions"], f["suggestions_answered"]) == (2, 1)


def test_branch_figures_cover_only_its_subtree(records):
    f = selectors.compute_figures(records.branch_b, 2025, 2, today=TODAY)
    assert (f["branches"], f["covered_branches"], f["coverage_percent"]) == (1, 0, 0.0)
    assert f["members"] == 2  # secretary_b and member_b
    assert (f["posts"], f["published_posts"], f["post_holders"]) == (1, 0, 0)
    assert (f["suggestions"], f["suggestions_answered"]) == (1, 1)
    assert f["duty_records"] == 0


def test_general_branch_full_coverage(records):
    f = selectors.compute_figures(records.gb_a, 2025, 2, today=TODAY)
    assert (f["branches"], f["covered_branches"], f["coverage_percent"]) == (1, 1, 100.0)
    assert f["tasks"] == 4


def test_figures_of_the_current_quarter_stop_today(records):
    f = selectors.compute_figures(records.committee, 2025, 2, today=date(2025, 5, 10))
    assert f["as_of"] == "2025-05-10"
    assert f["duty_records"] == 1  # April 1 only
    assert f["tasks_overdue"] == 2  # deadline May 1 and not done by May 10
    assert f["tasks_completed"] == 1


def test_dissolved_branch_is_not_counted(records):
    extra = make_org(records.gb_b, name="已撤销支部", code="DX")
    extra.dissolved_on = date(2025, 1, 1)
    extra.save()
    f = selectors.compute_figures(records.committee, 2025, 2, today=TODAY)
    assert f["branches"] == 2


def _queries(org, expected=None):
    with assert_num_queries(expected) as ctx:
        selectors.compute_figures(org, 2025, 2, today=TODAY)
    return ctx


def test_query_count_does_not_grow_with_branches(records):
    few = _queries(records.committee)
    for n in range(4):
        branch = make_org(records.gb_b, name=f"新支部{n}", code=f"NB{n}")
        make_post(branch, "published", holder=make_person(branch))
        make_duty_record(records.member_b, branch, date(2025, 5, 1))
    _queries(records.committee, few)
    f = selectors.compute_figures(records.committee, 2025, 2, today=TODAY)
    assert (f["branches"], f["covered_branches"]) == (6, 5)
