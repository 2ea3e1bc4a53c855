from datetime import datetime, timedelta

from dangjian.core.rules import field_changes, login_locked

NOW = datetime(2026, 3, 1, 12, 0)


def test_lockout_at_the_limit_within_the_window():
    four = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4)]
    assert not login_locked(four, NOW, limit=5, minutes=15)
    assert login_locked([*four, NOW], NOW, limit=5, minutes=15)


def test_failures_older_than_the_window_do_not_count():
    old = [NOW - timedelta(minutes=15)] * 5  # exactly 15 minutes ago: outside the window
    assert not login_locked(old, NOW, limit=5, minutes=15)
    assert login_locked([NOW - timedelta(minutes=14, seconds=59)] * 5, NOW)


def test_field_changes_only_lists_differences_and_treats_blank_as_missing():
    assert field_changes({"a": 1, "b": ""}, {"a": 2, "b": None}) == {"a": [1, 2]}
    assert field_changes({}, {"name": "x", "note": ""}) == {"name": [None, "x"]}
