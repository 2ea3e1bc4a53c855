"""Every write of 联述联评联考: atomic, checked (access.require, review.rules), audited with a
named event. The rating of a secretary is a survey of the surveys app (党员民意测评 of one
subject, the secretary): its one-time links, anonymity and minimum of ballots are that app's."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import access, audit
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Organisation, OrgKind, Position
from dangjian.review import events, rules
from dangjian.review.models import Level, ReportState, ReviewRound, RoundState, SecretaryReport
from dangjian.review.permissions import (
    CREATE_ROUND,
    MANAGE_ROUND,
    RATE_REPORT,
    REVIEW_REPORT,
    SUBMIT_REPORT,
)
from dangjian.surveys import selectors as survey_selectors
from dangjian.surveys import services as surveys
from dangjian.surveys.models import Survey, SurveyKind, SurveyState

ROUND_FIELDS = [
    "organisation",
    "year",
    "level",
    "title",
    "due_on",
    "weight_masses",
    "weight_review",
]
REPORT_FIELDS = ["state", "submitted_on", "attachment"]
REVIEW_FIELDS = ["state", "masses_score", "masses_responses", "review_score", "total", "grade"]
MAX_REPORTS = 5000


def weights() -> tuple[int, int]:
    masses, review = settings.REVIEW_WEIGHTS
    return int(masses), int(review)


def bands() -> Any:
    return settings.REVIEW_GRADE_BANDS


def _reporting_kind(level: str) -> str:
    return OrgKind.BRANCH if level == Level.BRANCH else OrgKind.GENERAL_BRANCH


def _refuse_published(round_: ReviewRound, field: str = "state") -> None:
    if round_.state == RoundState.PUBLISHED:
        raise ValidationError({field: rules.PUBLISHED_REFUSED})


@transaction.atomic
def round_create(
    *,
    actor: User,
    organisation: Organisation,
    year: int,
    level: str,
    title: str = "",
    due_on: date | None = None,
) -> ReviewRound:
    """Open a round: one report row for every active organisation of the level below the
    organiser that has a secretary in office (those without one are named in the audit note)."""
    access.require(actor, CREATE_ROUND, organisation)
    errors: dict[str, str] = {}
    if level not in Level.values:
        errors["level"] = "请选择述职对象：党支部书记或党总支书记。"
    elif organisation.kind not in (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH):
        errors["organisation"] = "联述联评联考由党委或党总支组织（下级党组织向上一级党组织述职）。"
    elif level == Level.GENERAL_BRANCH and organisation.kind != OrgKind.COMMITTEE:
        errors["level"] = "党总支书记向党委述职，须由党委组织。"
    if organisation.dissolved_on is not None:
        errors["organisation"] = f"{organisation.name}已撤销。"
    this_year = timezone.localdate().year
    if not 2000 <= year <= this_year + 1:
        errors["year"] = f"年度须在2000～{this_year + 1}之间。"
    if due_on is None and not errors.get("year"):
        due_on = rules.default_due(year)
    if due_on is not None and due_on.year != year:
        errors["due_on"] = "述职截止日期须在该年度内。"
    masses, review = weights()
    if error := rules.weights_error(masses, review):
        errors["level"] = error
    if (
        not errors
        and ReviewRound.objects.filter(organisation=organisation, year=year, level=level).exists()
    ):
        errors["year"] = f"{organisation.name}{year}年度的{Level(level).label}述职已经组织。"
    if errors or due_on is None:
        raise ValidationError(errors)
    orgs = list(
        Organisation.objects.active()
        .filter(path__startswith=organisation.path, kind=_reporting_kind(level))
        .exclude(pk=organisation.pk)
        .order_by("path")
        .values_list("pk", "name")[: MAX_REPORTS + 1]
    )
    if len(orgs) > MAX_REPORTS:
        raise ValidationError(
            {"organisation": f"一轮最多{MAX_REPORTS}个党组织，请由党总支分别组织。"}
        )
    secretaries: dict[int, int] = {}
    for org_id, person_id in (
        Position.objects.current()
        .filter(organisation_id__in=[pk for pk, _ in orgs], title="secretary")
        .order_by("starts_on", "id")
        .values_list("organisation_id", "person_id")
    ):
        secretaries.setdefault(org_id, person_id)
    if not secretaries:
        raise ValidationError(
            {
                "organisation": f"{organisation.name}下没有设有在任书记的"
                f"{Level(level).label[:-2]}，无人述职。"
            }
        )
    round_ = ReviewRound.objects.create(
        organisation=organisation,
        year=year,
        level=level,
        title=title.strip() or f"{year}年度{Level(level).label}抓基层党建工作述职评议",
        due_on=due_on,
        weight_masses=masses,
        weight_review=review,
        created_by=actor,
    )
    SecretaryReport.objects.bulk_create(
        SecretaryReport(round=round_, organisation_id=pk, secretary_id=secretaries[pk])
        for pk, _name in orgs
        if pk in secretaries
    )
    missing = [name for pk, name in orgs if pk not in secretaries]
    note = f"述职{len(secretaries)}人"
    if missing:
        note += f"；无在任书记未列入：{'、'.join(missing[:10])}{'等' if len(missing) > 10 else ''}"
    audit.created(
        actor=actor, obj=round_, fields=ROUND_FIELDS, note=note, event=events.ROUND_CREATED
    )
    return round_


def _locked_round(round_: ReviewRound) -> ReviewRound:
    return (
        ReviewRound.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=round_.pk)
    )


@transaction.atomic
def round_update(*, actor: User, round: ReviewRound, **fields: Any) -> ReviewRound:
    """Change the title or the due date of an open round."""
    round_ = _locked_round(round)
    access.require(actor, MANAGE_ROUND, round_)
    _refuse_published(round_, "title")
    allowed = {k: v for k, v in fields.items() if k in ("title", "due_on")}

    def clean(obj: ReviewRound) -> None:
        if not obj.title.strip():
            raise ValidationError({"title": "请填写标题。"})
        if obj.due_on.year != obj.year:
            raise ValidationError({"due_on": "述职截止日期须在该年度内。"})

    audit.audited_update(
        actor=actor, obj=round_, fields=allowed, audit_fields=["title", "due_on"], clean=clean
    )
    return round_


@transaction.atomic
def round_delete(*, actor: User, round: ReviewRound) -> None:
    """Delete a round nobody has reported in yet (a mistaken round)."""
    round_ = _locked_round(round)
    access.require(actor, MANAGE_ROUND, round_)
    if round_.reports.exclude(state=ReportState.PENDING).exists():
        raise ValidationError(
            {"state": "已有书记提交述职，不能删除本轮；如有错误请修改标题或截止日期。"}
        )
    audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=round_, note=round_.title)
    round_.delete()


def _locked_report(report: SecretaryReport) -> SecretaryReport:
    return (
        SecretaryReport.objects.select_for_update(of=("self",))
        .select_related("round", "organisation", "secretary")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_submit(
    *,
    actor: User,
    report: SecretaryReport,
    text: str,
    attachment: Any = None,
    today: date | None = None,
) -> SecretaryReport:
    """联述: the secretary's report on the year's Party-building work, with a file if any. It may
    be revised until the rating starts."""
    report = _locked_report(report)
    access.require(actor, SUBMIT_REPORT, report)
    _refuse_published(report.round, "text")
    if error := rules.step_error(report.state, "submit"):
        raise ValidationError({"text": error})
    text = (text or "").strip()
    if error := rules.report_text_error(text, minimum=settings.REVIEW_REPORT_MIN_CHARS):
        raise ValidationError({"text": error})
    with audit.recording(
        actor=actor, obj=report, fields=REPORT_FIELDS, event=events.REPORT_SUBMITTED
    ) as change:
        first = report.state == ReportState.PENDING
        report.text = text
        if attachment:
            report.attachment = attachment
        report.state = ReportState.REPORTED
        report.submitted_on = today or timezone.localdate()
        report.full_clean(exclude=["round", "organisation", "secretary", "survey"])
        report.save()
        if rules.is_late(report.submitted_on, report.round.due_on, report.submitted_on):
            change.note = "逾期提交" if first else "修改述职报告（逾期）"
        elif not first:
            change.note = "修改述职报告"
    return report


@transaction.atomic
def rating_open(
    *,
    actor: User,
    report: SecretaryReport,
    opens_on: date,
    closes_on: date,
    min_responses: int | None = None,
    links: int = 0,
) -> Survey:
    """联评: open the rating of the secretary by members and representatives of the masses — a
    党员民意测评 of the reporting organisation with the secretary as its one subject — and hand
    out a first batch of one-time links."""
    report = _locked_report(report)
    access.require(actor, RATE_REPORT, report)
    _refuse_published(report.round, "opens_on")
    if error := rules.step_error(report.state, "rate"):
        raise ValidationError({"opens_on": error})
    survey = surveys.survey_create(
        actor=actor,
        organisation=report.organisation,
        kind=SurveyKind.MEMBER_RATING,
        title=f"{report.round.year}年度{report.organisation.name}书记{report.secretary.name}述职测评"[
            :120
        ],
        opens_on=opens_on,
        closes_on=closes_on,
        min_responses=min_responses,
        subjects=[report.secretary],
        instructions="请对书记抓基层党建工作情况作出评价（联述联评联考，《组织建设年实施方案》§四(三)）。",
    )
    if links:
        try:
            surveys.tokens_issue(actor=actor, survey=survey, count=links)
        except ValidationError as exc:
            raise ValidationError({"links": exc.message_dict.get("count", exc.messages)}) from exc
    with audit.recording(
        actor=actor, obj=report, fields=["state"], event=events.RATING_OPENED
    ) as change:
        report.survey = survey
        report.state = ReportState.RATING
        report.save(update_fields=["survey", "state"])
        change.note = survey.title
    return survey


@transaction.atomic
def report_review(
    *,
    actor: User,
    report: SecretaryReport,
    score: Decimal,
    comment: str = "",
    today: date | None = None,
) -> SecretaryReport:
    """The level above reviews the report once the rating reached its minimum of ballots; the
    rating is closed and the combined result computed by the round's weights."""
    report = _locked_report(report)
    access.require(actor, REVIEW_REPORT, report)
    _refuse_published(report.round, "score")
    if error := rules.step_error(report.state, "review"):
        raise ValidationError({"score": error})
    if error := rules.reviewer_error(getattr(actor, "person_id", None), report.secretary_id):
        raise ValidationError({"score": error})
    if error := rules.score_error(score):
        raise ValidationError({"score": error})
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "请填写评定意见。"})
    assert report.survey is not None
    result = survey_selectors.result(report.survey)
    if error := rules.masses_error(result.responses, result.minimum, result.visible):
        raise ValidationError({"score": error})
    subject = result.subjects.get(report.secretary_id)
    if subject is None or subject.score is None:
        raise ValidationError({"score": "测评中没有对该书记的评价，不能评定。"})
    if report.survey.state == SurveyState.OPEN:
        surveys.survey_close(actor=actor, survey=report.survey)
    round_ = report.round
    with audit.recording(
        actor=actor, obj=report, fields=REVIEW_FIELDS, event=events.REPORT_REVIEWED
    ):
        report.masses_score = subject.score
        report.masses_responses = result.responses
        report.review_score = Decimal(str(score))
        report.review_comment = comment
        report.total = rules.combined_score(
            subject.score, report.review_score, (round_.weight_masses, round_.weight_review)
        )
        report.grade = rules.grade(report.total, bands())
        report.reviewed_by = actor
        report.reviewed_on = today or timezone.localdate()
        report.state = ReportState.REVIEWED
        report.save()
    return report


@transaction.atomic
def round_publish(*, actor: User, round: ReviewRound, today: date | None = None) -> ReviewRound:
    """Publish the results once every report has been reviewed: they appear on the public
    board and in 一支部一档, and feed the secretaries' grades and the branch grading."""
    round_ = _locked_round(round)
    access.require(actor, MANAGE_ROUND, round_)
    _refuse_published(round_)
    pending = list(
        round_.reports.exclude(state=ReportState.REVIEWED)
        .order_by("organisation__path")
        .values_list("organisation__name", flat=True)[:6]
    )
    count = round_.reports.exclude(state=ReportState.REVIEWED).count() if pending else 0
    if error := rules.publish_error(count, pending):
        raise ValidationError({"state": error})
    with audit.recording(
        actor=actor, obj=round_, fields=["state", "published_on"], event=events.ROUND_PUBLISHED
    ):
        round_.state = RoundState.PUBLISHED
        round_.published_on = today or timezone.localdate()
        round_.save(update_fields=["state", "published_on"])
    return round_
