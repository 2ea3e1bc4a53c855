"""Boundary tests of the organisation and people rules (org/rules.py)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.org import rules


def valid_id(first17: str) -> str:
    return first17 + rules.id_check_code(first17)


# GB 11643-1999 worked example: 11010519491231002X.
def test_id_check_code_known_example():
    assert rules.id_check_code("11010519491231002") == "X"
    assert rules.id_number_error("11010519491231002X") is None
    assert rules.id_number_error("11010519491231002x") is None  # lower-case x accepted


@pytest.mark.parametrize(
    "value,message",
    [
        ("110105194912310021", "校验位不正确"),
        ("1101051949123100", "18位"),
        ("11010519491231002Y", "18位"),
        ("110105194902300025", "出生日期无效"),  # 30 February
    ],
)
def test_id_number_errors(value, message):
    assert message in rules.id_number_error(value)


@given(
    birth=st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31)),
    serial=st.integers(min_value=0, max_value=999),
)
def test_every_generated_id_is_valid_and_one_wrong_digit_is_caught(birth, serial):
    number = valid_id(f"500101{birth:%Y%m%d}{serial:03d}")
    assert rules.id_number_error(number) is None
    assert rules.id_birth_date(number) == birth
    # Changing the sequence digit (weight 2) always changes the weighted sum modulo 11.
    changed = number[:16] + str((int(number[16]) + 1) % 10) + number[17]
    assert rules.id_number_error(changed) is not None


def test_id_gender_from_the_17th_digit():
    assert rules.id_gender(valid_id("50010120000101001")) == "M"
    assert rules.id_gender(valid_id("50010120000101002")) == "F"


def test_phone_rule():
    assert rules.phone_error("") is None
    assert rules.phone_error("13800001111") is None
    assert rules.phone_error("1380000111") is not None  # 10 digits
    assert rules.phone_error("23800001111") is not None


def test_masks_keep_only_the_ends():
    assert rules.mask_id_number("11010519491231002X") == "1101**********002X"
    assert rules.mask_phone("13800001111") == "138****1111"
    assert rules.mask_id_number("123") == "***"


def test_age_counts_an_18th_birthday_on_the_day():
    # 《基层组织建设实施意见》§四(三)1(1): an applicant must be at least 18 years old.
    birth = date(2008, 6, 15)
    assert rules.age_on(birth, date(2026, 6, 14)) == 17
    assert rules.age_on(birth, date(2026, 6, 15)) == 18


def test_probation_is_one_year_from_the_branch_meeting():
    # 《基层组织建设实施意见》§四(三)1(9): one year of probation from the day the branch meeting
    # passed it.
    assert rules.probation_end(date(2026, 3, 20)) == date(2027, 3, 20)
    assert rules.probation_end(date(2024, 2, 29)) == date(2025, 2, 28)


def test_status_change_dates():
    today = date(2026, 11, 20)
    assert rules.status_change_error("activist", "activist", today, None, today)
    assert "晚于今天" in rules.status_change_error(
        "activist", "candidate", date(2026, 11, 21), None, today
    )
    last = date(2026, 5, 1)
    assert "早于上一次变更" in rules.status_change_error(
        "candidate", "target", date(2026, 4, 30), last, today
    )
    assert rules.status_change_error("candidate", "target", last, last, today) is None


def test_activity_room_at_least_20_square_metres():
    # DOMAIN §10 / 《基层组织建设实施意见》§四(五): each organisation has an activity room of at
    # least 20 m².
    assert rules.activity_room_meets_standard(20.0)
    assert not rules.activity_room_meets_standard(19.9)


@pytest.mark.parametrize(
    "parent,child,ok",
    [
        (None, "committee", True),
        (None, "branch", False),
        ("committee", "general_branch", True),
        ("committee", "branch", True),  # a branch directly under the committee
        ("general_branch", "branch", True),
        ("general_branch", "group", False),
        ("branch", "group", True),
        ("group", "group", False),
    ],
)
def test_which_kind_may_sit_under_which(parent, child, ok):
    assert (rules.child_kind_error(parent, child) is None) is ok


def test_top_paths_keeps_each_subtree_once():
    assert rules.top_paths(["00010002", "0001", "00010003", "0002", "0001"]) == ["0001", "0002"]
    assert rules.top_paths([]) == []
