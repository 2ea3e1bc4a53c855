"""Pure rules of target management at their boundaries."""

from datetime import date

import pytest

from dangjian.targets import rules
from dangjian.targets.models import AssigneeKind, HonourLevel, OpinionHandling, Step


def test_rule_constants_match_model_choices():
    assert rules.LEVEL_CENTRAL == HonourLevel.CENTRAL
    assert rules.STEP_DONE == Step.DONE
    assert {rules.ASSIGNEE_ORGANISATION, rules.ASSIGNEE_UNIT, rules.ASSIGNEE_PERSON} == set(
        AssigneeKind.values
    )
    assert rules.OPINION_PENDING == OpinionHandling.PENDING


# 《延伸提升168机制意见》§二: county → city → province → central, always the next level up.
@pytest.mark.parametrize(
    "current,target,ok",
    [
        (0, 1, True),  # none → county
        (1, 2, True),  # county → city
        (2, 3, True),  # city → province
        (3, 4, True),  # province → central
        (1, 3, False),  # county → province jumps a level
        (0, 2, False),
        (2, 2, False),  # the same level
        (3, 2, False),  # downwards
    ],
)
def test_goal_level_is_the_next_level(current, target, ok):
    assert (rules.goal_level_error(current, target) is None) is ok


def test_goal_level_refused_names_the_rule():
    error = rules.goal_level_error(1, 3)
    assert "上一级" in error and "市级" in error


def test_no_level_above_central():
    # 《延伸提升168机制意见》§二: 已被中央表彰 has nothing higher to strive for.
    assert rules.next_level(4) is None
    assert "中央" in rules.goal_level_error(4, 4)


# 《延伸提升168机制意见》§二: 力争在3-5年内.
@pytest.mark.parametrize("span,ok", [(2, False), (3, True), (4, True), (5, True), (6, False)])
def test_goal_span_three_to_five_years(span, ok):
    assert (rules.goal_span_error(2026, 2026 + span) is None) is ok


def test_goal_span_message():
    assert "3—5年" in rules.goal_span_error(2026, 2028)


# Overdue the day after the deadline, never on the deadline day (《168模式实施意见》§四(一)3:
# 完成时限).
def test_not_overdue_on_the_deadline_day():
    assert rules.is_overdue(date(2026, 6, 30), None, date(2026, 6, 30)) is False


def test_overdue_the_day_after_the_deadline():
    assert rules.is_overdue(date(2026, 6, 30), None, date(2026, 7, 1)) is True


def test_completed_task_is_never_overdue():
    assert rules.is_overdue(date(2026, 6, 30), date(2026, 7, 5), date(2026, 8, 1)) is False


def test_task_status():
    deadline = date(2026, 6, 30)
    assert rules.task_status(deadline, None, date(2026, 6, 30)) == "open"
    assert rules.task_status(deadline, None, date(2026, 7, 1)) == "overdue"
    assert rules.task_status(deadline, date(2026, 6, 1), date(2026, 7, 1)) == "done"


def test_completed_when_latest_update_is_100():
    assert rules.completed_on_after(100, date(2026, 5, 1)) == date(2026, 5, 1)
    assert rules.completed_on_after(99, date(2026, 5, 1)) is None


@pytest.mark.parametrize("percent,ok", [(-1, False), (0, True), (100, True), (101, False)])
def test_percent_bounds(percent, ok):
    assert (rules.percent_error(percent) is None) is ok


# 《168模式实施意见》§四(一)3: each task goes to one assignee, 责任到人.
@pytest.mark.parametrize(
    "kind,org,unit,person,ok",
    [
        ("organisation", True, False, False, True),
        ("unit", False, True, False, True),
        ("person", False, False, True, True),
        ("organisation", False, False, False, False),  # nothing chosen
        ("unit", True, False, False, False),  # the wrong kind
        ("person", True, False, True, False),  # two assignees
        ("", False, False, True, False),
    ],
)
def test_exactly_one_assignee_of_the_kind(kind, org, unit, person, ok):
    assert (rules.assignee_error(kind, org, unit, person) is None) is ok


def test_opinion_handled_needs_a_response():
    assert rules.opinion_response_error("pending", "") is None
    assert rules.opinion_response_error("adopted", "已纳入年度计划") is None
    assert "答复" in rules.opinion_response_error("answered", "  ")


# --- the six steps (《168模式实施意见》§四(一)) ----------------------------------------------

F = rules.StepFacts


@pytest.mark.parametrize(
    "step,facts,missing",
    [
        (1, F(), 1),
        (1, F(opinions=2, pending_opinions=1), 1),
        (1, F(opinions=2), 0),
        (2, F(), 1),
        (2, F(decisions=1), 0),
        (3, F(), 1),
        (3, F(tasks=1), 0),
        (4, F(), 1),
        (4, F(tasks=2, unpublished_tasks=1), 1),
        (4, F(tasks=2), 0),
        (5, F(tasks=2, tasks_without_progress=1), 1),
        (5, F(tasks=2), 0),
        (6, F(), 1),
        (6, F(has_evaluation=True), 1),
        (6, F(has_evaluation=True, evaluation_published=True), 0),
        (7, F(), 0),
    ],
)
def test_step_missing(step, facts, missing):
    assert len(rules.step_missing(step, facts)) == missing


def test_step_missing_names_the_rule():
    assert rules.step_missing(1, F(opinions=3, pending_opinions=2)) == [
        "还有2条意见待处理（征求意见：每条意见须梳理分类，并予以采纳或答复）"
    ]
    assert "议事决策" in rules.step_missing(2, F())[0]
    assert "未公开承诺" in rules.step_missing(4, F(tasks=3, unpublished_tasks=3))[0]
    assert "未报告进展" in rules.step_missing(5, F(tasks=1, tasks_without_progress=1))[0]
    assert "尚未公布" in rules.step_missing(6, F(has_evaluation=True))[0]


def test_step_states():
    states = rules.step_states(3)
    assert [s for _, _, s in states] == ["done", "done", "current", "pending", "pending", "pending"]
    assert all(s == "done" for _, _, s in rules.step_states(7))
    assert states[0][1] == "征求意见"
