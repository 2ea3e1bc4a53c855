"""The Party school's rules at their boundaries (《基层组织建设实施意见》§四(三)1(3): “通过党校考试
且合格”; the numbers are ours, see docs/DOMAIN.md)."""

from datetime import date
from decimal import Decimal as D

import pytest

from dangjian.partyschool import rules


@pytest.mark.parametrize(
    ("score", "ok"),
    [(D("60"), True), (D("59.5"), False), (D("100"), True), (D("0"), False)],
)
def test_pass_mark_is_inclusive(score, ok):
    assert rules.passed(score) is ok


def test_pass_mark_is_a_parameter():
    assert rules.passed(D("70"), pass_mark=D("70"))
    assert not rules.passed(D("69.5"), pass_mark=D("70"))


@pytest.mark.parametrize(
    ("score", "error"),
    [
        (D("0"), None),
        (D("100"), None),
        (D("99.5"), None),
        (D("100.5"), "0至100分"),
        (D("-0.5"), "0至100分"),
        (D("80.25"), "0.5分"),
        (None, "请填写"),
    ],
)
def test_score_range_and_step(score, error):
    got = rules.score_error(score)
    assert (got is None) if error is None else (error in got)


def test_pass_mark_within_the_paper():
    assert rules.pass_mark_error(D("60")) is None
    assert rules.pass_mark_error(D("100")) is None
    assert rules.pass_mark_error(D("0"))
    assert rules.pass_mark_error(D("100.5"))


def test_session_inside_the_class_and_not_ahead():
    start, end, today = date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 15)
    assert rules.session_date_error(start, start, end, today) is None
    assert rules.session_date_error(today, start, end, today) is None
    assert "起止日期" in rules.session_date_error(date(2026, 2, 28), start, end, today)
    assert "起止日期" in rules.session_date_error(date(2026, 4, 1), start, end, today)
    assert "晚于今天" in rules.session_date_error(date(2026, 3, 16), start, end, today)


@pytest.mark.parametrize(
    ("hours", "ok"), [(D("0.5"), True), (D("8"), True), (D("8.5"), False), (D("0"), False)]
)
def test_session_hours(hours, ok):
    assert (rules.session_hours_error(hours) is None) is ok


def test_exam_date():
    start, today = date(2026, 3, 1), date(2026, 3, 20)
    assert rules.exam_date_error(start, start, today) is None
    assert rules.exam_date_error(today, start, today) is None
    assert "开始日期" in rules.exam_date_error(date(2026, 2, 28), start, today)
    assert "晚于今天" in rules.exam_date_error(date(2026, 3, 21), start, today)


def test_attendance_rate_half_up():
    assert rules.attendance_rate(0, 0) is None
    assert rules.attendance_rate(2, 3) == D("66.7")
    assert rules.attendance_rate(1, 8) == D("12.5")
    assert rules.attendance_rate(3, 3) == D("100.0")


def test_only_the_activists_class_gates_development():
    assert rules.gates_development("activist")
    assert not rules.gates_development("target")
    assert not rules.gates_development("secretary")
