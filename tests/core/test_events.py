"""Named workflow events (core.events): declared once, stored on the audit row, shown by label."""

import pytest

from dangjian.core import audit
from dangjian.core.events import EventType, declared, label_of
from dangjian.core.models import AuditEvent

TESTED = EventType("testing.decided", "决定等次")


def test_an_event_is_stored_by_name_and_shown_by_label(world):
    row = audit.record(
        actor=world.org_officer, action=AuditEvent.Action.STATUS, obj=world.branch_a, event=TESTED
    )
    row = AuditEvent.objects.get(pk=row.pk)
    assert row.event == "testing.decided"
    assert row.label == "决定等次"
    assert str(row).startswith("决定等次")
    assert AuditEvent.objects.filter(event=TESTED.name).count() == 1


def test_a_row_without_an_event_shows_its_action(world):
    row = audit.record(actor=None, action=AuditEvent.Action.UPDATE, obj=world.branch_a)
    assert row.event == "" and row.label == "修改"


def test_declaring_one_name_twice_differently_is_an_error():
    assert label_of("testing.decided") == "决定等次"
    EventType("testing.decided", "决定等次")  # the same declaration again is harmless
    with pytest.raises(ValueError):
        EventType("testing.decided", "另一个名称")


def test_every_declared_event_is_named_by_its_app():
    for name, event in declared().items():
        app, _, what = name.partition(".")
        assert app and what and event.label, name
