"""The rules of terms and elections at their boundaries (《中国共产党基层组织选举工作条例》;
《支部考核办法》评分表第1项 定期改选)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from dangjian.elections import rules


def test_terms_run_their_years_and_clamp_the_day():
    assert rules.term_ends_on(date(2023, 12, 7), 3) == date(2026, 12, 7)
    assert rules.term_ends_on(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert rules.TERM_YEARS == {"committee": 5, "general_branch": 3, "branch": 3}


def test_the_reminder_starts_exactly_three_months_before_the_end():
    ends = date(2027, 3, 7)
    assert rules.reminder_on(ends, 3) == date(2026, 12, 7)
    assert rules.term_due(ends, date(2026, 12, 7), 3)  # exactly three months before
    assert not rules.term_due(ends, date(2026, 12, 6), 3)  # the day before
    assert rules.reminder_on(date(2027, 5, 31), 3) == date(2027, 2, 28)


def test_term_state():
    ends = date(2027, 3, 7)
    assert rules.term_state(None, date(2026, 1, 1), 3) == "在任"
    assert rules.term_state(ends, date(2026, 12, 6), 3) == "在任"
    assert rules.term_state(ends, date(2026, 12, 7), 3) == "即将届满"
    assert rules.term_state(ends, ends, 3) == "即将届满"  # the last day of the term
    assert rules.term_state(ends, date(2027, 3, 8), 3) == "已届满"


def test_candidates_exceed_the_seats_by_a_fifth_rounded_up():
    assert rules.min_candidates(5, 20) == 6
    assert rules.min_candidates(3, 20) == 4  # 0.6 of a candidate is one
    assert rules.min_candidates(7, 20) == 9
    assert rules.candidates_error(5, 6, 20) is None
    assert "至少6名" in rules.candidates_error(5, 5, 20)


def test_the_meeting_needs_more_than_four_fifths():
    assert rules.quorum_error(50, 41) is None
    assert "五分之四" in rules.quorum_error(50, 40)  # exactly four fifths is not enough
    assert rules.quorum_error(5, 5) is None
    assert "五分之四" in rules.quorum_error(5, 4)
    assert "不能多于" in rules.quorum_error(5, 6)
    assert rules.quorum_error(0, 0) is not None


def test_elected_with_more_than_half_of_those_present():
    assert rules.has_majority(21, 40) and not rules.has_majority(20, 40)  # exactly half fails
    chosen, error = rules.elected({1: 40, 2: 30, 3: 21, 4: 20}, 40, 3)
    assert chosen == [1, 2, 3] and error is None
    chosen, error = rules.elected({1: 40, 2: 20, 3: 20}, 40, 2)  # one short: 另行选举
    assert chosen == [1] and error is None


def test_a_tie_at_the_last_seat_is_voted_again():
    chosen, error = rules.elected({1: 40, 2: 30, 3: 30}, 40, 2)
    assert chosen == [] and "再次投票" in error
    chosen, error = rules.elected({1: 30, 2: 30, 3: 25}, 40, 2)  # a tie above the cut is fine
    assert chosen == [1, 2] and error is None


def test_the_new_committee_has_one_secretary():
    assert rules.committee_error(["secretary", "committee", "committee"]) is None
    assert "1名书记" in rules.committee_error(["committee", "committee"])
    assert "1名书记" in rules.committee_error(["secretary", "secretary"])


@given(st.dictionaries(st.integers(1, 20), st.integers(0, 50), max_size=12), st.integers(1, 7))
def test_the_elected_never_exceed_the_seats_and_all_have_a_majority(votes, seats):
    present = 50
    chosen, error = rules.elected(votes, present, seats)
    assert len(chosen) <= seats
    assert all(rules.has_majority(votes[key], present) for key in chosen)
    assert error is None or chosen == []
