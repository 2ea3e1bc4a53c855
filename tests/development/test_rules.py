"""The pure rules of the pipeline at their boundaries (《基层组织建设实施意见》§四(三)1)."""

from datetime import date

from dangjian.development import rules
from dangjian.development.rules import NoticeFacts


# 《基层组织建设实施意见》§四(三)1(1): 年龄必须在18岁以上 — the 18th birthday itself is allowed
def test_age_on_the_18th_birthday_is_allowed_the_day_before_refused():
    birth = date(2006, 5, 10)
    assert rules.age_error(birth, date(2024, 5, 10)) is None
    assert "年满18周岁" in rules.age_error(birth, date(2024, 5, 9))


def test_age_29_february_birth_turns_18_on_1_march_in_a_common_year():
    birth = date(2004, 2, 29)
    assert rules.age_error(birth, date(2022, 2, 28)) is not None
    assert rules.age_error(birth, date(2022, 3, 1)) is None
    # in a leap year, on 29 February itself
    assert rules.age_error(date(2006, 2, 28), date(2024, 2, 28)) is None


def test_age_unknown_birth_date_is_refused_and_min_age_is_a_parameter():
    assert "出生日期" in rules.age_error(None, date(2024, 1, 1))
    assert rules.age_error(date(2007, 1, 1), date(2024, 1, 1), min_age=17) is None


# 《基层组织建设实施意见》§四(三)1(3): 通过党校考试且合格
def test_exam_must_be_passed_before_becoming_a_candidate():
    assert "党校考试" in rules.exam_error(None, date(2024, 1, 1), date(2024, 3, 1))
    assert rules.exam_error(date(2024, 3, 2), date(2024, 1, 1), date(2024, 3, 1)) is not None
    assert rules.exam_error(date(2024, 3, 1), date(2024, 1, 1), date(2024, 3, 1)) is None
    assert rules.exam_error(date(2023, 12, 31), date(2024, 1, 1), date(2024, 3, 1)) is not None


# The seed says 公示 without a length: 5 days by default, both ends included.
def test_notice_length():
    start = date(2024, 3, 1)
    assert rules.notice_end(start, 5) == date(2024, 3, 5)
    assert rules.notice_length_error(start, date(2024, 3, 5), 5) is None
    assert "不少于5天" in rules.notice_length_error(start, date(2024, 3, 4), 5)
    assert rules.notice_length_error(start, date(2024, 2, 29), 5) is not None


# 《基层组织建设实施意见》§四(三)1(4): 公示结束后无异议的，指定培养人
def test_notice_must_have_ended_and_every_objection_resolved_and_none_upheld():
    notice = NoticeFacts(date(2024, 3, 1), date(2024, 3, 5))
    assert rules.notice_errors(None, date(2024, 3, 6), "公示", 4)
    assert rules.notice_errors(notice, date(2024, 3, 5), "公示", 4)  # last day: still running
    assert rules.notice_errors(notice, date(2024, 3, 6), "公示", 4) == []
    unresolved = NoticeFacts(date(2024, 3, 1), date(2024, 3, 5), ((False, False),))
    assert "尚未核查处理" in rules.notice_errors(unresolved, date(2024, 3, 6), "公示", 4)[0]
    upheld = NoticeFacts(date(2024, 3, 1), date(2024, 3, 5), ((True, True),))
    assert "属实" in rules.notice_errors(upheld, date(2024, 3, 6), "公示", 4)[0]
    cleared = NoticeFacts(date(2024, 3, 1), date(2024, 3, 5), ((True, False),))
    assert rules.notice_errors(cleared, date(2024, 3, 6), "公示", 4) == []


def test_cultivators():
    assert "至少一名培养人" in rules.cultivators_error(1, [])
    assert rules.cultivators_error(1, [(1, "full")]) is not None
    assert rules.cultivators_error(1, [(2, "probationary")]) is not None
    assert rules.cultivators_error(1, [(2, "full")]) is None


# 《基层组织建设实施意见》§四(三)1(5): 经过一年以上培养考察
def test_one_full_year_of_cultivation_the_day_before_is_refused():
    start = date(2023, 3, 10)
    assert "培养考察须满1年" in rules.cultivation_error(start, date(2024, 3, 9))
    assert rules.cultivation_error(start, date(2024, 3, 10)) is None
    # 29 February: the anniversary is 28 February of a common year
    assert rules.cultivation_error(date(2024, 2, 29), date(2025, 2, 27)) is not None
    assert rules.cultivation_error(date(2024, 2, 29), date(2025, 2, 28)) is None
    assert rules.cultivation_error(None, date(2025, 1, 1)) is not None


