"""The pure rules of member duty evaluation at their boundaries (《168模式实施意见》§五(二)5;
《延伸提升168机制意见》§三; 《设岗定责通知》§5)."""

from datetime import date
from decimal import Decimal as D

import pytest

from dangjian.appraisal import rules

W = (D(20), D(30), D(50))


# 《168模式实施意见》§五(二)5: 90分以上为优秀，80分以上为称职，60-79分为基本称职，60分以下为不称职
@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("100", "优秀"),
        ("90", "优秀"),
        ("89.9", "称职"),
        ("80", "称职"),
        ("79.9", "基本称职"),
        ("60", "基本称职"),
        ("59.9", "不称职"),
        ("0", "不称职"),
    ],
)
def test_grade_bands_of_seed_000(score, expected):
    assert rules.grade(D(score)) == expected


def test_grade_with_configured_bands():
    bands = rules.normalise_bands([[85, "优秀"], [70, "合格"]])  # 不称职 from 0 is added
    assert bands == [[85, "优秀"], [70, "合格"], [0, "不称职"]]
    assert rules.grade(D("84.9"), bands) == "合格"
    assert rules.grade(D("85"), bands) == "优秀"
    assert rules.grade(D("69.9"), bands) == "不称职"
    assert rules.bands_error(bands) is None


def test_bands_errors():
    assert rules.bands_error([[90, "优秀"]]) is not None
    assert rules.bands_error([[80, "甲"], [90, "乙"], [0, "丙"]]) is not None  # not descending
    assert rules.bands_error([[90, "甲"], [80, "甲"], [0, "丙"]]) is not None  # same name
    assert rules.bands_error([[90, "甲"], [80, "乙"]]) is not None  # no band from 0
    assert rules.bands_error(rules.normalise_bands(rules.DEFAULT_BANDS)) is None
    assert rules.normalise_bands([[89.5, "优秀"]])[0] == [89.5, "优秀"]


# Weights are data and must total exactly 100 (《168模式实施意见》§五(二)5: the three sources
# combined)
@pytest.mark.parametrize(
    ("weights", "ok"),
    [
        ((20, 30, 50), True),
        ((0, 0, 100), True),  # a component may be 0
        ((50, 0, 50), True),
        (("19.9", 30, 50), False),  # 99.9
        (("20.1", 30, 50), False),  # 100.1
        ((0, 0, 0), False),  # not all three
        ((-10, 60, 50), False),
        (("33.33", "33.33", "33.34"), True),
    ],
)
def test_weights_must_total_100(weights, ok):
    error = rules.weights_error(*(D(str(w)) for w in weights))
    assert (error is None) is ok


def test_weights_error_names_the_total():
    error = rules.weights_error(D("19.9"), D(30), D(50))
    assert (
        error is not None
        and "合计须为100" in error
        and "99.9" in error
        and "《168模式实施意见》" in error
    )


def test_final_score_weighted_and_cut_to_one_decimal():
    assert rules.final_score(D(90), D(85), D(95), W) == D("91.0")  # 18 + 25.5 + 47.5
    # 0.2*88.25 + 0.3*91.67 + 0.5*86.33 = 17.65 + 27.501 + 43.165 = 88.316 → 88.3
    assert rules.final_score(D("88.25"), D("91.67"), D("86.33"), W) == D("88.3")
    # cut, never rounded up: 89.95 reads 89.9, not 90.0
    assert rules.final_score(D("89.95"), D("89.95"), D("89.95"), W) == D("89.9")
    assert rules.final_score(D("89.94"), D("89.94"), D("89.94"), W) == D("89.9")


# 《168模式实施意见》§五(二)5: 90分以上为优秀，80分以上为称职，60-79分为基本称职，60分以下为不称职.
# A total a hair under a boundary stays in the band below it (it used to be rounded up first).
@pytest.mark.parametrize(
    ("boundary", "below", "at"),
    [(90, "称职", "优秀"), (80, "基本称职", "称职"), (60, "不称职", "基本称职")],
)
def test_grade_is_decided_on_the_exact_total(boundary, below, at):
    just_below = D(boundary) - D("0.01")
    exact = rules.weighted_total(just_below, just_below, just_below, W)
    assert exact == just_below
    assert rules.grade(exact) == below
    assert rules.shown_total(exact) == D(boundary) - D("0.1")
    assert rules.grade(rules.shown_total(exact)) == below
    # weighted parts that only reach the boundary together
    exact = rules.weighted_total(D(boundary) - D("0.05"), D(boundary), D(boundary), W)
    assert exact == D(boundary) - D("0.01")
    assert rules.grade(exact) == below
    assert rules.grade(rules.weighted_total(D(boundary), D(boundary), D(boundary), W)) == at


