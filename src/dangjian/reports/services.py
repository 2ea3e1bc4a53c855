"""Every write to quarterly reports: atomic, row-locked, checked against reports.rules, audited.

Workflow (《延伸提升168机制意见》§五; DOMAIN §10): an organisation generates a draft for a quarter,
writes the narrative, submits it to the level above, which accepts it or returns it with a note; a
returned report is corrected and submitted again. The committee's report is the school's
report to 市委教育工委: once submitted it leaves the system and nobody inside reviews it.
The figures are recomputed while the report is a draft or returned and frozen on submission.
"""

from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import can_proceed

from dangjian.core import audit
from dangjian.core.access import Actor, can, require
from dangjian.core.events import EventType
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Organisation
from dangjian.reports import events, rules, selectors
from dangjian.reports.models import QuarterlyReport, ReportStatus

NARRATIVE_FIELDS = ["progress", "highlights", "problems", "next_steps"]
AUDIT_FIELDS = ["status", *NARRATIVE_FIELDS, "review_note"]
EDITABLE_STATES = (ReportStatus.DRAFT, ReportStatus.RETURNED)

WRONG_KIND = "只有党委、党总支和党支部填报季报表，党小组不单独填报。"
DISSOLVED = "该党组织已撤销，不能生成季报表。"
NOT_STARTED = "该季度尚未开始，不能生成季报表。"
LOCKED = "季报表已报送，不能再修改；如需修改，须由上级党组织退回。"
SUBMIT_STATE = "只有草稿或已退回的季报表可以报送。"
SUBMIT_EMPTY = "报送前须填写“工作进展情况”。"
REVIEW_TOP = "党委季报表报送市委教育工委，系统内无需审核。"
REVIEW_STATE = "只有已报送、待审核的季报表可以审核通过或退回。"
RETURN_NOTE = "退回时须填写审核意见，说明需要修改的内容。"


def duplicate_message(org: Organisation, year: int, quarter: int) -> str:
    return f"{org.name}{year}年第{quarter}季度季报表已生成，每个季度只填报一份，不能重复生成。"


def can_write(user: Actor, org: Organisation) -> bool:
    """Officers of the organisation and of the levels above write and submit its report."""
    return can(user, "reports.write", org)


def can_review(user: Actor, org: Organisation) -> bool:
    """Only an officer strictly above the organisation reviews its report (the organisation
    department reviews everything); the committee's report has no reviewer in the system."""
    return rules.needs_review(org.kind) and can(user, "reports.review", org)


def _locked(report: QuarterlyReport) -> QuarterlyReport:
    return (
        QuarterlyReport.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=report.pk)
    )


def _refresh(report: QuarterlyReport) -> None:
    report.figures = selectors.compute_figures(report.organisation, report.year, report.quarter)


@transaction.atomic
def report_generate(
    *, actor: Actor, organisation: Organisation, year: int, quarter: int
) -> QuarterlyReport:
    """A draft for `organisation` and the quarter, with the figures computed from the records."""
    if quarter not in rules.QUARTERS:
        raise ValidationError({"quarter": "季度应为1至4。"})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应在2000至2100之间。"})
    if organisation.kind not in rules.REPORTING_KINDS:
        raise ValidationError({"organisation": WRONG_KIND})
    if organisation.is_dissolved:
        raise ValidationError({"organisation": DISSOLVED})
    require(actor, "reports.generate", organisation)
    if rules.quarter_bounds(year, quarter)[0] > timezone.localdate():
        raise ValidationError({"quarter": NOT_STARTED})
    if QuarterlyReport.objects.filter(
        organisation=organisation, year=year, quarter=quarter
    ).exists():
        raise ValidationError({"quarter": duplicate_message(organisation, year, quarter)})
    report = QuarterlyReport(organisation=organisation, year=year, quarter=quarter)
    _refresh(report)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # generated concurrently
        raise ValidationError({"quarter": duplicate_message(organisation, year, quarter)}) from None
    audit.created(actor=actor, obj=report, fields=AUDIT_FIELDS, note="生成季报表草稿")
    return report


