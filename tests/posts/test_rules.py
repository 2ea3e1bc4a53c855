"""Pure rules of posts and duty records, at their boundaries."""

from datetime import date
from decimal import Decimal

import pytest

from dangjian.posts import rules


# 《168模式实施意见》§五(二)5: 90分以上为优秀，80分以上为称职，60-79分为基本称职，60分以下为不称职
@pytest.mark.parametrize(
    "score,grade",
    [
        (100, "excellent"),
        (90, "excellent"),
        (89.9, "competent"),
        (80, "competent"),
        (79.9, "basic"),
        (60, "basic"),
        (59.9, "incompetent"),
        (0, "incompetent"),
        (Decimal("89.9"), "competent"),
        (Decimal("90.0"), "excellent"),
    ],
)
def test_grade_for_score_bands(score, grade):
    assert rules.grade_for_score(score) == grade


@pytest.mark.parametrize("score,ok", [(-0.1, False), (0, True), (100, True), (100.1, False)])
def test_score_range(score, ok):
    assert (rules.score_error(score) is None) is ok


# Only Party members (正式 or 预备) hold posts; student posts (《基层组织建设实施意见》§四(四)5)
# only for students.
@pytest.mark.parametrize(
    "status,category,audience,error",
    [
        ("full", "staff", "all", None),
        ("probationary", "student", "all", None),
        ("activist", "staff", "all", rules.NOT_A_MEMBER),
        ("masses", "student", "student", rules.NOT_A_MEMBER),
        ("full", "student", "student", None),
        ("full", "staff", "student", rules.STUDENT_POST_ONLY_FOR_STUDENTS),
        ("full", "retiree", "student", rules.STUDENT_POST_ONLY_FOR_STUDENTS),
        ("full", "staff", "staff", None),
        ("full", "retiree", "staff", None),
        ("full", "student", "staff", rules.STAFF_POST_NOT_FOR_STUDENTS),
    ],
)
def test_holder_error(status, category, audience, error):
    assert rules.holder_error(party_status=status, category=category, audience=audience) == error


def test_in_subtree():
    assert rules.in_subtree("00010001", "0001")
    assert rules.in_subtree("0001", "0001")
    assert not rules.in_subtree("00020001", "0001")
    assert not rules.in_subtree(None, "0001")


# 《168模式实施意见》§五(二)4: a duty record tells what was done — not in the future.
def test_duty_date_not_in_future():
    today = date(2026, 3, 15)
    assert rules.occurred_on_error(today, today) is None
    assert rules.occurred_on_error(date(2026, 3, 16), today) == rules.FUTURE_DATE


def test_month_bounds_whole_calendar_month():
    assert rules.month_bounds(2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert rules.month_bounds(2026, 12) == (date(2026, 12, 1), date(2026, 12, 31))


# 《168模式实施意见》§五(二)4: 党支部书记要按月定期检查 — a whole past or current month.
def test_month_error_current_and_past_only():
    today = date(2026, 3, 15)
    assert rules.month_error(2026, 3, today) is None
    assert rules.month_error(2026, 2, today) is None
    assert rules.month_error(2025, 12, today) is None
    assert rules.month_error(2026, 4, today) == rules.FUTURE_MONTH
    assert rules.month_error(2027, 1, today) == rules.FUTURE_MONTH
    assert rules.month_error(2026, 13, today) is not None
    assert rules.month_error(2026, 0, today) is not None


# 《168模式实施意见》§五(二)4: 党委组织部将按季度检查.
def test_quarters():
    assert rules.quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert rules.quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert rules.quarter_of(date(2026, 3, 31)) == 1
    assert rules.quarter_of(date(2026, 4, 1)) == 2
    today = date(2026, 4, 1)
    assert rules.quarter_error(2026, 2, today) is None
    assert rules.quarter_error(2026, 3, today) == rules.FUTURE_QUARTER
    assert rules.quarter_error(2026, 5, today) is not None


def test_semester():
    assert rules.semester_error(1) is None
    assert rules.semester_error(2) is None
    assert rules.semester_error(3) is not None