def test_final_score_missing_self_counts_zero_and_zero_weights_ignored():
    assert rules.final_score(None, D(80), D(80), W) == D("64.0")
    assert rules.final_score(D(90), None, D(80), (D(20), D(0), D(80))) == D("82.0")


def test_mean_of_raters():
    assert rules.mean([]) is None
    assert rules.mean([D(80), D(85), D(90)]) == D("85.00")
    assert rules.mean([D("80.5"), D(81)]) == D("80.75")
    assert rules.mean([D(80), D(80), D(81)]) == D("80.33")
    # cut, not rounded up: 89.9, 90, 90 → 89.96 (89.9666…), never 89.97
    assert rules.mean([D("89.9"), D(90), D(90)]) == D("89.96")
    assert rules.mean([D("89.99"), D(90)]) == D("89.99")  # 89.995 stays below 90


def test_survey_below_minimum_cannot_give_a_masses_score():
    assert rules.masses_short(9, 10)
    assert not rules.masses_short(10, 10)
    message = rules.masses_short_message("机关一支部", 9, 10)
    assert "已回收9份，最少10份" in message and "机关一支部" in message


def test_missing_ratings_message_names_people():
    message = rules.missing_ratings_message(["张三", "李四"], "机关一支部")
    assert "张三、李四" in message and "机关一支部" in message and "综合评定" in message


# 《168模式实施意见》§五(二)5 and 《设岗定责通知》§5: 对群众评议不好、履行职责较差的党员……限期整改
@pytest.mark.parametrize(
    ("grade", "masses", "expected"),
    [
        ("不称职", None, True),
        ("不称职", D(90), True),
        ("基本称职", D("59.99"), True),  # the masses' opinion is poor
        ("基本称职", D(60), False),
        ("称职", None, False),
        ("优秀", D("59.9"), True),
    ],
)
def test_needs_rectification(grade, masses, expected):
    assert rules.needs_rectification(grade, masses) is expected


def test_rectification_reason_and_deadline():
    reason = rules.rectification_reason("不称职", D("55.5"))
    assert "不称职" in reason and "55.5" in reason
    assert rules.rectify_deadline(date(2026, 10, 1)) == date(2026, 12, 30)  # 90 days
    assert rules.rectify_deadline(date(2026, 10, 1), 30) == date(2026, 10, 31)
    assert rules.rectification_overdue("open", date(2026, 1, 1), date(2026, 1, 2))
    assert not rules.rectification_overdue("open", date(2026, 1, 1), date(2026, 1, 1))
    assert not rules.rectification_overdue("done", date(2026, 1, 1), date(2026, 3, 1))


# 《延伸提升168机制意见》§三: 对作用发挥好、群众公认的党员可授予“党员示范（先锋）岗”“优秀共产党员”
def test_only_excellent_may_receive_honour():
    assert rules.may_receive_honour("优秀")
    for grade in ("称职", "基本称职", "不称职", ""):
        assert not rules.may_receive_honour(grade)
    assert "只有考评等次为优秀" in rules.honour_refused_message("称职")
    # 群众公认: not with a masses score calling for rectification (a small masses weight)
    assert rules.may_receive_honour("优秀", masses_score=D(60))
    assert not rules.may_receive_honour("优秀", masses_score=D("59.99"))
    assert "群众公认" in rules.honour_refused_message("优秀", masses_score=D("59.99"))


