"""The dues and fund rules at their boundaries (《关于中国共产党党费收缴、使用和管理的规定》
《党费规定》 (中组发〔2008〕3号); 《中国共产党章程》第九条; 《基层组织建设实施意见》§四(五)1)."""

from datetime import date
from decimal import Decimal as D

import pytest

from dangjian.finance import rules


@pytest.mark.parametrize(
    ("base", "rate", "monthly"),
    [
        ("0", "0.005", "0.00"),
        ("2999.99", "0.005", "15.00"),
        ("3000", "0.005", "15.00"),  # 3000元以下（含3000元）
        ("3000.01", "0.01", "30.00"),
        ("5000", "0.01", "50.00"),  # 含5000元
        ("5000.01", "0.015", "75.00"),
        ("10000", "0.015", "150.00"),  # 含10000元
        ("10000.01", "0.02", "200.00"),
        ("25000", "0.02", "500.00"),
    ],
)
def test_in_work_brackets_are_inclusive_at_their_upper_bound(base, rate, monthly):
    """第二条: the bound belongs to the lower bracket ("3000元以下（含3000元）")."""
    assert rules.rate_for(D(base), rules.IN_WORK_BRACKETS) == D(rate)
    assert rules.monthly_dues(rules.IN_WORK, D(base)) == D(monthly)


@pytest.mark.parametrize(
    ("pension", "monthly"),
    [("4000", "20.00"), ("5000", "25.00"), ("5000.01", "50.00"), ("8000", "80.00")],
)
def test_retired_brackets(pension, monthly):
    """第六条: 离退休费5000元以下（含5000元）0.5%，5000元以上1%."""
    assert rules.monthly_dues(rules.RETIRED, D(pension)) == D(monthly)


def test_students_and_members_without_income_pay_the_fixed_amount():
    """第八条: 每月交纳党费0.2元; an institution may set another amount within 0.2–1 元."""
    assert rules.monthly_dues(rules.STUDENT, None) == D("0.20")
    assert rules.monthly_dues(rules.NO_INCOME, D(9000)) == D("0.20")  # a base is ignored
    custom = rules.DuesRates(student=D("0.5"))
    assert rules.monthly_dues(rules.STUDENT, None, custom) == D("0.50")
    assert rules.fixed_amount_error(D("0.2")) == rules.fixed_amount_error(D("1")) == ""
    assert "0.2元至1元" in rules.fixed_amount_error(D("0.19"))
    assert rules.fixed_amount_error(D("1.01"))


def test_amounts_are_rounded_to_the_fen_half_up():
    # 3333.33 × 1% = 33.3333 → 33.33; 3001 × 1% = 30.01; 4999.50 × 1% = 49.995 → 50.00
    assert rules.monthly_dues(rules.IN_WORK, D("3333.33")) == D("33.33")
    assert rules.monthly_dues(rules.IN_WORK, D("4999.50")) == D("50.00")
    assert rules.monthly_dues(rules.IN_WORK, D("2999.00")) == D("15.00")  # 14.995 → 15.00
    assert rules.to_fen(D("0.005")) == D("0.01")
    assert rules.to_fen(D("0.0049")) == D("0.00")


def test_a_based_kind_needs_a_base():
    assert "base" in rules.standard_error(rules.IN_WORK, None)
    assert "离退休费" in rules.standard_error(rules.RETIRED, None)["base"]
    assert rules.standard_error(rules.STUDENT, None) == {}
    assert "kind" in rules.standard_error("salary", D(1))
    with pytest.raises(ValueError):
        rules.monthly_dues(rules.IN_WORK, None)


def test_kind_follows_the_category():
    assert rules.kind_for_category("staff") == rules.IN_WORK
    assert rules.kind_for_category("retiree") == rules.RETIRED
    assert rules.kind_for_category("student") == rules.STUDENT


