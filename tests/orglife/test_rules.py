"""The pure rules of organisational life and education hours, at their boundaries."""

from datetime import date, time
from decimal import Decimal

import pytest

from dangjian.orglife import rules

D = Decimal


# --- periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "on", "start", "end"),
    [
        ("month", date(2024, 2, 10), date(2024, 2, 1), date(2024, 2, 29)),
        ("month", date(2025, 12, 31), date(2025, 12, 1), date(2025, 12, 31)),
        ("quarter", date(2025, 3, 31), date(2025, 1, 1), date(2025, 3, 31)),
        ("quarter", date(2025, 4, 1), date(2025, 4, 1), date(2025, 6, 30)),
        ("half_year", date(2025, 6, 30), date(2025, 1, 1), date(2025, 6, 30)),
        ("half_year", date(2025, 7, 1), date(2025, 7, 1), date(2025, 12, 31)),
        ("year", date(2025, 7, 1), date(2025, 1, 1), date(2025, 12, 31)),
        # first semester 1 Sep – 31 Jan, second 1 Feb – 31 Aug (default (9, 2))
        ("semester", date(2025, 9, 1), date(2025, 9, 1), date(2026, 1, 31)),
        ("semester", date(2026, 1, 31), date(2025, 9, 1), date(2026, 1, 31)),
        ("semester", date(2026, 2, 1), date(2026, 2, 1), date(2026, 8, 31)),
        ("semester", date(2025, 8, 31), date(2025, 2, 1), date(2025, 8, 31)),
        ("semester", date(2024, 2, 1), date(2024, 2, 1), date(2024, 8, 31)),
    ],
)
def test_period_bounds(period, on, start, end):
    assert rules.period_bounds(period, on) == (start, end)


def test_semester_start_months_are_configurable():
    # An institution whose semesters start in March and September.
    assert rules.period_bounds("semester", date(2025, 2, 28), (3, 9)) == (
        date(2024, 9, 1),
        date(2025, 2, 28),
    )
    assert rules.period_bounds("semester", date(2025, 3, 1), (9, 3)) == (
        date(2025, 3, 1),
        date(2025, 8, 31),
    )


def test_unknown_period_is_refused():
    with pytest.raises(ValueError):
        rules.period_bounds("week", date(2025, 1, 1))
    with pytest.raises(ValueError):
        rules.semester_bounds(date(2025, 1, 1), (13,))


def test_period_labels():
    assert rules.period_label("month", date(2025, 3, 1), date(2025, 3, 31)) == "2025年3月"
    assert rules.period_label("half_year", date(2025, 7, 1), date(2025, 12, 31)) == "2025年下半年"
    assert rules.period_label("quarter", date(2025, 4, 1), date(2025, 6, 30)) == "2025年第2季度"


# --- meetings ------------------------------------------------------------------------------


def test_duration_and_times():
    assert rules.duration_minutes(time(14, 0), time(16, 0)) == 120
    assert rules.duration_minutes(time(14, 0), time(15, 59)) == 119
    assert rules.times_error(time(14, 0), time(14, 0)) == "结束时间应晚于开始时间。"
    assert rules.times_error(time(14, 0), time(13, 0)) is not None
    assert rules.times_error(time(14, 0), time(14, 1)) is None


def test_119_minutes_do_not_count_toward_a_two_hour_rule():
    # 《基层组织建设实施意见》§四(二)3(2): 每次组织生活不少于2个小时
    kinds = ["general", "group", "lecture", "party_day", "org_life"]
    assert rules.meeting_counts("general", 120, kinds, 120)
    assert not rules.meeting_counts("general", 119, kinds, 120)
    assert not rules.meeting_counts("committee", 180, kinds, 120)  # other kind
    assert rules.meeting_counts("committee", 30, ["committee"], 0)


def test_rule_applies_by_kind_and_category():
    assert rules.rule_applies("branch", "student", "branch", "student")
    assert not rules.rule_applies("branch", "student", "branch", "staff")
    assert rules.rule_applies("branch", "", "branch", "retiree")
    assert not rules.rule_applies("general_branch", "", "branch", "")


# --- compliance ----------------------------------------------------------------------------

