"""Pure rules of the public board and the suggestion box, at their boundaries."""

from datetime import datetime

import pytest

from dangjian.public import rules


# 《168模式实施意见》§五(二): a suggestion box open to the masses — abuse limits for an open form.
def test_content_of_2000_characters_is_accepted_and_2001_refused():
    assert rules.content_error("意" * 2000) is None
    error = rules.content_error("意" * 2001)
    assert error is not None and "2000" in error and "2001" in error


def test_empty_or_blank_content_is_refused():
    assert rules.content_error("") == "请填写意见建议内容。"
    assert rules.content_error("   \n ") == "请填写意见建议内容。"


def test_content_length_ignores_surrounding_whitespace():
    assert rules.content_error("  " + "意" * 2000 + "\n") is None


def test_honeypot_must_stay_empty():
    assert rules.honeypot_error("") is None
    assert rules.honeypot_error("http://spam") == rules.HONEYPOT_REFUSED


def test_rate_limit_fifth_accepted_sixth_refused():
    # Four earlier suggestions in the window: the fifth is accepted.
    assert rules.rate_limit_error(4, limit=5, window_seconds=3600) is None
    # Five earlier: the sixth is refused, in Chinese, naming the limit and the window.
    error = rules.rate_limit_error(5, limit=5, window_seconds=3600)
    assert error is not None
    assert "每1小时最多提交5条" in error


@pytest.mark.parametrize(
    "seconds,text", [(3600, "1小时"), (7200, "2小时"), (600, "10分钟"), (90, "90秒")]
)
def test_window_text(seconds, text):
    assert rules.window_text(seconds) == text


def test_rate_window_start():
    now = datetime(2026, 3, 1, 12, 0, 0)
    assert rules.rate_window_start(now, 3600) == datetime(2026, 3, 1, 11, 0, 0)


def test_client_hash_is_keyed_and_stable():
    a = rules.client_hash("key-1", "10.0.0.1")
    assert a == rules.client_hash("key-1", "10.0.0.1")
    assert a != rules.client_hash("key-2", "10.0.0.1")
    assert a != rules.client_hash("key-1", "10.0.0.2")
    assert len(a) == 64 and "10.0.0.1" not in a


def test_tracking_alphabet_has_no_ambiguous_characters():
    for ch in "0O1IL":
        assert ch not in rules.TRACKING_ALPHABET
    assert len(set(rules.TRACKING_ALPHABET)) == len(rules.TRACKING_ALPHABET)


def test_tracking_code_normalised_and_checked():
    assert rules.normalise_code(" abcde-fghjk ") == "ABCDEFGHJK"
    assert rules.tracking_code_valid("ABCDEFGHJK")
    assert not rules.tracking_code_valid("ABCDEFGHJ")  # 9 characters
    assert not rules.tracking_code_valid("ABCDEFGHJKM")  # 11 characters
    assert not rules.tracking_code_valid("ABCDEFGH0K")  # 0 is not in the alphabet
    assert rules.format_code("ABCDEFGHJK") == "ABCDE-FGHJK"


def test_display_name_anonymous_when_empty():
    assert rules.display_name("") == "匿名"
    assert rules.display_name("  ") == "匿名"
    assert rules.display_name(" 张三 ") == "张三"


# --- The handling state table --------------------------------------------------------------

ALLOWED = [
    ("classify", "received", "received"),
    ("classify", "assigned", "assigned"),
    ("classify", "answered", "answered"),
    ("assign", "received", "assigned"),
    ("assign", "assigned", "assigned"),
    ("reply", "received", "answered"),
    ("reply", "assigned", "answered"),
    ("reply", "answered", "answered"),
    ("close", "answered", "closed"),
    ("to_opinion", "received", "received"),
    ("to_opinion", "closed", "closed"),
]


@pytest.mark.parametrize("action,status,target", ALLOWED)
def test_allowed_moves(action, status, target):
    assert rules.move_error(action, status) is None
    assert rules.move_target(action, status) == target


REFUSED = [
    ("close", "received", "尚未答复，不能办结"),
    ("close", "assigned", "尚未答复，不能办结"),
    ("close", "closed", "已办结"),
    ("assign", "answered", "已答复的意见建议不能再交办"),
    ("assign", "closed", "已办结，不能再交办"),
    ("reply", "closed", "已办结，不能再答复"),
    ("classify", "closed", "已办结，不能再分类"),
]


@pytest.mark.parametrize("action,status,message", REFUSED)
def test_refused_moves_are_named_in_chinese(action, status, message):
    error = rules.move_error(action, status)
    assert error is not None and message in error


def test_unknown_action_is_refused():
    assert rules.move_error("delete", "received") == "未知的办理操作。"


def test_allowed_moves_list():
    assert rules.allowed_moves("answered") == ["classify", "reply", "close", "to_opinion"]
    assert rules.allowed_moves("closed") == ["to_opinion"]


# --- Step 1 of the six-step method (《168模式实施意见》§四(一)1) ----------------------------


def test_opinion_category_maps_conduct_to_party_building():
    assert rules.opinion_category("conduct") == "party"
    for code in ("party", "teaching", "management", "students", "logistics", "other"):
        assert rules.opinion_category(code) == code


def test_only_step_one_takes_opinions():
    assert rules.work_item_step_error(1) is None
    assert "已过“征求意见”步骤" in rules.work_item_step_error(2)
    assert rules.work_item_step_error(7) is not None


def test_org_covers_self_and_ancestors_only():
    assert rules.org_covers("0001", "00010001")
    assert rules.org_covers("00010001", "00010001")
    assert not rules.org_covers("00010002", "00010001")
    assert not rules.org_covers("000100010001", "00010001")


# --- Board and nameplate -------------------------------------------------------------------


def test_board_years_default_and_offered():
    assert rules.board_years([2024, 2025], 2026, None) == (2026, [2026, 2025, 2024])
    assert rules.board_years([2024], 2026, 2024) == (2024, [2026, 2024])
    # A year without posts is still shown when asked (an empty board), a silly year is not.
    assert rules.board_years([], 2026, 2023) == (2023, [2026, 2023])
    assert rules.board_years([], 2026, 1900) == (2026, [2026])
    assert rules.board_years([], 2026, 2028) == (2026, [2026])


@pytest.mark.parametrize(
    "raw,n", [("1", 1), ("2", 2), ("4", 4), ("3", 2), ("", 2), (None, 2), ("x", 2)]
)
def test_nameplate_layout(raw, n):
    assert rules.nameplate_layout(raw) == n


def test_short_duties_first_line_cut():
    assert rules.short_duties("\n  宣传政策\n第二行") == "宣传政策"
    long = "职" * 70
    assert rules.short_duties(long) == "职" * 59 + "…"
    assert len(rules.short_duties("职" * 60)) == 60
