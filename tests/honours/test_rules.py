"""The rules of honours and model units at their boundaries (honours.rules)."""

from datetime import date

from dangjian.honours import rules

D = date(2026, 6, 10)


def test_rounds_every_two_years():
    # 《基层组织建设实施意见》§四(五)3(1): 每两年开展……评选、表彰活动
    assert rules.round_interval_error(None, 2026, 2) is None
    assert rules.round_interval_error(2024, 2026, 2) is None
    error = rules.round_interval_error(2025, 2026, 2)
    assert error and "2027" in error and "§四(五)3(1)" in error


def test_nominations_close_after_the_deadline_day():
    assert rules.nomination_open_error(D, D) is None
    assert "已截止" in rules.nomination_open_error(date(2026, 6, 11), D)


def test_quota_boundaries():
    assert rules.quota_error(1, 2, rules.EXCELLENT_MEMBER, "机关党总支") is None
    error = rules.quota_error(2, 2, rules.EXCELLENT_MEMBER, "机关党总支")
    assert error and "名额为2名" in error and "机关党总支" in error and "优秀共产党员" in error
    assert "未给机关党总支分配" in rules.quota_error(0, None, rules.ADVANCED_ORG, "机关党总支")
    assert rules.quota_error(0, 0, rules.PARTY_WORKER, "机关党总支") is not None


def test_notice_length_counts_both_ends():
    assert rules.notice_length_error(D, date(2026, 6, 14), 5) is None
    assert "不少于5天" in rules.notice_length_error(D, date(2026, 6, 13), 5)
    assert "不能早于" in rules.notice_length_error(D, date(2026, 6, 9), 1)


def test_decision_after_the_notice_with_objections_resolved():
    ends = date(2026, 6, 14)
    assert rules.decide_errors(date(2026, 6, 15), ends, 0) == []
    assert "公示期满后" in rules.decide_errors(ends, ends, 0)[0]
    assert "未核查" in rules.decide_errors(date(2026, 6, 15), ends, 1)[0]
    assert "尚未公示" in rules.decide_errors(D, None, 0)[0]


def test_upheld_objection_prevents_the_award():
    assert rules.awarded(True, False)
    assert not rules.awarded(True, True)
    assert not rules.awarded(False, False)


def test_two_to_three_typical_units():
    # 《168模式实施意见》§六2: 确定2—3个典型进行重点培育
    counts = rules.UNIT_COUNTS
    assert rules.unit_count_error(2, rules.TYPICAL, counts) is None
    error = rules.unit_count_error(3, rules.TYPICAL, counts)
    assert error and "至多3个" in error and "§六2" in error
    assert rules.unit_count_shortfall(0, rules.TYPICAL, counts) == 2
    assert rules.unit_count_shortfall(1, rules.TYPICAL, counts) == 1
    assert rules.unit_count_shortfall(2, rules.TYPICAL, counts) == 0


def test_ten_demonstration_units():
    # 《延伸提升168机制意见》§三: 已确定10个单位为“168”机制典型示范单位
    counts = rules.UNIT_COUNTS
    assert rules.unit_count_error(9, rules.DEMONSTRATION, counts) is None
    assert "至多10个" in rules.unit_count_error(10, rules.DEMONSTRATION, counts)
    assert rules.unit_count_error(50, rules.CONTACT_POINT, counts) is None


def test_checks_and_review():
    assert rules.check_date_error(D, D, D) is None
    assert "不能早于" in rules.check_date_error(date(2026, 6, 9), D, D)
    assert "不能晚于今天" in rules.check_date_error(date(2026, 6, 11), D, D)
    assert "尚无检查记录" in rules.review_errors(0, rules.CONFIRM, "")[0]
    assert rules.review_errors(1, rules.CONFIRM, "") == []
    assert "理由" in rules.review_errors(1, rules.WITHDRAW, " ")[0]
    assert rules.review_errors(1, rules.WITHDRAW, "整改不力") == []
