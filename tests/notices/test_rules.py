"""The rules of notices at their boundaries (notices.rules)."""

from datetime import UTC, date, datetime, timedelta

from dangjian.notices import rules


def test_ancestor_paths_are_the_organisation_and_every_level_above():
    assert rules.ancestor_paths("000100020003", 4) == ["0001", "00010002", "000100020003"]
    assert rules.ancestor_paths("0001", 4) == ["0001"]
    assert rules.ancestor_paths("", 4) == []


def test_a_notice_reaches_its_subtree_only():
    assert rules.reaches("00010002", "00010002")  # the organisation itself
    assert rules.reaches("00010002", "000100020001")  # below it
    assert not rules.reaches("00010002", "0001")  # the level above
    assert not rules.reaches("00010002", "00010003")  # a sibling
    assert not rules.reaches("00010002", "000100030002")  # a sibling's child
    assert not rules.reaches("", "0001")


def _addressed(audience, **kw):
    base = dict(
        audience=audience,
        notice_path="00010002",
        person_path="000100020001",
        on_roll=True,
        is_member=False,
        officer_paths=(),
    )
    return rules.is_addressed(**{**base, **kw})


def test_audience_kinds():
    assert _addressed(rules.ALL)
    assert not _addressed(rules.MEMBERS)
    assert _addressed(rules.MEMBERS, is_member=True)
    assert not _addressed(rules.OFFICERS, is_member=True)
    # An officer is reached through their post, wherever their own branch is.
    assert _addressed(rules.OFFICERS, person_path="0009", officer_paths=("000100020005",))
    assert not _addressed(rules.OFFICERS, officer_paths=("00010003",))


def test_people_off_the_roll_or_outside_receive_nothing():
    assert not _addressed(rules.ALL, on_roll=False)
    assert not _addressed(rules.ALL, person_path=None)
    assert not _addressed(rules.ALL, person_path="00010003")


def test_transitions():
    assert rules.transition_error(rules.DRAFT, "publish") is None
    assert rules.transition_error(rules.DRAFT, "edit") is None
    assert rules.transition_error(rules.PUBLISHED, "withdraw") is None
    assert "只有草稿" in rules.transition_error(rules.PUBLISHED, "publish")
    assert "撤回后重新" in rules.transition_error(rules.PUBLISHED, "edit")
    assert rules.transition_error(rules.WITHDRAWN, "withdraw")
    assert rules.transition_error(rules.WITHDRAWN, "delete")
    assert rules.transition_error(rules.PUBLISHED, "attach")


def test_deadline_today_is_allowed_yesterday_is_not():
    today = date(2026, 12, 7)
    assert rules.deadline_error(None, today) is None
    assert rules.deadline_error(today, today) is None
    assert rules.deadline_error(today - timedelta(days=1), today) == "截止日期不能早于今天。"


def test_attachments_limit():
    assert rules.attachments_error(4, 5) is None
    assert rules.attachments_error(5, 5) == "每条通知最多上传5个附件。"


def test_read_rate():
    assert rules.read_rate(0, 0) is None
    assert rules.read_rate(1, 3) == 33.3
    assert rules.read_rate(5, 3) == 100.0


def test_unread_since_and_digest_window():
    seen = datetime(2026, 12, 7, 8, tzinfo=UTC)
    assert rules.is_unread_since(seen + timedelta(seconds=1), seen)
    assert not rules.is_unread_since(seen, seen)
    assert rules.is_unread_since(seen, None)
    now = datetime(2026, 12, 7, 7, tzinfo=UTC)
    assert rules.digest_window_start(seen, now, 7) == seen
    assert rules.digest_window_start(None, now, 7) == now - timedelta(days=7)
