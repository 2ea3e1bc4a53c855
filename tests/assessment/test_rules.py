"""Rules of the branch target-management assessment (《支部考核办法》), at their boundaries."""

from datetime import date
from decimal import Decimal

import pytest

from dangjian.assessment import rules

D = Decimal


# --- grades: 《支部考核办法》§二 (90分及以上优秀, 75—89良好, 60—74合格, 60分以下不合格) -----------


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (100, "优秀"),
        (90, "优秀"),
        (89.9, "良好"),
        (D("89.9"), "良好"),
        (75, "良好"),
        (74.9, "合格"),
        (74.5, "合格"),
        (60, "合格"),
        (59.9, "不合格"),
        (0, "不合格"),
        (103.5, "优秀"),  # with bonus points
    ],
)
def test_grade_bands_seed_004_annex_2(total, expected):
    assert rules.grade(total) == expected


def test_veto_makes_any_total_fail_seed_004_annex_6_2():
    # 支部党员因违纪违法而受到处分的，不论得分高低，均为不合格支部
    assert rules.grade(100, vetoed=True) == "不合格"
    assert rules.grade(D("105.5"), vetoed=True) == "不合格"


def test_configured_bands():
    bands = [[85, "好"], [60, "中"]]
    assert rules.grade(85, bands, below="差") == "好"
    assert rules.grade(84.9, bands, below="差") == "中"
    assert rules.grade(59, bands, below="差") == "差"


def test_band_text_and_validation():
    assert rules.band_text() == "90分及以上为优秀，75—89分为良好，60—74分为合格，60分以下为不合格"
    assert rules.bands_error([[90, "优秀"], [75, "良好"]]) is None
    assert "从高到低" in rules.bands_error([[75, "良好"], [90, "优秀"]])
    assert "从高到低" in rules.bands_error([[75, "良好"], [75, "合格"]])
    assert rules.bands_error([]) is not None
    assert rules.bands_error([["x", "优秀"]]) == "分数线须为数字。"
    assert rules.bands_error([[True, "优秀"]]) == "分数线须为数字。"
    assert rules.bands_error([[90, ""]]) is not None


def test_bands_refuse_infinite_duplicate_and_unreachable_thresholds():
    # review: “inf 优秀” was a 500 on the template form; duplicate grade names broke the chart
    assert rules.bands_error([["inf", "优秀"]]) == "分数线须为不小于0的数字。"
    assert rules.bands_error([["NaN", "优秀"]]) == "分数线须为不小于0的数字。"
    assert "重复" in rules.bands_error([[90, "优秀"], [75, "优秀"]])
    assert "不必列出" in rules.bands_error([[90, "优秀"], [0, "不合格"]])
    assert "满分100分" in rules.bands_error([[100.5, "优秀"]], ceiling=100)
    assert rules.bands_error([[100, "优秀"]], ceiling=100) is None


def test_band_ranges_for_the_printed_grade_boxes():
    assert rules.band_ranges() == [
        ("优秀", "90分及以上"),
        ("良好", "75—89分"),
        ("合格", "60—74分"),
        ("不合格", "60分以下"),
    ]
    assert rules.band_ranges([[85, "好"]], below="差") == [("好", "85分及以上"), ("差", "85分以下")]


# --- item scores ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "ok"),
    [
        (0, True),
        (D("0.5"), True),
        (D("4.5"), True),
        (5, True),
        (D("5.5"), False),
        (-1, False),
        (D("4.3"), False),
        (D("-0.5"), False),
    ],
)
def test_item_score_between_0_and_points_in_half_steps(score, ok):
    assert (rules.score_error(score, 5, 1) is None) is ok


def test_item_score_error_names_the_item():
    assert "第3项" in rules.score_error(6, 5, 3)
    assert "0.5分" in rules.score_error(D("2.2"), 5, 3)


def test_elements_add_up_to_the_points():
    elements = [
        {"name": "健全", "points": 2},
        {"name": "分工", "points": 2},
        {"name": "改选", "points": 1},
    ]
    assert rules.elements_error(elements, 5) is None
    assert "合计5分" in rules.elements_error(elements, 6)
    # an element without points (根据测评结果给分) is not checked
    assert rules.elements_error([{"name": "根据测评结果给分", "points": None}], 10) is None
    assert rules.element_text(elements[0]) == "健全2分"
    assert rules.element_text({"name": "根据测评结果给分", "points": None}) == "根据测评结果给分"