@pytest.mark.parametrize(
    ("raw", "value", "error"),
    [
        ("12.5", D("12.5"), ""),
        ("1,200.00", D("1200.00"), ""),
        ("15元", D(15), ""),
        ("", None, ""),
        (None, None, ""),
        ("abc", None, "金额应为数字（元）。"),
        ("-1", None, "金额不能为负数。"),
        ("1.005", None, "金额最多保留两位小数（到分）。"),
        ("NaN", None, "金额应为数字（元）。"),
        (12, D(12), ""),
    ],
)
def test_amounts_as_typed(raw, value, error):
    assert rules.parse_amount(raw) == (value, error)


def test_payment_states_by_the_month_end():
    """第十二条 按月交纳 (paying ahead allowed): paid by the month's end, late after it, short is
    arrears."""
    due = D("15.00")
    assert rules.payment_state(due, due, date(2026, 3, 31), 2026, 3) == rules.PAID
    assert rules.payment_state(due, due, date(2026, 1, 5), 2026, 3) == rules.PAID  # prepaid
    assert rules.payment_state(due, due, date(2026, 4, 1), 2026, 3) == rules.PAID_LATE
    assert rules.payment_state(due, D("14.99"), date(2026, 3, 2), 2026, 3) == rules.ARREARS
    assert rules.payment_state(due, D(0), None, 2026, 3) == rules.ARREARS
    assert rules.payment_state(D(0), D(0), None, 2026, 3) == rules.PAID
    assert rules.month_end(2026, 2) == date(2026, 2, 28)
    assert rules.month_end(2024, 2) == date(2024, 2, 29)
    assert rules.month_end(2026, 12) == date(2026, 12, 31)


def test_payment_errors():
    assert "paid_on" in rules.payment_error(D(15), None, 2026, 3)
    assert "paid" in rules.payment_error(None, date(2026, 3, 1), 2026, 3)
    assert rules.payment_error(D(15), date(2025, 3, 1), 2026, 3) == {}  # 12 months ahead
    assert "12个月以上" in rules.payment_error(D(15), date(2025, 2, 28), 2026, 3)["paid_on"]
    assert rules.payment_error(None, None, 2026, 3) == {}


def test_six_consecutive_months_at_their_boundaries_and_across_a_year():
    """《中国共产党章程》第九条: 连续六个月不交纳党费. Five months is not yet; six is."""
    p = rules.period_of
    five = [p(2026, m) for m in range(2, 7)]
    assert rules.trailing_arrears(five, p(2026, 6)) == 5
    assert not rules.deemed_lapsed(5)
    six = [p(2026, m) for m in range(1, 7)]
    assert rules.trailing_arrears(six, p(2026, 6)) == 6
    assert rules.deemed_lapsed(6) and rules.deemed_lapsed(7)
    # October 2025 – March 2026: six months across the year boundary.
    across = [p(2025, 10), p(2025, 11), p(2025, 12), p(2026, 1), p(2026, 2), p(2026, 3)]
    assert rules.trailing_arrears(across, p(2026, 3)) == 6
    # A paid month breaks the run; a run must reach the month asked about.
    broken = [p(2025, 10), p(2025, 11), p(2026, 1), p(2026, 2), p(2026, 3), p(2026, 4)]
    assert rules.trailing_arrears(broken, p(2026, 4)) == 4
    assert rules.trailing_arrears(six, p(2026, 7)) == 0
    assert rules.month_of(p(2025, 12)) == (2025, 12)
    assert p(2026, 1) - p(2025, 12) == 1


def test_returned_share_and_fund_standard():
    """§四(五)1: 教职工党员每年不少于100元、学生党员每人每年不少于50元; 党费按一定比例返还."""
    assert rules.returned_share(D("100.01")) == D("50.01")  # 50.005 → 50.01
    assert rules.returned_share(D(200), D("0.3")) == D("60.00")
    assert rules.fund_standard(3, 10) == D("800.00")
    assert rules.fund_standard(0, 0) == D("0.00")
    assert rules.fund_standard(2, 2, D(120), D(60)) == D("360.00")