def _check_writable(actor: Actor, report: QuarterlyReport) -> None:
    require(actor, "reports.write", report.organisation)
    if report.status not in EDITABLE_STATES:
        raise ValidationError({"status": LOCKED})


@transaction.atomic
class Narrative(TypedDict, total=False):
    progress: str
    highlights: str
    problems: str
    next_steps: str


def report_update(
    *, actor: Actor, report: QuarterlyReport, **narrative: Unpack[Narrative]
) -> QuarterlyReport:
    """Edit the narrative of a draft or returned report; the figures are refreshed too."""
    report = _locked(report)
    _check_writable(actor, report)
    unknown = set(narrative) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"不能修改：{'、'.join(sorted(unknown))}"})

    def clean(obj: QuarterlyReport) -> None:
        _refresh(obj)
        obj.full_clean()

    updated = audit.audited_update(
        actor=actor, obj=report, fields=dict(narrative), audit_fields=AUDIT_FIELDS, clean=clean
    )
    assert isinstance(updated, QuarterlyReport)
    return updated


@transaction.atomic
def report_refresh(*, actor: Actor, report: QuarterlyReport) -> QuarterlyReport:
    """Recompute the figures of a draft or returned report (frozen once submitted)."""
    report = _locked(report)
    _check_writable(actor, report)
    _refresh(report)
    report.save(update_fields=["figures"])
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=report, note="更新统计数据")
    return report


@transaction.atomic
def report_submit(*, actor: User, report: QuarterlyReport) -> QuarterlyReport:
    """Submit to the level above (the committee's report goes to 市委教育工委); the figures are
    computed one last time and frozen."""
    report = _locked(report)
    require(actor, "reports.write", report.organisation)
    if not can_proceed(report.submit):
        raise ValidationError({"status": SUBMIT_STATE})
    if not report.progress.strip():
        raise ValidationError({"progress": SUBMIT_EMPTY})
    before = audit.snapshot(report, AUDIT_FIELDS)
    _refresh(report)
    report.submit()
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.review_note = ""
    report.reviewed_at = None
    report.reviewed_by = None
    report.save()
    reviewed = rules.needs_review(report.organisation.kind)
    audit.changed(
        actor=actor,
        obj=report,
        fields=AUDIT_FIELDS,
        before=before,
        event=events.SUBMITTED if reviewed else events.SUBMITTED_UPWARD,
    )
    return report


def _review(
    actor: User,
    report: QuarterlyReport,
    transition: str,
    note: str,
    event: EventType,
    *,
    note_required: bool = False,
) -> QuarterlyReport:
    report = _locked(report)
    if not rules.needs_review(report.organisation.kind):
        raise ValidationError({"status": REVIEW_TOP})
    require(actor, "reports.review", report.organisation)
    method = getattr(report, transition)
    if not can_proceed(method):
        raise ValidationError({"status": REVIEW_STATE})
    if note_required and not note:
        raise ValidationError({"note": RETURN_NOTE})
    with audit.recording(actor=actor, obj=report, fields=AUDIT_FIELDS, event=event):
        method()
        report.reviewed_at = timezone.now()
        report.reviewed_by = actor
        report.review_note = note
        report.save()
    return report


@transaction.atomic
def report_accept(*, actor: User, report: QuarterlyReport, note: str = "") -> QuarterlyReport:
    return _review(actor, report, "accept", note.strip(), events.ACCEPTED)


@transaction.atomic
def report_return(*, actor: User, report: QuarterlyReport, note: str) -> QuarterlyReport:
    """Send the report back with a note saying what to correct; it becomes editable again."""
    return _review(
        actor, report, "send_back", (note or "").strip(), events.RETURNED, note_required=True
    )