def test_parse_elements_and_bonus_rule():
    assert rules.parse_elements("健全2分、分工2分\n改选1分") == [
        {"name": "健全", "points": 2},
        {"name": "分工", "points": 2},
        {"name": "改选", "points": 1},
    ]
    assert rules.parse_elements("根据测评结果给分") == [
        {"name": "根据测评结果给分", "points": None}
    ]
    assert rules.parse_bonus_rule("国家级3、省部级2\n区级1分/项；校级0.5") == [
        ["国家级", 3],
        ["省部级", 2],
        ["区级", 1],
        ["校级", 0.5],
    ]
    with pytest.raises(ValueError):
        rules.parse_bonus_rule("国家级")


# --- bonus points: 评分表 17–20 -----------------------------------------------------------------


def test_bonus_rule_keeps_its_order_and_is_validated():
    rule = [["国家级", 3], ["省部级", 2], ["区级", 1], ["校级", 0.5]]
    assert list(rules.bonus_options(rule)) == ["国家级", "省部级", "区级", "校级"]
    assert rules.bonus_options({"校级": 0.5})["校级"] == D("0.5")  # a mapping is read too
    assert rules.bonus_options("x") == {}
    assert rules.bonus_rule_error(rule) is None
    assert rules.bonus_rule_error([]) is not None
    assert "大于0" in rules.bonus_rule_error([["国家级", 0]])
    assert "正数" in rules.bonus_rule_error([["国家级", "3"]])
    assert "重复" in rules.bonus_rule_error([["国家级", 3], ["国家级", 2]])
    assert rules.bonus_rule_error([["国家级"]]) is not None


def test_bonus_rule_points_are_bounded_and_have_one_decimal():
    # review: “国家级99999999999999999999” was saved, then every claim failed on the points field
    assert rules.bonus_rule_error([["国家级", 10]]) is None
    assert "不超过10分" in rules.bonus_rule_error([["国家级", 10.5]])
    assert "不超过10分" in rules.bonus_rule_error([["国家级", 99999999999999999999]])
    assert "一位小数" in rules.bonus_rule_error([["国家级", 0.25]])


def test_bonus_points_level_times_count():
    levels = rules.bonus_options([["国家级", 3], ["省部级", 2], ["区级", 1], ["校级", 0.5]])
    assert rules.bonus_points(levels["国家级"], 1) == 3
    assert rules.bonus_points(levels["校级"], 3) == D("1.5")
    with pytest.raises(ValueError):
        rules.bonus_points(1, 0)
    assert rules.claim_error(levels, "国家级", 1) is None
    assert "国家级、省部级、区级、校级" in rules.claim_error(levels, "市级", 1)
    assert rules.claim_error(levels, "校级", 0) == "项数至少为1。"


def test_paper_award_needs_a_paper_item_20():
    assert rules.paper_award_error(papers=1, awards=1) is None
    assert "第20项" in rules.paper_award_error(papers=0, awards=1)


def test_bonus_total_uncapped_by_default_and_capped_when_configured():
    # the seed sets no cap
    assert rules.bonus_total([3, 2, D("0.5")]) == (D("5.5"), D("5.5"))
    # a configured cap of 5: the points above it do not count
    assert rules.bonus_total([3, 2, D("0.5")], cap=5) == (D("5.5"), D("5"))
    assert rules.bonus_total([3, 2], cap=5) == (D("5"), D("5"))
    assert rules.bonus_total([3, D("1.5")], cap=5) == (D("4.5"), D("4.5"))
    assert rules.bonus_total([], cap=5) == (D("0"), D("0"))


def test_total_is_base_plus_counted_bonus():
    assert rules.total([5, D("4.5"), None, 10], D("2")) == D("21.5")
    assert rules.total([], 0) == 0


def test_revised_total():
    assert rules.revised_total_error(D("88.5"), 103) is None
    assert rules.revised_total_error(103, 103) is None
    assert "0～103分" in rules.revised_total_error(D("103.5"), 103)
    assert rules.revised_total_error(-1, 100) is not None
    assert rules.revised_total_error(D("88.55"), 100) == "复核后总分最多保留一位小数。"


# --- appeal: 《支部考核办法》§四(二) --------------------------------------------------------------


def test_appeal_deadline_is_one_week_after_the_notice():
    assert rules.appeal_deadline(date(2026, 12, 1)) == date(2026, 12, 8)


