"""org's workflow steps are named on the audit trail (org.events)."""

from datetime import date

from dangjian.core.models import AuditEvent
from dangjian.org import events, services
from tests.factories import make_person


def test_a_status_change_records_its_named_event(world):
    applicant = make_person(world.branch_a, status="masses", name="周申请")
    services.person_change_status(
        actor=world.secretary_a,
        person=applicant,
        new_status="applicant",
        effective_on=date(2025, 3, 1),
        note="递交入党申请书",
    )
    row = AuditEvent.objects.get(object_id=applicant.pk, action=AuditEvent.Action.STATUS)
    assert row.event == events.STATUS_CHANGED.name
    assert row.label == "变更政治面貌"
    assert row.note == "递交入党申请书"  # the reason stays: it carries data