# 《基层组织建设实施意见》§四(三)1(5): 确定两名正式党员担任入党介绍人
def test_two_full_members_as_sponsors():
    assert rules.sponsors_error(1, [(2, "full"), (3, "full")]) is None
    assert "预备党员不能担任" in rules.sponsors_error(1, [(2, "full"), (3, "probationary")])
    assert "本人" in rules.sponsors_error(1, [(1, "full"), (3, "full")])
    assert "2名" in rules.sponsors_error(1, [(2, "full")])
    assert "2名" in rules.sponsors_error(1, [(2, "full"), (3, "full"), (4, "full")])


# 《基层组织建设实施意见》§四(三)1(6), 注: more than half present; in favour > half of those who
# SHOULD attend
def test_vote_presence_more_than_half_of_should_attend():
    assert "到会" in rules.vote_failure(20, 10, 10)
    assert rules.vote_failure(20, 11, 11) is None


def test_vote_in_favour_more_than_half_of_should_attend_not_of_present():
    assert "赞成10票" in rules.vote_failure(20, 11, 10)  # exactly half: fails
    assert rules.vote_failure(20, 11, 11) is None
    # 15 present, 10 in favour is a majority of those present but not of those who should attend
    assert rules.vote_failure(20, 15, 10) is not None


def test_vote_counts_consistent():
    assert rules.vote_count_errors(20, 11, 11, 0, 0) == {}
    assert "present" in rules.vote_count_errors(20, 21, 11, 0, 0)
    assert "in_favour" in rules.vote_count_errors(20, 11, 10, 1, 1)
    assert rules.vote_count_errors(20, 11, 10, 1, 0) == {}
    assert "should_attend" in rules.vote_count_errors(0, 0, 0, 0, 0)


def test_talker():
    assert rules.talker_error(1, None) is not None
    assert rules.talker_error(1, (1, "full")) is not None
    assert rules.talker_error(1, (2, "probationary")) is not None
    assert rules.talker_error(1, (2, "full")) is None


# 《基层组织建设实施意见》§四(三)1(9): 预备期为一年，从支部大会通过之日算起
def test_probation_ends_one_year_after_the_branch_meeting():
    assert rules.probation_ends(date(2024, 6, 1)) == date(2025, 6, 1)
    assert rules.probation_ends(date(2024, 2, 29)) == date(2025, 2, 28)


def test_add_months_clamps_to_the_month_end():
    assert rules.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert rules.add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert rules.add_months(date(2024, 11, 15), 3) == date(2025, 2, 15)


# 《基层组织建设实施意见》§四(三)1(9): 每两个月向入党介绍人汇报，每季度向党支部书面汇报
def test_report_schedule_and_missing_reports():
    start, end = date(2024, 1, 10), date(2025, 1, 10)
    schedule = rules.report_schedule(start, end, [("sponsor", date(2024, 2, 20))])
    sponsor = [r.due_on for r in schedule if r.kind == "sponsor"]
    branch = [r.due_on for r in schedule if r.kind == "branch"]
    assert sponsor == [date(2024, m, 10) for m in (3, 5, 7, 9, 11)] + [date(2025, 1, 10)]
    assert branch == [date(2024, 4, 10), date(2024, 7, 10), date(2024, 10, 10), date(2025, 1, 10)]
    missing = rules.missing_reports(schedule, date(2024, 5, 10))
    assert [(r.kind, r.due_on) for r in missing] == [
        ("branch", date(2024, 4, 10)),
        ("sponsor", date(2024, 5, 10)),
    ]
    # the first sponsor period (to 10 March) has its report
    assert schedule[0].submitted_on == date(2024, 2, 20)


# 《基层组织建设实施意见》§四(三)1(10): 在预备期满前一个月提出书面转正申请
def test_conversion_application_one_month_before_is_in_time_the_day_after_is_late():
    end = date(2025, 6, 15)
    assert rules.conversion_deadline(end) == date(2025, 5, 15)
    assert rules.conversion_late(date(2025, 5, 15), end) is False
    assert rules.conversion_late(date(2025, 5, 16), end) is True
    assert rules.conversion_late(date(2025, 4, 1), end) is False


def test_extension_of_exactly_one_year_allowed_longer_refused():
    original = date(2025, 6, 15)
    assert rules.extension_error(original, original, date(2026, 6, 15)) is None
    assert "不能超过一年" in rules.extension_error(original, original, date(2026, 6, 16))
    assert rules.extension_error(original, original, original) is not None
    assert rules.extension_error(original, date(2025, 12, 15), date(2025, 12, 1)) is not None


def test_conversion_approval_after_the_probation_ends():
    assert rules.conversion_approval_error(date(2025, 6, 15), date(2025, 6, 14)) is not None
    assert rules.conversion_approval_error(date(2025, 6, 15), date(2025, 6, 15)) is None
