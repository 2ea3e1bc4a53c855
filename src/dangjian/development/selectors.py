"""Scoped reads of the development pipeline: the board, the dossier and what its next step
needs (the same rules the services apply, evaluated for today)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet

from dangjian.core import aggregates
from dangjian.core.models import User
from dangjian.development import rules
from dangjian.development.models import (
    OPEN_STATUSES,
    PROBATION_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    Notice,
    NoticePurpose,
    Objection,
    Stage,
    StageDefinition,
    Vote,
    VotePurpose,
)
from dangjian.org.selectors import narrowed

OPEN = OPEN_STATUSES
PROBATION_WINDOW_DAYS = 60
CONVERSION_WINDOW_DAYS = 30

STEP_DATES = {
    Stage.APPLICATION: "applied_on",
    Stage.ACTIVIST: "activist_on",
    Stage.CANDIDATE: "candidate_on",
    Stage.CULTIVATION: "cultivation_starts_on",
    Stage.TARGET: "target_on",
    Stage.ADMISSION: "admitted_on",
    Stage.TALK: "talk_on",
    Stage.APPROVAL: "approved_on",
    Stage.PROBATION: "admitted_on",
    Stage.CONVERSION: "converted_on",
}


def params() -> rules.Params:
    """The institution's parameters (settings DEVELOPMENT_*), the seed's by default."""
    return rules.Params(
        min_age=settings.DEVELOPMENT_MIN_AGE,
        cultivation_years=settings.DEVELOPMENT_CULTIVATION_YEARS,
        notice_days=settings.DEVELOPMENT_NOTICE_DAYS,
        probation_years=settings.DEVELOPMENT_PROBATION_YEARS,
        conversion_lead_months=settings.DEVELOPMENT_CONVERSION_LEAD_MONTHS,
        sponsor_report_months=settings.DEVELOPMENT_SPONSOR_REPORT_MONTHS,
        branch_report_months=settings.DEVELOPMENT_BRANCH_REPORT_MONTHS,
    )


def notice_facts(notice: Notice | None) -> rules.NoticeFacts | None:
    """What the rules need to know of a notice (its period, its objections' state)."""
    if notice is None:
        return None
    return rules.NoticeFacts(
        starts_on=notice.starts_on,
        ends_on=notice.ends_on,
        objections=tuple((o.resolved_on is not None, o.upheld) for o in notice.objections.all()),
    )


def stage_names() -> dict[int, str]:
    """The institution's wording of the ten steps (falls back to the seed's)."""
    names = dict(Stage.choices)
    names.update(dict(StageDefinition.objects.values_list("stage", "name")))
    return names


def with_list_relations(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("person", "organisation")


def case_awaiting_exam(person_id: int) -> Case | None:
    """The person's open case that waits for the Party-school exam (an activist, before step
    3), for the Party school to record a pass on (partyschool)."""
    return (
        Case.objects.filter(person_id=person_id, status=CaseStatus.ACTIVE, stage=Stage.ACTIVIST)
        .order_by("-id")
        .first()
    )


def visible_cases(user: User) -> QuerySet[Case]:
    """The cases of the board (the filters narrow them: development.filters.CaseFilter)."""
    return Case.objects.visible_to(user)


# A scope of at most this many organisations is also named by their ids on the board.
def board_cases(user: User) -> QuerySet[Case]:
    """The board's cases, the scope also given as its organisations' ids (org.selectors.narrowed:
    told only the subquery, PostgreSQL walks the board's order index through 1.4 M cases to fill
    a branch's page; with the ids it sorts the branch's few rows)."""
    return narrowed(visible_cases(user), user, "organisation", "person")


def stage_counts(qs: QuerySet[Case], user: Any = None) -> dict[int, int]:
    """Cases per step (a scope over everything keeps them a while: core.aggregates)."""
    grouped = qs.order_by().values_list("stage").annotate(n=Count("id"))
    return aggregates.kept(user, aggregates.sql_of(grouped), lambda: dict(grouped))


def running_notices(user: User, today: date) -> QuerySet[Notice]:
    return (
        Notice.objects.visible_to(user)
        .filter(starts_on__lte=today, ends_on__gte=today)
        .select_related("case__person", "case__organisation")
        .annotate(
            open_objections=Count("objections", filter=Q(objections__resolved_on__isnull=True))
        )
        .order_by("ends_on", "id")
    )


def recent_notices(user: User, today: date, days: int = 60) -> QuerySet[Notice]:
    return (
        Notice.objects.visible_to(user)
        .filter(ends_on__gte=today - timedelta(days=days))
        .select_related("case__person", "case__organisation")
        .annotate(
            objection_count=Count("objections"),
            open_objections=Count("objections", filter=Q(objections__resolved_on__isnull=True)),
        )
        .order_by("-starts_on", "-id")
    )


def probations_ending(user: User, today: date, days: int = PROBATION_WINDOW_DAYS) -> QuerySet[Case]:
    return with_list_relations(
        Case.objects.visible_to(user).filter(
            status__in=PROBATION_STATUSES, probation_ends_on__lte=today + timedelta(days=days)
        )
    ).order_by("probation_ends_on", "id")


def conversions_due(
    user: User, today: date, days: int = CONVERSION_WINDOW_DAYS, limit: int | None = None
) -> list[Case]:
    """Probationary members whose written application is due within `days` (or overdue) and
    not yet made: the deadline is one month before the probation ends. The deadline grows with
    the probation's end, so the first `limit` rows by end hold the first `limit` due."""
    p = params()
    # deadline ≤ today + days  ⇔  probation end ≤ today + days + lead months (approximately;
    # filtered exactly below on the handful of rows).
    bound = rules.add_months(today + timedelta(days=days), p.conversion_lead_months)
    rows = with_list_relations(
        Case.objects.visible_to(user).filter(
            status__in=PROBATION_STATUSES,
            conversion_applied_on__isnull=True,
            probation_ends_on__lte=bound,
        )
    ).order_by("probation_ends_on", "id")
    if limit is not None:
        rows = rows[:limit]
    result = []
    for case in rows:
        assert case.probation_ends_on is not None  # filtered on it above
        deadline = rules.conversion_deadline(case.probation_ends_on, p.conversion_lead_months)
        case.conversion_deadline = deadline  # type: ignore[attr-defined]  # for the board
        if deadline <= today + timedelta(days=days):
            result.append(case)
    return result


# --- the dossier ---------------------------------------------------------------------------


def dossier_queryset(user: User) -> QuerySet[Case]:
    objections = Prefetch("objections", queryset=Objection.objects.order_by("received_on", "id"))
    return (
        Case.objects.visible_to(user)
        .select_related("person__primary_org", "organisation", "talker")
        .prefetch_related(
            "cultivators",
            "sponsors",
            Prefetch("events", queryset=CaseEvent.objects.select_related("recorded_by")),
            Prefetch(
                "notices",
                queryset=Notice.objects.prefetch_related(objections).order_by(  # type: ignore[arg-type]
                    "starts_on", "id"
                ),  # django-stubs: a Prefetch inside a Prefetch's queryset
            ),
            Prefetch("votes", queryset=Vote.objects.order_by("held_on", "id")),
            "probation_reports",
        )
    )


@dataclass
class NextStep:
    verb: str
    label: str
    above: bool = False  # the general branch's own step
    purpose: str = ""
    missing: list[str] = field(default_factory=list)


def _latest(notices: list[Notice], purpose: str, since: date | None = None) -> Notice | None:
    rows = [n for n in notices if n.purpose == purpose and (since is None or n.starts_on >= since)]
    return rows[-1] if rows else None


def next_step(case: Case, today: date) -> NextStep | None:
    """The next action of the pipeline and what it still lacks today (in Chinese), from the
    same rules the services apply. Uses the prefetched notices and votes."""
    if case.status not in OPEN:
        return None
    p = params()
    notices = list(case.notices.all())
    stage = case.stage
    if stage == Stage.APPLICATION:
        return NextStep("activist", "确定为入党积极分子")
    if stage == Stage.ACTIVIST:
        missing = (
            []
            if case.exam_passed_on
            else ["党校考试合格（党校登记合格成绩后自动填入，或在下方填写考试合格日期）"]
        )
        return NextStep("candidate", "确定为培养考察对象", missing=missing)
    if stage == Stage.CANDIDATE:
        notice = _latest(notices, NoticePurpose.CANDIDATE)
        if notice is None:
            return NextStep(
                "notice",
                "培养考察对象公示",
                purpose=NoticePurpose.CANDIDATE,
                missing=["名单报党总支审议后向全体师生进行公示" + rules.cite(3)],
            )
        return NextStep(
            "cultivate",
            "指定培养人，开始培养考察",
            missing=rules.notice_errors(
                notice_facts(notice), today, NoticePurpose.CANDIDATE.label, 4
            ),
        )
    if stage == Stage.CULTIVATION:
        missing = []
        error = rules.cultivation_error(case.cultivation_starts_on, today, p.cultivation_years)
        if error:
            missing.append(error)
        notice = _latest(notices, NoticePurpose.TARGET)
        if notice is None:
            missing.append("支委会集体讨论评议、党总支审议后进行发展对象公示" + rules.cite(5))
            return NextStep("notice", "发展对象公示", purpose=NoticePurpose.TARGET, missing=missing)
        missing += rules.notice_errors(notice_facts(notice), today, NoticePurpose.TARGET.label, 5)
        return NextStep("target", "确定为发展对象", missing=missing)
    if stage == Stage.TARGET:
        return NextStep("vote", "支部大会讨论接收预备党员", purpose=VotePurpose.ADMISSION)
    if stage == Stage.ADMISSION:
        return NextStep("talk", "党总支指派专人谈话", above=True)
    if stage == Stage.TALK:
        return NextStep("approve", "党总支委员会审批", above=True)
    ends = case.probation_ends_on
    assert ends is not None  # set by the general branch's approval
    if case.conversion_applied_on is None:
        deadline = rules.conversion_deadline(ends, p.conversion_lead_months)
        return NextStep(
            "apply_conversion",
            "提出书面转正申请",
            missing=[
                f"应于{deadline:%Y-%m-%d}前（预备期满前一个月）提出书面转正申请{rules.cite(10)}"
            ],
        )
    if case.conversion_opinions_on is None:
        return NextStep("opinions", "征求党内外师生意见")
    if case.conversion_committee_on is None:
        return NextStep("committee", "支委会讨论评议转正")
    if case.conversion_reviewed_on is None:
        return NextStep("review", "党总支审查转正", above=True)
    notice = _latest(notices, NoticePurpose.CONVERSION, case.conversion_reviewed_on)
    if notice is None:
        return NextStep("notice", "预备党员转正公示", purpose=NoticePurpose.CONVERSION)
    passed = [
        v
        for v in case.votes.all()
        if v.purpose == VotePurpose.CONVERSION
        and v.passed
        and v.held_on >= case.conversion_reviewed_on
    ]
    if not passed:
        return NextStep(
            "vote",
            "支部大会讨论转正",
            purpose=VotePurpose.CONVERSION,
            missing=rules.notice_errors(
                notice_facts(notice), today, NoticePurpose.CONVERSION.label, 10
            ),
        )
    error = rules.conversion_approval_error(ends, today)
    return NextStep(
        "approve_conversion", "党总支审批转正", above=True, missing=[error] if error else []
    )


def timeline(case: Case, today: date) -> list[dict]:
    """The ten steps with their dates, state (done/current/pending), events and documents."""
    definitions = {d.stage: d for d in StageDefinition.objects.all()}
    events: dict[int, list] = {}
    for event in case.events.all():
        events.setdefault(event.stage, []).append(event)
    is_open = case.status in OPEN
    rows = []
    for stage in Stage:
        definition = definitions.get(stage)
        if case.status == CaseStatus.CONVERTED:
            state = "done"
        elif case.stage == Stage.PROBATION and stage == Stage.PROBATION:
            state = "current" if is_open else "pending"
        elif stage <= case.stage:
            state = "done"
        elif stage == case.stage + 1 and is_open:
            state = "current"
        else:
            state = "pending"
        documents = definition.documents if definition else ""
        rows.append(
            {
                "number": int(stage),
                "name": definition.name if definition else stage.label,
                "description": definition.description if definition else "",
                "documents": [d.strip() for d in documents.splitlines() if d.strip()],
                "state": state,
                "on": getattr(case, STEP_DATES[stage]),
                "events": events.get(stage, []),
            }
        )
    return rows


def reports(case: Case, as_of: date) -> tuple[list, list]:
    """The reporting periods of the probation and those missing as of `as_of`."""
    if case.admitted_on is None or case.probation_ends_on is None:
        return [], []
    p = params()
    schedule = rules.report_schedule(
        case.admitted_on,
        case.probation_ends_on,
        [(r.kind, r.submitted_on) for r in case.probation_reports.all()],
        p.sponsor_report_months,
        p.branch_report_months,
    )
    return schedule, rules.missing_reports(schedule, as_of)
