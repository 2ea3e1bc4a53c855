"""The rules of 《组织建设年实施方案》附件1 二 (分类定级、对标整改、晋位升级) at their
boundaries."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.branches import rules

D = Decimal


# --- grades from the bands (the seed names 先进/较好/一般/后进 without numbers) -------------------


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "advanced"),
        ("90", "advanced"),
        ("89.9", "good"),
        ("75", "good"),
        ("74.9", "average"),
        ("60", "average"),
        ("59.9", "lagging"),
        ("0", "lagging"),
    ],
)
def test_suggested_grade_boundaries_with_default_bands(total, grade):
    assert rules.suggested_grade(D(total)) == grade


def test_suggested_grade_with_an_institutions_bands():
    bands = [[85, "先进"], [70.5, "较好"], [50, "一般"]]
    assert rules.suggested_grade(D("85"), bands) == "advanced"
    assert rules.suggested_grade(D("84.9"), bands) == "good"
    assert rules.suggested_grade(D("70.5"), bands) == "good"
    assert rules.suggested_grade(D("70.4"), bands) == "average"
    assert rules.suggested_grade(D("49.9"), bands) == "lagging"


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([[90, "先进"], [75, "较好"]], "依次为先进、较好、一般"),
        ([[75, "较好"], [90, "先进"], [60, "一般"]], "依次为先进、较好、一般"),
        ([[90, "先进"], [90, "较好"], [60, "一般"]], "依次降低"),
        ([[90, "先进"], [95, "较好"], [60, "一般"]], "依次降低"),
        ([[101, "先进"], [75, "较好"], [60, "一般"]], "0～100"),
        ([[90, "先进"], [75, "较好"], [0, "一般"]], "0～100"),
        ([["九十", "先进"], [75, "较好"], [60, "一般"]], "不是数字"),
        ("90,75,60", "列表"),
        ([[90, "先进", 1], [75, "较好"], [60, "一般"]], "[分数, 等次]"),
    ],
)
def test_bad_bands_are_refused_in_chinese(bands, message):
    error = rules.bands_error(bands)
    assert error is not None and message in error
    with pytest.raises(ValueError):
        rules.suggested_grade(D(80), bands)


def test_bands_text_says_the_ranges():
    assert rules.bands_text() == (
        "90分以上为先进，75～89.9分为较好，60～74.9分为一般，60分以下为后进"
    )


@given(st.decimals(min_value=0, max_value=100, places=1))
def test_suggested_grade_is_monotone(total):
    lower = max(total - D("0.1"), D(0))
    assert (
        rules.GRADE_RANK[rules.suggested_grade(lower)]
        <= rules.GRADE_RANK[rules.suggested_grade(total)]
    )


# --- scores -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "ok"), [("0", True), ("10", True), ("9.5", True), ("-0.5", False), ("10.5", False)]
)
def test_a_score_lies_between_zero_and_the_points(score, ok):
    assert (rules.score_error(D(score), D(10)) is None) is ok


def test_total_counts_only_scored_criteria():
    assert rules.total_score([D("8"), None, D("7.5")]) == D("15.5")
    assert rules.total_score([]) == 0


@pytest.mark.parametrize(("points", "ok"), [("99.9", False), ("100", True), ("100.1", False)])
def test_a_standards_points_add_up_to_100(points, ok):
    error = rules.points_total_error([D(points)])
    assert (error is None) is ok
    if not ok:
        assert "合计应为100分" in error


def test_unscored_criteria_block_the_decision():
    assert rules.unscored_error(0) is None
    assert "尚有1个评分项目未评分" in rules.unscored_error(1)


# --- the decision of the level above (二(二)) ----------------------------------------------------


def test_a_grade_other_than_the_suggestion_needs_a_reason():
    assert rules.decision_error("good", "good", "") is None
    assert rules.decision_error("advanced", "good", "") == rules.REASON_REQUIRED
    assert rules.decision_error("advanced", "good", "  ") == rules.REASON_REQUIRED
    assert rules.decision_error("advanced", "good", "年度考核优秀，群众评议满意") is None
    assert "请选择" in rules.decision_error("excellent", "good", "")


def test_the_refusal_names_the_rule_of_the_seed():
    assert "党总支对党支部按先进、较好、一般和后进进行分类定级" in rules.GRADE_BY_LEVEL_ABOVE
    assert "二(二)" in rules.GRADE_BY_LEVEL_ABOVE


# --- movement: 晋位升级 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "movement"),
    [
        ("average", "good", "up"),
        ("lagging", "advanced", "up"),
        ("good", "good", "same"),
        ("advanced", "good", "down"),
        (None, "good", None),
        ("good", "", None),
    ],
)
def test_movement_between_two_grades(before, after, movement):
    assert rules.movement(before, after) == movement


# --- 支部班子是否健全 -----------------------------------------------------------------------------


def test_committee_complete_at_the_threshold_of_seven_members():
    assert rules.committee_complete(6, {"secretary"})
    assert not rules.committee_complete(7, {"secretary"})
    assert not rules.committee_complete(7, {"secretary", "organisation"})
    assert rules.committee_complete(7, {"secretary", "organisation", "propaganda"})
    assert not rules.committee_complete(3, {"organisation"})
    assert rules.committee_complete(7, {"secretary"}, threshold=8)


# --- the year's timeline (二(一)—(六)) ------------------------------------------------------------


def test_the_seeds_timeline():
    dates = rules.timeline_dates(2026)
    assert dates["plans_due"] == date(2026, 3, 29)
    assert dates["grading_due"] == date(2026, 3, 30)
    assert (dates["restructure_from"], dates["restructure_to"]) == (
        date(2026, 4, 1),
        date(2026, 5, 31),
    )
    assert dates["rectification_plans_due"] == date(2026, 5, 31)
    assert (dates["regrading_from"], dates["regrading_to"]) == (
        date(2026, 6, 1),
        date(2026, 10, 31),
    )
    assert dates["items_due"] == date(2026, 12, 31)
    assert (dates["review_from"], dates["review_to"]) == (date(2026, 11, 1), date(2026, 12, 31))
    assert rules.timeline_error(dates, 2026) is None


def test_timeline_overrides_and_bad_ones():
    dates = rules.timeline_dates(2026, {"grading_due": "04-15", "plans_due": (4, 10)})
    assert dates["grading_due"] == date(2026, 4, 15) and dates["plans_due"] == date(2026, 4, 10)
    assert rules.timeline_dates(2027, {"plans_due": "02-29"})["plans_due"] == date(2027, 2, 28)
    assert rules.timeline_dates(2028, {"plans_due": "02-29"})["plans_due"] == date(2028, 2, 29)
    for bad in ({"grading": (3, 30)}, {"grading_due": (2, 30)}, {"grading_due": "3/30"}):
        with pytest.raises(ValueError):
            rules.timeline_dates(2026, bad)


def test_timeline_errors():
    dates = rules.timeline_dates(2026)
    assert rules.timeline_error(dates, 2025)[0] == "plans_due"
    assert rules.timeline_error({**dates, "restructure_to": date(2026, 3, 31)}, 2026)[0] == (
        "restructure_to"
    )
    assert rules.timeline_error({**dates, "regrading_from": date(2026, 3, 30)}, 2026)[0] == (
        "regrading_from"
    )
    assert rules.timeline_error({**dates, "items_due": date(2026, 5, 30)}, 2026)[0] == "items_due"


@pytest.mark.parametrize(
    ("day", "keys"),
    [
        (date(2026, 3, 29), ["mobilise", "survey"]),
        (date(2026, 3, 30), ["survey"]),
        (date(2026, 3, 31), ["rectify"]),
        (date(2026, 4, 1), ["restructure", "rectify"]),
        (date(2026, 5, 31), ["restructure", "rectify"]),
        (date(2026, 6, 1), ["rectify", "regrade"]),
        (date(2026, 10, 31), ["rectify", "regrade"]),
        (date(2026, 11, 1), ["rectify", "review"]),
    ],
)
def test_which_phases_a_day_falls_in(day, keys):
    timeline = rules.phases(rules.timeline_dates(2026))
    assert [p.key for p in rules.phases_on(day, timeline)] == keys


def test_phase_status_and_deadlines():
    timeline = rules.phases(rules.timeline_dates(2026))
    survey = timeline[1]
    assert survey.status(date(2026, 3, 30)) == "current"
    assert survey.status(date(2026, 3, 31)) == "done"
    assert timeline[4].status(date(2026, 5, 31)) == "upcoming"
    assert [d.key for d in rules.deadlines(rules.timeline_dates(2026))] == [
        "plans_due",
        "grading_due",
        "rectification_plans_due",
        "regrading_to",
        "items_due",
    ]


# --- deadline checks ------------------------------------------------------------------------------

DUE = date(2026, 3, 30)


@pytest.mark.parametrize(
    ("done_on", "today", "late"),
    [
        (date(2026, 3, 30), date(2026, 4, 20), False),
        (date(2026, 3, 31), date(2026, 4, 20), True),
        (None, date(2026, 3, 30), False),
        (None, date(2026, 3, 31), True),
    ],
)
def test_late_on_the_day_after_the_deadline(done_on, today, late):
    assert rules.grading_late(done_on, DUE, today) is late
    assert rules.plan_late(done_on, DUE, today) is late


def test_items_after_the_end_of_december_must_be_long_term():
    items_due = date(2026, 12, 31)
    assert rules.item_deadline_error(date(2026, 12, 31), items_due, False) is None
    error = rules.item_deadline_error(date(2027, 1, 1), items_due, False)
    assert "除长期性项目外" in error and "12月底前全部完成" in error
    assert rules.item_deadline_error(date(2027, 6, 30), items_due, True) is None


def test_item_overdue_and_status():
    deadline = date(2026, 9, 30)
    assert not rules.item_overdue(False, deadline, date(2026, 9, 30))
    assert rules.item_overdue(False, deadline, date(2026, 10, 1))
    assert not rules.item_overdue(True, deadline, date(2026, 10, 1))
    assert rules.item_status(False, False, deadline, date(2026, 10, 1)) == "overdue"
    assert rules.item_status(False, False, deadline, date(2026, 9, 1)) == "open"
    assert rules.item_status(True, False, deadline, date(2026, 10, 1)) == "done"
    assert rules.item_status(True, True, deadline, date(2026, 10, 1)) == "verified"


def test_plan_completion_excepts_long_term_items():
    assert not rules.plan_complete([])
    assert rules.plan_complete([(True, False), (False, True)])
    assert not rules.plan_complete([(True, False), (False, False)])


def test_a_plan_is_submitted_after_the_general_meeting():
    assert rules.plan_submit_error("draft") == rules.SUBMIT_NEEDS_DISCUSSION
    assert "召开党员大会进行讨论" in rules.SUBMIT_NEEDS_DISCUSSION
    assert rules.plan_submit_error("discussed") is None
    assert "不能提交" in rules.plan_submit_error("submitted")
    assert rules.plan_discuss_error("", 1)[0] == "goals"
    assert rules.plan_discuss_error("晋位升级", 0)[0] == "items"
    assert rules.plan_discuss_error("晋位升级", 1) is None


def test_regrade_from_june_and_after_the_initial_grading():
    june = date(2026, 6, 1)
    assert "6月—10月" in rules.regrade_error(date(2026, 5, 31), june, True)
    assert rules.regrade_error(june, june, True) is None
    assert "尚未完成初次定级" in rules.regrade_error(june, june, False)
    assert rules.regrade_window_closing(date(2026, 10, 20), date(2026, 10, 31), date(2026, 11, 3))
    assert not rules.regrade_window_closing(
        date(2026, 10, 1), date(2026, 10, 31), date(2026, 10, 15)
    )


def test_the_timeline_setting_is_checked_at_start_up(settings):
    from dangjian.branches.checks import timeline_setting

    assert timeline_setting() == []
    settings.BRANCHES_TIMELINE = {"grading_due": "02-30"}
    assert [e.id for e in timeline_setting()] == ["branches.E001"]
    settings.BRANCHES_TIMELINE = {"regrading_from": "03-01"}
    assert [e.id for e in timeline_setting()] == ["branches.E002"]
