"""The pure rules of the surveys of the masses, at their boundaries."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.surveys import rules


# The minimum before a result shows (ours, configurable): 9 of 10 hidden, 10 of 10 shown.
def test_result_visible_from_the_minimum_on():
    assert not rules.result_visible(9, 10)
    assert rules.result_visible(10, 10)
    assert rules.result_visible(11, 10)
    assert not rules.result_visible(0, rules.MIN_RESPONSES)
    assert rules.MIN_RESPONSES == 10 and rules.MIN_RESPONSES_FLOOR == 3


def test_min_responses_floor_and_ceiling():
    error = rules.min_responses_error(2)
    assert error is not None and "不能少于3票" in error
    assert rules.min_responses_error(3) is None
    assert rules.min_responses_error(rules.MIN_RESPONSES_CEILING) is None
    assert "不能超过" in rules.min_responses_error(rules.MIN_RESPONSES_CEILING + 1)
    assert rules.min_responses_error(4, floor=5) is not None  # a stricter floor from settings


def test_progress_percent():
    assert rules.progress_percent(0, 10) == 0
    assert rules.progress_percent(9, 10) == 90
    assert rules.progress_percent(10, 10) == 100
    assert rules.progress_percent(25, 10) == 100
    assert rules.progress_percent(1, 3) == 33


# 《168模式实施意见》§五(二)5: the four grades; each rating scores the middle of its band.
def test_member_rating_scores_sit_in_their_grade():
    for rating, score in rules.MEMBER_RATING_SCORES.items():
        label = {"excellent": "优秀", "competent": "称职", "basic": "基本称职"}.get(
            rating, "不称职"
        )
        assert rules.grade_for(Decimal(score)) == label


@pytest.mark.parametrize(
    "score,grade",
    [
        ("90", "优秀"),
        ("89.99", "称职"),
        ("80", "称职"),
        ("79.99", "基本称职"),
        ("60", "基本称职"),
        ("59.99", "不称职"),
        ("0", "不称职"),
    ],
)
def test_grade_bands_seed_000(score, grade):
    # 《168模式实施意见》§五(二)5: 90分以上为优秀，80分以上为称职，60-79分为基本称职，60分以下为不称
    # 职
    assert rules.grade_for(Decimal(score)) == grade


def test_grade_of_nothing_is_blank():
    assert rules.grade_for(None) == ""


def test_mean_score_two_decimals_cut():
    scores = rules.scores_for("member_rating")
    assert rules.mean_score({}, scores) is None
    assert rules.mean_score({"excellent": 1, "competent": 1}, scores) == Decimal("90.00")
    assert rules.mean_score({"excellent": 1, "basic": 2}, scores) == Decimal("78.33")
    # cut, never rounded up (it feeds the member's evaluation total): 91.666… → 91.66
    assert rules.mean_score({"excellent": 2, "competent": 1}, scores) == Decimal("91.66")
    # ratings of another kind do not count
    assert rules.mean_score({"satisfied": 5, "incompetent": 1}, scores) == Decimal("50.00")


# 《支部考核办法》评分表第16项: 对党支部工作进行满意度测评，根据测评结果给分
def test_satisfaction_rate():
    assert rules.satisfaction_rate({}) is None
    dist = {"satisfied": 2, "fairly_satisfied": 1, "dissatisfied": 1}
    assert rules.satisfaction_rate(dist) == Decimal("75.00")
    assert rules.satisfaction_rate({"satisfied": 1, "dissatisfied": 2}) == Decimal("33.33")
    assert rules.satisfaction_rate({"fairly_satisfied": 2, "dissatisfied": 1}) == Decimal("66.67")
    assert rules.mean_score(dist, rules.scores_for("branch_satisfaction")) == Decimal("67.50")


def test_scores_overrides_only_known_ratings():
    table = rules.scores_for("member_rating", {"excellent": 100, "satisfied": 1, "bogus": 3})
    assert table["excellent"] == 100 and "satisfied" not in table and "bogus" not in table
    assert rules.ratings_for("member_rating") == ("excellent", "competent", "basic", "incompetent")
    assert rules.ratings_for("branch_satisfaction") == (
        "satisfied",
        "fairly_satisfied",
        "dissatisfied",
    )


def test_period():
    assert rules.period_error(date(2026, 3, 1).toordinal(), date(2026, 3, 1).toordinal()) is None
    assert "截止日期" in rules.period_error(
        date(2026, 3, 2).toordinal(), date(2026, 3, 1).toordinal()
    )


def test_answerable_on_the_first_and_last_day_only():
    opens, closes = date(2026, 3, 1), date(2026, 3, 15)
    assert rules.unanswerable("open", opens, closes, date(2026, 2, 28)) == rules.NOT_OPEN
    assert rules.unanswerable("open", opens, closes, opens) is None
    assert rules.unanswerable("open", opens, closes, closes) is None
    assert rules.unanswerable("open", opens, closes, date(2026, 3, 16)) == rules.CLOSED
    assert rules.unanswerable("closed", opens, closes, date(2026, 3, 5)) == rules.CLOSED


def test_ballot_errors():
    ok = rules.ballot_errors("member_rating", {1, 2}, {1: "excellent", 2: "basic"}, "")
    assert ok == {}
    missing = rules.ballot_errors("member_rating", {1, 2}, {1: "excellent"}, "")
    assert "还有1位测评对象未评价" in missing["ratings"]
    extra = rules.ballot_errors("member_rating", {1}, {1: "excellent", 9: "basic"}, "")
    assert "请对每一位测评对象作出评价" in extra["ratings"]
    wrong_kind = rules.ballot_errors("member_rating", {1}, {1: "satisfied"}, "")
    assert wrong_kind["ratings"] == "评价选项无效。"
    branch = rules.ballot_errors("branch_satisfaction", {None}, {None: "satisfied"}, "")
    assert branch == {}
    none_given = rules.ballot_errors("branch_satisfaction", {None}, {}, "")
    assert "满意程度" in none_given["ratings"]


def test_comment_500_ok_501_refused():
    assert rules.ballot_errors("branch_satisfaction", {None}, {None: "satisfied"}, "字" * 500) == {}
    errors = rules.ballot_errors("branch_satisfaction", {None}, {None: "satisfied"}, "字" * 501)
    assert errors == {"comment": "意见建议不能超过500字。"}


@given(
    st.dictionaries(
        st.sampled_from(rules.MEMBER_RATINGS), st.integers(min_value=0, max_value=500), min_size=1
    )
)
def test_mean_score_between_lowest_and_highest(distribution):
    scores = rules.scores_for("member_rating")
    mean = rules.mean_score(distribution, scores)
    if sum(distribution.values()) == 0:
        assert mean is None
    else:
        given_scores = [scores[r] for r, n in distribution.items() if n]
        assert min(given_scores) <= mean <= max(given_scores)


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100))
def test_satisfaction_rate_is_a_percentage(pleased, dissatisfied):
    rate = rules.satisfaction_rate({"satisfied": pleased, "dissatisfied": dissatisfied})
    if pleased + dissatisfied == 0:
        assert rate is None
    else:
        assert Decimal(0) <= rate <= Decimal(100)
