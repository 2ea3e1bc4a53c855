"""Members away: the dates and the contact rhythm (《支部考核办法》 item 8)."""

from datetime import date

from dangjian.membership import rules

LEFT = date(2026, 3, 1)


def test_a_return_cannot_come_before_the_departure():
    assert rules.away_dates_error(LEFT, LEFT, LEFT) == {}
    errors = rules.away_dates_error(LEFT, date(2026, 2, 28), date(2026, 2, 28))
    assert set(errors) == {"until", "returned_on"}


def test_contact_lapses_the_day_after_the_period():
    days = rules.CONTACT_DAYS
    assert rules.contact_cutoff(date(2026, 6, 1), 90) == date(2026, 3, 3)
    last = date(2026, 4, 1)
    due = date(2026, 6, 30)  # 90 days after the last contact
    assert not rules.contact_lapsed(LEFT, last, None, due, days)
    assert rules.contact_lapsed(LEFT, last, None, date(2026, 7, 1), days)


def test_without_any_contact_the_departure_counts_and_a_return_ends_it():
    assert not rules.contact_lapsed(LEFT, None, None, date(2026, 5, 30), 90)
    assert rules.contact_lapsed(LEFT, None, None, date(2026, 5, 31), 90)
    assert not rules.contact_lapsed(LEFT, None, date(2026, 4, 1), date(2027, 1, 1), 90)


def test_contact_is_due_the_period_after_the_last_contact_or_the_departure():
    assert rules.contact_due_on(LEFT, None, 90) == date(2026, 5, 30)
    assert rules.contact_due_on(LEFT, date(2026, 4, 1), 90) == date(2026, 6, 30)
