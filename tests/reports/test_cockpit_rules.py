"""The cockpit's pure rules at their boundaries."""

import pytest

from dangjian.reports import rules


def test_share_percent():
    assert rules.share_percent(0, 0) is None
    assert rules.share_percent(0, 3) == 0.0
    assert rules.share_percent(1, 3) == 33.3
    assert rules.share_percent(2, 3) == 66.7  # half-up
    assert rules.share_percent(3, 3) == 100.0
    assert rules.share_percent(5, 3) == 100.0  # never above 100
    with pytest.raises(ValueError):
        rules.share_percent(-1, 3)


def test_per_member():
    assert rules.per_member(5, 0) is None
    assert rules.per_member(0, 4) == 0.0
    assert rules.per_member(1, 3) == 0.3
    assert rules.per_member(1, 4) == 0.3  # 0.25 rounds half-up
    assert rules.per_member(12, 4) == 3.0


@pytest.mark.parametrize(
    ("life", "overdue", "status"),
    [
        (None, 0, ""),
        (None, 1, "red"),
        (100.0, 1, "red"),
        (49.9, 0, "red"),
        (50.0, 0, "amber"),
        (79.9, 0, "amber"),
        (80.0, 0, "green"),
        (100.0, 0, "green"),
    ],
)
def test_node_status(life, overdue, status):
    assert rules.node_status(life, overdue) == status
    assert rules.NODE_STATUS_LABELS[status]


def test_node_status_thresholds_are_settings_values():
    assert rules.node_status(60.0, 0, green=60.0, red=30.0) == "green"
    assert rules.node_status(29.0, 0, green=60.0, red=30.0) == "red"