def test_appeal_on_day_7_allowed_day_8_refused_seed_004_annex_4_2():
    notice = date(2026, 12, 1)
    assert rules.appeal_error(notice, date(2026, 12, 1)) is None  # day 0
    assert rules.appeal_error(notice, date(2026, 12, 8)) is None  # day 7
    error = rules.appeal_error(notice, date(2026, 12, 9))  # day 8
    assert "一周内向考核领导小组申请复核" in error
    assert "四(二)" in error and "2026年12月8日" in error
    assert "尚未收到" in rules.appeal_error(notice, date(2026, 11, 30))


def test_configured_appeal_days():
    assert rules.appeal_error(date(2026, 12, 1), date(2026, 12, 11), days=10) is None
    assert rules.appeal_error(date(2026, 12, 1), date(2026, 12, 12), days=10) is not None


def test_answer_within_10_days_later_is_flagged():
    assert rules.answer_due(date(2026, 12, 5)) == date(2026, 12, 15)
    assert not rules.answer_late(date(2026, 12, 5), date(2026, 12, 15))  # day 10
    assert rules.answer_late(date(2026, 12, 5), date(2026, 12, 16))  # day 11


def test_result_fixed_after_the_window():
    due = rules.appeal_deadline(date(2026, 12, 1))
    assert not rules.result_fixed(due, date(2026, 12, 8))  # day 7: the branch may still appeal
    assert rules.result_fixed(due, date(2026, 12, 9))
    assert not rules.result_fixed(None, date(2026, 12, 9))  # not notified


def test_finish_by_mid_december_seed_004_annex_5():
    assert rules.finish_by(2026) == date(2026, 12, 15)


# --- funding: 《基层组织建设实施意见》§四(五)1 and 《支部考核办法》§七(二) ------------------------


def test_funding_minimum_is_100_per_staff_and_50_per_student():
    f = rules.funding(10, 20, "合格")
    assert f.base == D(2000) and f.factor == 1 and f.amount == D("2000.00")
    assert f.minimum == D(2000)


def test_funding_grade_factor():
    assert rules.funding(10, 0, "优秀").amount == D("1200.00")
    assert rules.funding(10, 0, "良好").amount == D("1100.00")
    assert rules.funding(10, 0, "不合格").amount == D("1000.00")
    assert rules.funding(10, 0, None).amount == D("1000.00")


def test_funding_never_below_the_seed_minimum():
    # configured amounts below the seed, or a factor below 1, never go under 100/50 a year
    f = rules.funding(10, 10, "不合格", per_staff=80, per_student=40, factors={"不合格": 0.8})
    assert f.amount == D("1500.00") == f.minimum
    assert rules.funding(10, 10, "优秀", per_staff=150, per_student=60).amount == D("2520.00")
    assert rules.funding(0, 0, "优秀").amount == 0


# --- the general-branch secretary's reference grade: 附件 七(三) ------------------------------


def test_secretary_reference_grade_average_through_the_bands():
    assert rules.secretary_reference_grade([(95, "优秀"), (D("85"), "良好")]) == "优秀"  # 90
    assert rules.secretary_reference_grade([(95, "优秀"), (D("84.8"), "良好")]) == "良好"  # 89.9
    assert rules.secretary_reference_grade([]) is None


def test_secretary_average_is_cut_not_rounded_so_it_matches_the_grade():
    # review: 89.95 was shown as 90.0 beside the grade 良好
    results = [(D("89.9"), "良好"), (90, "优秀")]
    assert rules.average([t for t, _g in results]) == D("89.95")
    assert rules.secretary_reference_grade(results) == "良好"
    assert rules.average([D("89.9"), D("89.9"), 90]) == D("89.93")  # 89.9333…
    assert rules.average([]) is None


def test_secretary_reference_grade_no_better_than_pass_with_a_failed_branch():
    # a vetoed branch (不合格 at 96) keeps the average high: the grade is capped at 合格
    assert rules.secretary_reference_grade([(96, "不合格"), (95, "优秀")]) == "合格"
    assert rules.secretary_reference_grade([(50, "不合格"), (60, "合格")]) == "不合格"


# 《支部考核办法》评分表第16项: 对党支部工作进行满意度测评，根据测评结果给分 (10 points)
@pytest.mark.parametrize(
    "rate, expected",
    [(100, "10"), (0, "0"), (87.5, "9"), (87.49, "8.5"), (82.5, "8.5"), (82.49, "8")],
)
def test_satisfaction_points_follow_the_rate_in_half_points(rate, expected):
    assert rules.satisfaction_points(Decimal(str(rate))) == Decimal(expected)
