"""The rules of 联述联评联考 at their boundaries (《组织建设年实施方案》§二(六), §四(三);
weights and bands are ours, configurable)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.review import rules

D = Decimal


@pytest.mark.parametrize(
    ("masses", "review", "total"),
    [
        (D("95"), D("85"), D("89.0")),  # 38 + 51
        (D("94.99"), D("87.6"), D("90.5")),  # 37.996 + 52.56 = 90.556 → cut
        (D("89.99"), D("89.98"), D("89.9")),  # 89.984 never rounds up to 90.0
        (D("100"), D("100"), D("100.0")),
        (D("0"), D("0"), D("0.0")),
    ],
)
def test_combined_score_weights_and_cut(masses, review, total):
    assert rules.combined_score(masses, review, (40, 60)) == total


def test_combined_score_other_weights():
    assert rules.combined_score(D("80"), D("90"), (50, 50)) == D("85.0")
    assert rules.combined_score(D("80"), D("90"), (0, 100)) == D("90.0")


@pytest.mark.parametrize(
    ("score", "grade"),
    [(D("100"), "优秀"), (D("90"), "优秀"), (D("89.9"), "称职"), (D("80"), "称职"),
     (D("79.9"), "基本称职"), (D("60"), "基本称职"), (D("59.9"), "不称职"), (D("0"), "不称职")],
)  # fmt: skip
def test_grade_bands(score, grade):
    assert rules.grade(score) == grade


def test_grade_custom_bands():
    bands = ((85, "好"), (0, "差"))
    assert rules.grade(D("85"), bands) == "好"
    assert rules.grade(D("84.9"), bands) == "差"


@pytest.mark.parametrize(
    ("masses", "review", "ok"),
    [
        (40, 60, True),
        (0, 100, True),
        (100, 0, True),
        (40, 59, False),
        (41, 60, False),
        (-1, 101, False),
    ],
)
def test_weights_total_exactly_100(masses, review, ok):
    error = rules.weights_error(masses, review)
    assert (error is None) is ok
    if not ok:
        assert "100" in error or "负数" in error


@pytest.mark.parametrize(
    ("value", "ok"),
    [(0, True), (100, True), ("85.5", True), ("-0.1", False), ("100.1", False), ("85.55", False),
     ("abc", False), ("NaN", False)],
)  # fmt: skip
def test_review_score_bounds(value, ok):
    assert (rules.score_error(value) is None) is ok


def test_report_text_minimum():
    assert rules.report_text_error("字" * 50) is None
    error = rules.report_text_error("字" * 49)
    assert "至少50字" in error and "§四(三)" in error
    assert rules.report_text_error("  " + "字" * 49 + "  ") is not None  # blanks do not count
    assert rules.report_text_error("字" * 20001) is not None


def test_steps_in_order():
    assert rules.step_error("pending", "submit") is None
    assert rules.step_error("reported", "submit") is None  # revised until the rating starts
    assert "测评已开始" in rules.step_error("rating", "submit")
    assert "联述" in rules.step_error("pending", "rate")
    assert rules.step_error("reported", "rate") is None
    assert rules.step_error("rating", "rate") is not None
    assert "联评" in rules.step_error("reported", "review")
    assert rules.step_error("rating", "review") is None
    for step in ("submit", "rate", "review"):
        assert rules.step_error("reviewed", step) == rules.STEP_REFUSED["reviewed"]
    with pytest.raises(ValueError):
        rules.step_error("pending", "publish")


def test_masses_minimum():
    """Below the survey's minimum there is no result and no review: 9 of 10 refused, 10 not."""
    error = rules.masses_error(9, 10, visible=False)
    assert "9份" in error and "10份" in error and "§四(三)" in error
    assert rules.masses_error(10, 10, visible=True) is None


def test_publish_needs_every_report_reviewed():
    assert rules.publish_error(0, []) is None
    error = rules.publish_error(7, ["一支部", "二支部", "三支部", "四支部", "五支部", "六支部"])
    assert error.startswith("还有7份") and "五支部等" in error and "六支部" not in error
    assert "等" not in rules.publish_error(1, ["一支部"])


def test_due_and_late():
    due = rules.default_due(2026)
    assert due == date(2026, 12, 31)  # §二(六): 11月—12月
    assert not rules.is_late(date(2026, 12, 31), due, date(2027, 1, 5))  # on the day
    assert rules.is_late(date(2027, 1, 1), due, date(2027, 1, 1))
    assert not rules.is_late(None, due, date(2026, 12, 31))
    assert rules.is_late(None, due, date(2027, 1, 1))  # still missing after the due date


def test_nobody_reviews_themselves():
    assert rules.reviewer_error(5, 5) is not None
    assert rules.reviewer_error(5, 6) is None
    assert rules.reviewer_error(None, 6) is None


scores = st.decimals(min_value=0, max_value=100, places=2)


@given(masses=scores, review=scores, w=st.integers(min_value=0, max_value=100))
def test_combined_lies_between_its_parts(masses, review, w):
    total = rules.combined_score(masses, review, (w, 100 - w))
    assert min(masses, review) - D("0.1") <= total <= max(masses, review)
    assert total == total.quantize(D("0.1"))