# 《延伸提升168机制意见》§三: 一季一评、半年初评、年终总评
def test_period_dates_and_labels():
    assert rules.period_dates("quarter", 2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert rules.period_dates("quarter", 2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert rules.period_dates("quarter", 2024, 1)[1] == date(2024, 3, 31)
    assert rules.period_dates("half_year", 2026) == (date(2026, 1, 1), date(2026, 6, 30))
    assert rules.period_dates("year", 2026) == (date(2026, 1, 1), date(2026, 12, 31))
    assert rules.period_dates("democratic", 2026) == (date(2026, 1, 1), date(2026, 12, 31))
    assert rules.period_label("quarter", 2026, 3) == "2026年第三季度"
    assert rules.default_title("democratic", 2026) == "2026年度民主评议党员"
    assert "一季一评" in rules.default_title("quarter", 2026, 2)
    assert rules.default_window("quarter", 2026, 1) == (date(2026, 3, 1), date(2026, 4, 15))


def test_period_errors():
    assert rules.period_error("quarter", 0) is not None
    assert rules.period_error("quarter", 5) is not None
    assert rules.period_error("quarter", 4) is None
    assert rules.period_error("year", 2) is not None
    assert rules.period_error("half_year", 1) is None


def test_window_open_on_both_end_days():
    start, end = date(2026, 9, 1), date(2026, 9, 30)
    assert rules.window_open(start, end, start) and rules.window_open(start, end, end)
    assert not rules.window_open(start, end, date(2026, 8, 31))
    assert not rules.window_open(start, end, date(2026, 10, 1))
    q3 = rules.period_dates("quarter", 2026, 3)
    assert rules.window_error(start, end, *q3) is None
    assert rules.window_error(end, start, *q3) is not None


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "ok"),
    [
        (date(2026, 9, 1), date(2026, 10, 15), True),  # the default: last month + 15 days
        (date(2026, 6, 1), date(2026, 7, 1), True),  # ends on the period's first day
        (date(2026, 6, 1), date(2026, 6, 30), False),  # over before the period begins
        (date(2027, 10, 1), date(2027, 10, 30), True),  # begins 366 days after the period
        (date(2027, 10, 2), date(2027, 10, 30), False),
        (date(2026, 7, 1), date(2027, 7, 2), True),  # 366 days
        (date(2026, 7, 1), date(2027, 7, 3), False),
        (date(1, 1, 1), date(9999, 12, 31), False),
    ],
)
def test_window_belongs_to_its_period(starts_on, ends_on, ok):
    """Q3 2026 (1 July – 30 September): the window of 述岗自评 and 综合评定 cannot end before
    the period begins, begin more than a year after it ended, or last more than a year."""
    q3 = rules.period_dates("quarter", 2026, 3)
    assert (rules.window_error(starts_on, ends_on, *q3) is None) is ok


def test_dates_after_the_computation():
    computed, today = date(2026, 10, 1), date(2026, 10, 20)
    check = rules.after_computation_error
    assert check(computed, computed, today, "说明日期") is None
    assert check(today, computed, today, "说明日期") is None
    assert "早于" in check(date(2026, 9, 30), computed, today, "说明日期")
    assert "晚于今天" in check(date(2026, 10, 21), computed, today, "授予日期")
    assert check(date(2020, 1, 1), None, today, "授予日期") is None


@pytest.mark.parametrize(
    ("population", "status", "category", "holds", "expected"),
    [
        ("all", "full", "staff", False, True),
        ("all", "probationary", "student", False, True),
        ("all", "activist", "student", False, False),
        ("full", "probationary", "staff", False, False),
        ("full", "full", "retiree", False, True),
        ("staff", "full", "student", False, False),
        ("staff", "probationary", "staff", False, True),
        ("student", "full", "student", False, True),
        ("post_holders", "full", "staff", False, False),
        ("post_holders", "full", "staff", True, True),
    ],
)
def test_population(population, status, category, holds, expected):
    assert rules.in_population(population, status, category, holds) is expected


def test_score_range():
    assert rules.score_error(D(0)) is None and rules.score_error(D(100)) is None
    assert rules.score_error(D("100.1")) is not None and rules.score_error(D("-0.1")) is not None


def test_grade_counts_in_band_order():
    counts = rules.grade_counts(["称职", "优秀", "称职", "x"])
    assert list(counts.items()) == [("优秀", 1), ("称职", 2), ("基本称职", 0), ("不称职", 0)]


# 《168模式实施意见》§五(二)5: 年终结合……民主评议党员工作进行考评 — the year's 评岗
@pytest.mark.parametrize(
    "kind, evaluates",
    [("year", True), ("democratic", True), ("quarter", False), ("half_year", False)],
)
def test_only_the_year_end_and_democratic_appraisals_evaluate_posts(kind, evaluates):
    assert rules.evaluates_posts(kind) is evaluates
