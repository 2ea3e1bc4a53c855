"""The pure rules of contacts, periods, frequencies and compliance, at their boundaries."""

from datetime import date

import pytest

from dangjian.outreach import rules


# 《基层组织建设实施意见》§四(二)4(2): 每个党员都要联系1～3名党外群众
def test_contacts_three_ok_fourth_refused():
    assert rules.contact_add_error(0) is None
    assert rules.contact_add_error(2) is None  # the 3rd is fine
    error = rules.contact_add_error(3)  # the 4th is refused, naming the rule
    assert error is not None and "1～3名党外群众" in error and "《基层组织建设实施意见》" in error


def test_contact_status_bands():
    assert rules.contact_status(0) == rules.CONTACT_NONE
    assert rules.contact_status(1) == rules.CONTACT_OK
    assert rules.contact_status(3) == rules.CONTACT_OK
    assert rules.contact_status(4) == rules.CONTACT_OVER
    assert rules.contact_status(1, maximum=5, minimum=2) == rules.CONTACT_NONE


def test_masses_are_non_members():
    assert rules.is_masses("masses") and rules.is_masses("activist")
    assert not rules.is_masses("full") and not rules.is_masses("probationary")


# 《基层组织建设实施意见》§四(四)1: 党员教师每月至少1次 — the last day of the month is in the month
def test_month_period_boundaries():
    p = rules.period_of(rules.MONTH, date(2025, 2, 10))
    assert (p.start, p.end, p.label) == (date(2025, 2, 1), date(2025, 2, 28), "2025年2月")
    assert p.contains(date(2025, 2, 28)) and not p.contains(date(2025, 3, 1))
    assert rules.period_of(rules.MONTH, date(2024, 2, 29)).end == date(2024, 2, 29)


# 《基层组织建设实施意见》§四(四)1: 二级学院领导每季度至少1次 — the quarter's last day vs the next
# day
def test_quarter_period_boundaries():
    q1 = rules.period_of(rules.QUARTER, date(2025, 3, 31))
    q2 = rules.period_of(rules.QUARTER, date(2025, 4, 1))
    assert (q1.start, q1.end, q1.label) == (date(2025, 1, 1), date(2025, 3, 31), "2025年第1季度")
    assert q2.start == date(2025, 4, 1) and q2.end == date(2025, 6, 30)
    assert rules.period_of(rules.QUARTER, date(2025, 12, 31)).start == date(2025, 10, 1)


# 《基层组织建设实施意见》§四(四)1: 校领导每学期至少1次 — semesters 1 Sep–31 Jan and 1 Feb–31 Aug
@pytest.mark.parametrize(
    "day,start,end,label",
    [
        (date(2025, 9, 1), date(2025, 9, 1), date(2026, 1, 31), "2025—2026学年第一学期"),
        (date(2026, 1, 31), date(2025, 9, 1), date(2026, 1, 31), "2025—2026学年第一学期"),
        (date(2026, 2, 1), date(2026, 2, 1), date(2026, 8, 31), "2025—2026学年第二学期"),
        (date(2025, 8, 31), date(2025, 2, 1), date(2025, 8, 31), "2024—2025学年第二学期"),
    ],
)
def test_semester_boundaries(day, start, end, label):
    p = rules.period_of(rules.SEMESTER, day)
    assert (p.start, p.end, p.label) == (start, end, label)


def test_semester_starts_configurable():
    starts = ((8, 25), (2, 20))
    assert rules.period_of(rules.SEMESTER, date(2025, 8, 24), starts).start == date(2025, 2, 20)
    assert rules.period_of(rules.SEMESTER, date(2025, 8, 25), starts).end == date(2026, 2, 19)


def test_frequency_table_defaults_and_overrides():
    table = rules.frequencies()
    assert table["leader_college"] == rules.Frequency("semester", 1)
    assert table["leader_class"] == rules.Frequency("quarter", 1)
    assert table["teacher_dorm"] == rules.Frequency("month", 1)
    assert table["teacher_dorm"].label == "每月至少1次"
    table = rules.frequencies(
        {"teacher_dorm": ("month", 2), "leader_class": {"per": "month", "times": 1}}
    )
    assert table["teacher_dorm"].times == 2 and table["leader_class"].per == "month"
    with pytest.raises(ValueError):
        rules.frequencies({"teacher_dorm": ("fortnight", 1)})
    with pytest.raises(ValueError):
        rules.frequencies({"home_visit": ("month", 1)})


def test_compliance_status_due_done_overdue():
    end = date(2025, 3, 31)
    assert rules.compliance_status(1, 1, end, date(2025, 4, 5)) == rules.DONE
    assert rules.compliance_status(1, 0, end, date(2025, 3, 31)) == rules.DUE  # last day: still due
    assert rules.compliance_status(1, 0, end, date(2025, 4, 1)) == rules.OVERDUE  # next day
    assert rules.compliance_status(2, 1, end, date(2025, 3, 1)) == rules.DUE


def test_link_targets():
    assert rules.link_target_error("leader_college", "college", "") is None
    assert rules.link_target_error("leader_college", "class", "")[0] == "unit"
    assert rules.link_target_error("leader_class", "class", "") is None
    assert rules.link_target_error("teacher_dorm", None, " ") == ("target", rules.TARGET_REQUIRED)
    assert rules.link_target_error("home_visit", None, "x")[0] == "kind"


def test_link_active_in_period():
    march = rules.period_of(rules.MONTH, date(2025, 3, 1))
    assert rules.link_active_in(date(2025, 3, 31), None, march)
    assert not rules.link_active_in(date(2025, 4, 1), None, march)
    assert rules.link_active_in(date(2024, 1, 1), date(2025, 3, 1), march)
    assert not rules.link_active_in(date(2024, 1, 1), date(2025, 2, 28), march)


def test_visit_dates():
    assert rules.visit_date_error(date(2025, 3, 1), date(2025, 3, 1)) is None
    assert rules.visit_date_error(date(2025, 3, 2), date(2025, 3, 1)) == rules.FUTURE_VISIT
    assert rules.follow_up_due(date(2025, 3, 1)) == date(2025, 3, 31)


# 《基层组织建设实施意见》§四(二)4(2): every member keeps 1–3 contacts among the masses
@pytest.mark.parametrize(
    "known, expected",
    [
        ([date(2025, 2, 10)], date(2025, 2, 28)),  # became a member this year: that month's end
        ([date(2024, 12, 3)], date(2024, 12, 31)),  # last December: its end, the floor itself
        ([date(1997, 7, 1)], date(2024, 12, 31)),  # years ago: overdue since the end of last year
        ([date(1997, 7, 1), date(2025, 1, 5)], date(2025, 1, 31)),  # a contact ended in January
        ([], date(2025, 3, 31)),  # nothing known: the current month
    ],
)
def test_contacts_due_on(known, expected):
    assert rules.contacts_due_on(known, date(2025, 3, 20)) == expected
