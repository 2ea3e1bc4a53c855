"""What every write of a dossier shares: the lock, the stage check, the timeline entry, the
audited save and the person's Party status kept in step."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.events import EventType
from dangjian.core.models import User
from dangjian.development import rules
from dangjian.development.models import Case, CaseEvent, CaseStatus, Notice, Stage
from dangjian.org.models import Person
from dangjian.org.services import person_change_status

Document = UploadedFile | None

CASE_FIELDS = [
    "stage",
    "status",
    "applied_on",
    "activist_on",
    "exam_passed_on",
    "exam_score",
    "candidate_on",
    "cultivation_starts_on",
    "target_committee_on",
    "target_on",
    "admitted_on",
    "talk_on",
    "talker",
    "approved_on",
    "probation_ends_on",
    "conversion_applied_on",
    "conversion_late",
    "conversion_opinions_on",
    "conversion_committee_on",
    "conversion_reviewed_on",
    "extended_on",
    "converted_on",
    "ended_on",
    "end_reason",
]


def fail(errors: dict[str, Any]) -> None:
    """Raise the collected rule violations, if any ({field: message})."""
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("person", "organisation")
        .get(pk=case.pk)
    )


def today() -> date:
    return timezone.localdate()


def expect(
    case: Case, stage: int, action: str, statuses: tuple[str, ...] = (CaseStatus.ACTIVE,)
) -> None:
    """The case stands at `stage` (the last step completed) in one of `statuses`."""
    if case.status not in statuses:
        raise ValidationError(
            {"__all__": f"该发展党员档案状态为“{case.get_status_display()}”，不能{action}"}
        )
    if case.stage != stage:
        raise ValidationError(
            {
                "__all__": f"当前步骤为“{case.get_stage_display()}”，不能{action}："
                f"须在“{Stage(stage).label}”之后办理"
            }
        )


def timeline(
    actor: User | None,
    case: Case,
    stage: int,
    on: date,
    title: str,
    note: str = "",
    document: Document = None,
) -> CaseEvent:
    """One dated entry of the dossier's timeline."""
    return CaseEvent.objects.create(
        case=case,
        stage=stage,
        happened_on=on,
        title=title,
        note=note,
        document=document or "",
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )


def save(actor: User, case: Case, before: dict[str, Any], event: EventType, note: str = "") -> Case:
    """Save a step of the case, audited as its named event."""
    case.full_clean()
    case.save()
    audit.changed(
        actor=actor,
        obj=case,
        fields=CASE_FIELDS,
        before=before,
        event=event,
        note=note,
    )
    return case


def set_status(actor: User, person: Person, status: str, on: date, note: str) -> None:
    """Keep the person's Party status in step (history in org.StatusChange)."""
    if person.party_status != status:
        person_change_status(
            actor=actor, person=person, new_status=status, effective_on=on, note=note
        )


def latest_notice(case: Case, purpose: str, since: date | None = None) -> Notice | None:
    qs = case.notices.filter(purpose=purpose)
    if since is not None:
        qs = qs.filter(starts_on__gte=since)
    return qs.prefetch_related("objections").order_by("-starts_on", "-id").first()


def persons(ids_or_people: list[Person] | list[int]) -> list[Person]:
    ids = [p.pk if isinstance(p, Person) else int(p) for p in ids_or_people]
    return list(Person.objects.filter(pk__in=ids))


def dated(on: date, label: str = "日期") -> dict[str, str | None]:
    return {"on": rules.future_error(on, today(), label)}


def probation_dates(case: Case) -> tuple[date, date]:
    """The admission and the end of the probation of a case in probation (the approval set
    both)."""
    admitted, ends = case.admitted_on, case.probation_ends_on
    assert admitted is not None and ends is not None, "a probation has its dates"
    return admitted, ends
