"""A dossier whose steps were completed before the platform (the Excel import of historical
dossiers): recorded at once with the dates of its steps, checked against the order and the
intervals of 《基层组织建设实施意见》§四(三)1 (development.rules.history_errors)."""

from datetime import date
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import access, audit
from dangjian.core.models import User
from dangjian.development import events, rules, selectors
from dangjian.development import permissions as perms
from dangjian.development.models import OPEN_STATUSES, Case, CaseStatus, Stage
from dangjian.development.services._common import CASE_FIELDS, fail, set_status, timeline, today
from dangjian.org.models import Person
from dangjian.org.rules import STATUS_ORDER

# The general branch's own steps (§四(三)1(7)(8)(10)): recording them needs its right too.
ABOVE_FIELDS = {"talk_on": perms.TALK, "approved_on": perms.APPROVE, "converted_on": perms.APPROVE}


class HistoryDates(TypedDict, total=False):
    applied_on: date
    activist_on: date | None
    exam_passed_on: date | None
    candidate_on: date | None
    cultivation_starts_on: date | None
    target_on: date | None
    admitted_on: date | None
    talk_on: date | None
    approved_on: date | None
    converted_on: date | None


@transaction.atomic
def case_import_history(
    *, actor: User, person: Person, note: str = "", **dates: Unpack[HistoryDates]
) -> Case:
    """Open a dossier with the steps already completed, up to the last date given: each step
    on the timeline, the person's Party status brought in step, one audited event."""
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("primary_org")
        .get(pk=person.pk)
    )
    access.require(actor, perms.OPEN_CASE, person)
    if person.primary_org is None:
        raise ValidationError({"person": "该人员未登记所在党支部，无法建立发展党员档案"})
    probe = Case(person=person, organisation=person.primary_org)
    for name, action in ABOVE_FIELDS.items():
        if dates.get(name):
            access.require(actor, action, probe)
    p = selectors.params()
    given: dict[str, date | None] = {k: v for k, v in dates.items() if isinstance(v, date)}
    errors: dict[str, str] = dict(
        rules.history_errors(given, birth=person.birth_date, today=today(), params=p)
    )
    if Case.objects.filter(person=person, status__in=OPEN_STATUSES).exists():
        errors["person"] = "该人员已有正在办理的发展党员档案"
    elif Case.objects.filter(person=person, status=CaseStatus.CONVERTED).exists():
        errors["person"] = "该人员已有转正的发展党员档案"
    fail(errors)
    stage = rules.history_stage(given)
    status = rules.HISTORY_STATUS[stage]
    if STATUS_ORDER.index(person.party_status) > STATUS_ORDER.index(status):
        fail(
            {
                "person": f"该人员政治面貌为“{person.get_party_status_display()}”，"
                f"档案只记录到“{Stage(stage).label}”：请补全之后各步骤的日期"
            }
        )
    case = Case(person=person, organisation=person.primary_org, stage=stage, **given)
    if case.admitted_on:
        case.probation_ends_on = rules.probation_ends(case.admitted_on, p.probation_years)
        case.status = CaseStatus.PROBATION
    if case.converted_on:
        case.status = CaseStatus.CONVERTED
    case.full_clean()
    case.save()
    for name, step, label in rules.HISTORY_STEPS:
        on = given.get(name)
        if on is not None:
            timeline(actor, case, step, on, label.removesuffix("日期") + "（历史档案导入）", note)
    audit.created(
        actor=actor, obj=case, fields=CASE_FIELDS, note=note, event=events.HISTORY_IMPORTED
    )
    note_text = "发展党员：导入历史档案"
    if case.admitted_on:  # a member from the branch meeting's date, full from the conversion
        set_status(actor, person, "probationary", case.admitted_on, note_text)
        if case.converted_on:
            set_status(actor, person, "full", case.converted_on, note_text)
    else:
        last = max(on for on in given.values() if on is not None)
        set_status(actor, person, status, last, note_text)
    return case
