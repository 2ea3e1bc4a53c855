"""The probation and the conversion (《基层组织建设实施意见》§四(三)1(9)(10)): the probationary
member's reports, the written application, the steps before the notice, the general branch's
approval and an extension of the probation."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import access, audit
from dangjian.core.events import EventType
from dangjian.core.models import User
from dangjian.development import events, rules, selectors
from dangjian.development import permissions as perms
from dangjian.development.models import (
    PROBATION_STATUSES,
    Case,
    CaseStatus,
    ProbationReport,
    Stage,
    Vote,
    VotePurpose,
)
from dangjian.development.services._common import (
    CASE_FIELDS,
    Document,
    dated,
    expect,
    fail,
    lock,
    probation_dates,
    save,
    set_status,
    timeline,
    today,
)
from dangjian.org.models import PartyStatus
from dangjian.org.services import person_extend_probation

# --- step 9: probation reports -------------------------------------------------------------


@transaction.atomic
def probation_report_create(
    *,
    actor: User,
    case: Case,
    kind: str,
    submitted_on: date,
    summary: str,
    document: Document = None,
) -> ProbationReport:
    case = lock(case)
    access.require(actor, perms.ACT, case)
    if case.status not in PROBATION_STATUSES:
        raise ValidationError({"__all__": "只有预备期内的预备党员才登记思想汇报"})
    errors = {
        "submitted_on": rules.future_error(submitted_on, today(), "汇报日期")
        or rules.order_error(case.admitted_on, submitted_on, "预备期开始日期", "汇报日期"),
        "summary": None if summary.strip() else "请填写汇报内容摘要",
    }
    fail(errors)
    report = ProbationReport.objects.create(
        case=case, kind=kind, submitted_on=submitted_on, summary=summary, document=document or ""
    )
    audit.created(actor=actor, obj=report, fields=["kind", "submitted_on", "summary"])
    timeline(
        actor, case, Stage.PROBATION, submitted_on, report.get_kind_display(), summary, document
    )
    return report


# --- step 10: conversion -------------------------------------------------------------------


@transaction.atomic
def case_apply_conversion(
    *, actor: User, case: Case, on: date, note: str = "", document: Document = None
) -> Case:
    """The written conversion application, due one month before the probation ends; a late one
    is recorded and flagged (《基层组织建设实施意见》§四(三)1(10))."""
    case = lock(case)
    access.require(actor, perms.ACT, case)
    expect(case, Stage.PROBATION, "提出转正申请", PROBATION_STATUSES)
    errors = dated(on, "申请日期")
    if case.conversion_applied_on is not None:
        errors["on"] = "已提出转正申请"
    errors["on"] = errors["on"] or rules.order_error(
        case.approved_on, on, "党总支审批日期", "转正申请日期"
    )
    fail(errors)
    p = selectors.params()
    _admitted, ends = probation_dates(case)
    late = rules.conversion_late(on, ends, p.conversion_lead_months)
    before = audit.snapshot(case, CASE_FIELDS)
    case.conversion_applied_on = on
    case.conversion_late = late
    save(actor, case, before, events.CONVERSION_APPLIED)
    deadline = rules.conversion_deadline(ends, p.conversion_lead_months)
    title = "提出书面转正申请" + (f"（逾期：应于{deadline:%Y-%m-%d}前提出）" if late else "")
    timeline(actor, case, Stage.CONVERSION, on, title, note, document)
    return case


CONVERSION_STEPS: dict[str, tuple[str, str, str, str, str, EventType]] = {
    # step: (field, previous field, label, previous label, the right it needs, its event)
    "opinions": (
        "conversion_opinions_on",
        "conversion_applied_on",
        "征求党内外师生意见",
        "提出转正申请",
        perms.ACT,
        events.CONVERSION_OPINIONS,
    ),
    "committee": (
        "conversion_committee_on",
        "conversion_opinions_on",
        "支委会讨论评议转正",
        "征求党内外意见",
        perms.ACT,
        events.CONVERSION_COMMITTEE,
    ),
    "review": (
        "conversion_reviewed_on",
        "conversion_committee_on",
        "党总支审查转正",
        "支委会讨论评议",
        perms.REVIEW_CONVERSION,
        events.CONVERSION_REVIEWED,
    ),
}


@transaction.atomic
def case_conversion_step(
    *, actor: User, case: Case, step: str, on: date, note: str = "", document: Document = None
) -> Case:
    """One of the steps between the application and the notice, in the seed's order:
    opinions → branch committee → general-branch review (《基层组织建设实施意见》§四(三)1(10))."""
    if step not in CONVERSION_STEPS:
        raise ValidationError({"step": "无效的转正程序步骤"})
    field, previous, label, previous_label, right, event = CONVERSION_STEPS[step]
    case = lock(case)
    access.require(actor, right, case)
    expect(case, Stage.PROBATION, label, PROBATION_STATUSES)
    errors = dated(on)
    if getattr(case, previous) is None:
        errors["on"] = f"须先{previous_label}，方可{label}{rules.cite(10)}"
    elif getattr(case, field) is not None:
        errors["on"] = f"已{label}"
    else:
        errors["on"] = errors["on"] or rules.order_error(
            getattr(case, previous), on, previous_label + "日期", label + "日期"
        )
    fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    setattr(case, field, on)
    save(actor, case, before, event)
    timeline(actor, case, Stage.CONVERSION, on, label, note, document)
    return case


def _passed_conversion_vote(case: Case) -> Vote | None:
    if case.conversion_reviewed_on is None:
        return None
    return (
        case.votes.filter(
            purpose=VotePurpose.CONVERSION, passed=True, held_on__gte=case.conversion_reviewed_on
        )
        .order_by("-held_on", "-id")
        .first()
    )


@transaction.atomic
def case_approve_conversion(
    *, actor: User, case: Case, on: date, note: str = "", document: Document = None
) -> Case:
    """The general branch approves the conversion: full member from the probation's end
    (《基层组织建设实施意见》§四(三)1(10))."""
    case = lock(case)
    access.require(actor, perms.APPROVE_CONVERSION, case)
    expect(case, Stage.PROBATION, "审批转正", PROBATION_STATUSES)
    vote = _passed_conversion_vote(case)
    _admitted, ends = probation_dates(case)
    errors = dated(on, "审批日期")
    if vote is None:
        errors["on"] = "须经支部大会讨论、表决通过后方可审批转正" + rules.cite(10)
    else:
        errors["on"] = (
            errors["on"]
            or rules.order_error(vote.held_on, on, "支部大会日期", "审批日期")
            or rules.conversion_approval_error(ends, on)
        )
    fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.converted_on = ends
    case.stage = Stage.CONVERSION
    case.status = CaseStatus.CONVERTED
    save(actor, case, before, events.CONVERTED)
    timeline(
        actor,
        case,
        Stage.CONVERSION,
        on,
        f"党总支审批同意按期转为正式党员（转正时间{ends:%Y-%m-%d}）",
        note,
        document,
    )
    set_status(actor, case.person, PartyStatus.FULL, ends, "发展党员：预备党员转为正式党员")
    return case


@transaction.atomic
def case_extend(*, actor: User, case: Case, on: date, until: date, reason: str) -> Case:
    """Extend the probation by up to one year (the general branch approves)."""
    case = lock(case)
    access.require(actor, perms.EXTEND, case)
    expect(case, Stage.PROBATION, "延长预备期", PROBATION_STATUSES)
    p = selectors.params()
    admitted, ends = probation_dates(case)
    original = rules.probation_ends(admitted, p.probation_years)
    errors = dated(on)
    errors["until"] = rules.extension_error(original, ends, until)
    errors["reason"] = None if reason.strip() else "请填写延长预备期的原因"
    fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.probation_ends_on = until
    case.status = CaseStatus.EXTENDED
    case.extended_on = on
    case.extension_reason = reason[:200]
    # The conversion procedure starts again at the end of the extended probation.
    case.conversion_applied_on = None
    case.conversion_late = False
    case.conversion_opinions_on = None
    case.conversion_committee_on = None
    case.conversion_reviewed_on = None
    save(actor, case, before, events.EXTENDED, note=reason)
    person_extend_probation(actor=actor, person=case.person, ends_on=until)
    timeline(actor, case, Stage.CONVERSION, on, f"延长预备期至{until:%Y-%m-%d}", reason)
    return case
