"""The rules of 组织关系转接 at their boundaries (《基层组织建设实施意见》§四(三)2(3);
the customary practice of 党员组织关系接转; numbers the source does not set are ours)."""

from datetime import date, timedelta

from dangjian.membership import rules

ISSUED = date(2026, 6, 20)


def test_the_slip_is_reminded_from_day_n_until_it_returns():
    days = rules.SLIP_REMINDER_DAYS
    assert days == 30
    assert rules.slip_due_on(ISSUED, days) == ISSUED + timedelta(days=30)
    assert not rules.slip_overdue(ISSUED, None, ISSUED + timedelta(days=days - 1), days)
    assert rules.slip_overdue(ISSUED, None, ISSUED + timedelta(days=days), days)
    assert rules.slip_overdue(ISSUED, None, ISSUED + timedelta(days=days + 1), days)
    assert not rules.slip_overdue(ISSUED, ISSUED, ISSUED + timedelta(days=days + 1), days)
    # The list filter's cutoff agrees with the rule on day N.
    today = ISSUED + timedelta(days=days)
    assert rules.slip_cutoff(today, days) == ISSUED


def test_a_letter_is_valid_from_its_issue_day_for_valid_days():
    assert rules.LETTER_VALID_DAYS == 30
    assert rules.letter_expires_on(ISSUED, 30) == ISSUED + timedelta(days=29)
    assert not rules.letter_valid_on(ISSUED, 30, ISSUED - timedelta(days=1))
    assert rules.letter_valid_on(ISSUED, 30, ISSUED)
    assert rules.letter_valid_on(ISSUED, 30, ISSUED + timedelta(days=29))
    assert not rules.letter_valid_on(ISSUED, 30, ISSUED + timedelta(days=30))
    assert rules.letter_valid_on(ISSUED, 1, ISSUED)
    assert not rules.letter_valid_on(ISSUED, 1, ISSUED + timedelta(days=1))


def test_valid_days_lie_between_one_day_and_a_year():
    assert rules.valid_days_error(0)
    assert rules.valid_days_error(1) is None
    assert rules.valid_days_error(365) is None
    assert rules.valid_days_error(366)


def test_letter_numbers_carry_the_year_and_a_running_number():
    assert rules.letter_number(2026, 7) == "（2026）第0007号"


def test_a_shared_general_branch_approves_once_else_both_approve():
    assert rules.approving_orgs([10, 1], [10, 1]) == [10]
    assert rules.approving_orgs([10], [20]) == [10, 20]
    assert rules.approving_orgs([10, 5], [20, 5]) == [5]
    assert rules.approving_orgs([], [20]) == [20]
    assert rules.approving_orgs([], []) == []


def test_who_may_be_sent():
    ok = {"has_open_transfer": False, "same_branch": False, "is_member": True, "active": True}
    assert rules.send_error(**ok) is None
    assert "尚未办结" in rules.send_error(**{**ok, "has_open_transfer": True})
    assert "相同" in rules.send_error(**{**ok, "same_branch": True})
    assert "党员" in rules.send_error(**{**ok, "is_member": False})
    assert "不在册" in rules.send_error(**{**ok, "active": False})


def test_the_slip_returns_between_issue_and_today():
    today = ISSUED + timedelta(days=10)
    assert rules.slip_date_error(ISSUED, ISSUED - timedelta(days=1), today)
    assert rules.slip_date_error(ISSUED, ISSUED, today) is None
    assert rules.slip_date_error(ISSUED, today, today) is None
    assert rules.slip_date_error(ISSUED, today + timedelta(days=1), today)