MARCH = (date(2025, 3, 1), date(2025, 3, 31))


def test_student_branch_one_meeting_is_short_two_is_done():
    # 《基层组织建设实施意见》§四(二)3(2): 学生党支部每月不少于二次组织生活
    running = rules.compliance(1, 2, *MARCH, today=date(2025, 3, 15))
    assert running.state == rules.DUE and running.missing == 1
    assert rules.due_message("month", running) == "本月还需开展1次（3月31日前）"
    ended = rules.compliance(1, 2, *MARCH, today=date(2025, 4, 1))
    assert ended.state == rules.OVERDUE
    assert rules.due_message("month", ended) == "已逾期，少开展1次"
    assert rules.compliance(2, 2, *MARCH, today=date(2025, 3, 15)).state == rules.DONE
    assert rules.compliance(2, 2, *MARCH, today=date(2025, 4, 15)).state == rules.DONE


def test_period_ending_today_is_due_yesterday_is_overdue():
    assert rules.compliance(0, 1, *MARCH, today=date(2025, 3, 31)).state == rules.DUE
    assert rules.compliance(0, 1, date(2025, 2, 1), date(2025, 2, 28), date(2025, 3, 1)).state == (
        rules.OVERDUE
    )


def test_future_period_not_started():
    result = rules.compliance(0, 1, *MARCH, today=date(2025, 2, 28))
    assert result.state == rules.NOT_STARTED and result.label == "未开始"
    assert rules.compliance(0, 1, *MARCH, today=date(2025, 3, 1)).state == rules.DUE


# --- education hours -----------------------------------------------------------------------


def test_staff_hours_boundaries():
    # 《基层组织建设实施意见》§四(二)1: 教职工党员每年不少于24学时（其中廉政教育学时不少于4学时）
    req = rules.hours_requirement("staff")
    assert req == rules.HoursRequirement(D("24"), D("4"))
    short = rules.hours_shortfall(D("23.5"), D("4"), req)
    assert short.total == D("0.5") and short.integrity == 0 and short.any
    assert not rules.hours_shortfall(D("24"), D("4"), req).any
    integ = rules.hours_shortfall(D("30"), D("3.9"), req)
    assert integ.total == 0 and integ.integrity == D("0.1") and integ.any


def test_student_and_retiree_hours():
    # 《基层组织建设实施意见》§四(二)1: 学生党员每年参加教育活动不少于16学时; retirees: no
    # requirement
    req = rules.hours_requirement("student")
    assert req is not None and req.total == 16 and req.integrity == 0
    assert rules.hours_shortfall(D("15.9"), D("0"), req).total == D("0.1")
    assert not rules.hours_shortfall(D("16"), D("0"), req).any
    assert rules.hours_requirement("retiree") is None
    assert not rules.hours_shortfall(D("0"), D("0"), None).any


def test_hours_requirement_configurable():
    req = rules.hours_requirement("staff", D("32"), D("6"), D("20"))
    assert req is not None and req.total == 32 and req.integrity == 6
    assert req.label == "32学时（廉政6）"


# --- branch secretaries (《组织建设年实施方案》) -------------------------------------------


def test_add_months_clamps():
    assert rules.add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert rules.add_months(date(2025, 1, 15), -12) == date(2024, 1, 15)


def test_appointment_training_six_months_exactly_is_in_time():
    # 《组织建设年实施方案》§三(一): 新任党支部书记在半年内完成任职培训
    start = date(2025, 3, 15)
    assert rules.appointment_deadline(start) == date(2025, 9, 15)
    in_time = rules.appointment_training_state(start, [date(2025, 9, 15)], date(2025, 10, 1))
    assert in_time is not None and in_time.state == rules.DONE
    late = rules.appointment_training_state(start, [date(2025, 9, 16)], date(2025, 10, 1))
    assert late is not None and late.state == rules.OVERDUE
    due = rules.appointment_training_state(start, [], date(2025, 9, 15))
    assert due is not None and due.state == rules.DUE and due.end == date(2025, 9, 15)


def test_long_serving_secretary_is_not_new():
    assert rules.appointment_training_state(date(2020, 1, 1), [], date(2025, 3, 1)) is None
