"""Boundary tests of the quarterly-report rules (reports/rules.py)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.reports import rules


# 《延伸提升168机制意见》§五: “每季度第三个月20日前…报送市委教育工委”.
@pytest.mark.parametrize(
    "quarter,due",
    [
        (1, date(2026, 3, 20)),
        (2, date(2026, 6, 20)),
        (3, date(2026, 9, 20)),
        (4, date(2026, 12, 20)),
    ],
)
def test_due_date_is_the_20th_of_the_third_month(quarter, due):
    assert rules.due_date(2026, quarter) == due


def test_due_date_rejects_a_fifth_quarter():
    with pytest.raises(ValueError):
        rules.due_date(2026, 5)


# 《延伸提升168机制意见》§五: submitted on the 20th is on time, on the 21st late.
def test_submitted_on_the_due_date_is_on_time():
    due = date(2026, 3, 20)
    assert not rules.is_overdue(due, date(2026, 3, 20), today=date(2026, 4, 30))
    assert rules.deadline_state(due, date(2026, 3, 20), date(2026, 4, 30)) == "on_time"


def test_submitted_the_day_after_is_late():
    due = date(2026, 3, 20)
    assert rules.is_overdue(due, date(2026, 3, 21), today=date(2026, 3, 21))
    assert rules.deadline_state(due, date(2026, 3, 21), date(2026, 3, 21)) == "late"


def test_not_submitted_is_overdue_from_the_21st():
    due = date(2026, 3, 20)
    assert not rules.is_overdue(due, None, today=date(2026, 3, 20))
    assert rules.deadline_state(due, None, date(2026, 3, 20)) == "pending"
    assert rules.is_overdue(due, None, today=date(2026, 3, 21))
    assert rules.deadline_state(due, None, date(2026, 3, 21)) == "overdue"


@pytest.mark.parametrize(
    "day,quarter",
    [
        (date(2026, 1, 1), 1),
        (date(2026, 3, 31), 1),
        (date(2026, 4, 1), 2),
        (date(2026, 6, 30), 2),
        (date(2026, 7, 1), 3),
        (date(2026, 9, 30), 3),
        (date(2026, 10, 1), 4),
        (date(2026, 12, 31), 4),
    ],
)
def test_quarter_of(day, quarter):
    assert rules.quarter_of(day) == quarter


def test_quarter_bounds():
    assert rules.quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert rules.quarter_bounds(2026, 2) == (date(2026, 4, 1), date(2026, 6, 30))
    assert rules.quarter_bounds(2026, 3) == (date(2026, 7, 1), date(2026, 9, 30))
    assert rules.quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_date_lies_in_its_quarter(day):
    start, end = rules.quarter_bounds(day.year, rules.quarter_of(day))
    assert start <= day <= end
    assert start <= rules.due_date(day.year, rules.quarter_of(day)) <= end


def test_figures_as_of_is_quarter_end_or_today_if_earlier():
    assert rules.figures_as_of(2026, 1, date(2026, 2, 10)) == date(2026, 2, 10)
    assert rules.figures_as_of(2026, 1, date(2026, 5, 1)) == date(2026, 3, 31)


# DOMAIN §10: coverage = covered active branches / active branches.
def test_coverage_of_no_branches_is_zero():
    assert rules.coverage_percent(0, 0) == 0.0


@pytest.mark.parametrize(
    "covered,total,percent",
    [(1, 3, 33.3), (2, 3, 66.7), (1, 8, 12.5), (3, 3, 100.0), (0, 5, 0.0), (1999, 2000, 99.9)],
)
def test_coverage_percent_rounds_to_one_decimal(covered, total, percent):
    assert rules.coverage_percent(covered, total) == percent


def test_coverage_never_rounds_up_to_100_while_a_branch_is_missing():
    # 19999 of 20000 = 99.995 → would round to 100.0
    assert rules.coverage_percent(19999, 20000) == 99.9


def test_coverage_rejects_impossible_counts():
    with pytest.raises(ValueError):
        rules.coverage_percent(4, 3)


# 《延伸提升168机制意见》§五: “今年12月底前，学校党组织“168”机制推广面要达到100%”.
def test_target_before_year_end_is_progress():
    assert rules.coverage_target_met(99.9, 2026, date(2026, 12, 31)) is None
    assert rules.coverage_verdict(99.9, 2026, date(2026, 12, 31)) == "in_progress"


def test_target_after_december_below_100_is_a_shortfall():
    assert rules.coverage_target_met(99.9, 2026, date(2027, 1, 1)) is False
    assert rules.coverage_verdict(99.9, 2026, date(2027, 1, 1)) == "shortfall"


def test_target_met_at_100_any_time():
    assert rules.coverage_target_met(100.0, 2026, date(2027, 1, 1)) is True
    assert rules.coverage_target_met(100.0, 2026, date(2026, 3, 1)) is True


# A branch runs the mechanism with at least one published (明岗) post of the year.
def test_runs_mechanism_needs_one_published_post():
    assert not rules.runs_mechanism(0)
    assert rules.runs_mechanism(1)


def test_coverage_counts_a_branch_by_its_groups_posts_too():
    branches = ["0001000100010001", "0001000100010002"]
    published = {"00010001000100010001": 2, "0001000100010003": 5, "00010001": 1}
    assert rules.coverage_counts(branches, published) == (1, 2)


def test_committee_report_needs_no_review():
    assert not rules.needs_review("committee")
    assert rules.needs_review("general_branch")
    assert rules.needs_review("branch")


def test_steps_reached():
    assert rules.steps_reached(7, 6)
    assert rules.steps_reached(3, 3)
    assert not rules.steps_reached(2, 3)


def test_task_overdue_boundaries():
    as_of = date(2026, 3, 31)
    assert not rules.task_overdue(date(2026, 3, 31), None, as_of)  # due today: not yet
    assert rules.task_overdue(date(2026, 3, 30), None, as_of)
    assert not rules.task_overdue(date(2026, 3, 30), date(2026, 3, 31), as_of)
    assert rules.task_overdue(date(2026, 3, 30), date(2026, 4, 2), as_of)  # done after as_of
