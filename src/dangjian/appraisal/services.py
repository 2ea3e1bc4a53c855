"""Every write of member duty evaluation: atomic, validated by appraisal.rules, audited.

Rights: an officer creates, computes and publishes the cycles of their subtree; an officer of a
member's branch (or above) rates that member, never themselves; a member writes their own
self-report while the window is open and the cycle not computed; honours and rectification are
handled by the member's branch (or above), the member reporting their own rectification done.
A refused right raises PermissionDenied naming the rule; a broken rule raises ValidationError.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from dangjian.appraisal import rules, selectors
from dangjian.appraisal.models import (
    BranchRating,
    CycleState,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    HonourKind,
    MemberRectification,
    RectificationState,
    SelfReport,
)
from dangjian.core import access, audit
from dangjian.core.models import AuditEvent
from dangjian.org.models import Organisation, OrgKind, Person, orgs_under
from dangjian.orglife.models import Meeting, MeetingKind
from dangjian.posts.models import DutyRecord, Post
from dangjian.surveys import rules as survey_rules
from dangjian.surveys import services as survey_services
from dangjian.surveys.models import SurveyKind, SurveyState

CYCLE_FIELDS = [
    "organisation",
    "kind",
    "year",
    "period",
    "title",
    "population",
    "starts_on",
    "ends_on",
    "weight_self",
    "weight_masses",
    "weight_branch",
    "bands",
    "min_responses",
    "state",
    "published_on",
]
RESULT_FIELDS = [
    "self_score",
    "self_missing",
    "masses_score",
    "masses_responses",
    "branch_score",
    "raters",
    "final_score",
    "grade",
]
SELF_REPORT_FIELDS = ["cycle", "person", "report", "self_score", "duty_records"]
RATING_FIELDS = ["cycle", "ratee", "rater", "score", "comment"]
HONOUR_FIELDS = ["person", "kind", "year", "cycle", "organisation", "awarded_on", "note"]
RECTIFICATION_FIELDS = [
    "person",
    "organisation",
    "reason",
    "explain_meeting",
    "explained_on",
    "explanation",
    "measures",
    "deadline",
    "state",
    "done_on",
    "verified_by",
    "verified_on",
]

RATE_SELF = "不能为本人作综合评定。"
HONOUR_SELF = "不能为本人授予荣誉，请由上级党组织授予。"
NOT_EVALUATED = "您不在本次考评的考评对象中。"
CYCLE_ORG_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


# --- settings ------------------------------------------------------------------------------


def grade_bands() -> list[list[object]]:
    """APPRAISAL_GRADE_BANDS: [[90, "优秀"], [80, "称职"], [60, "基本称职"]] (seed 000 §五(二)5),
    below the last band → 不称职."""
    raw = settings.APPRAISAL_GRADE_BANDS
    return rules.normalise_bands(raw)


def default_weights() -> tuple[Decimal, Decimal, Decimal]:
    """APPRAISAL_DEFAULT_WEIGHTS (self, masses, branch): 20/30/50 — the seeds give none."""
    raw = settings.APPRAISAL_DEFAULT_WEIGHTS
    if isinstance(raw, dict):
        raw = (raw.get("self", 0), raw.get("masses", 0), raw.get("branch", 0))
    ws, wm, wb = (Decimal(str(w)) for w in raw)
    return ws, wm, wb


def rectify_days() -> int:
    return int(settings.APPRAISAL_RECTIFY_DAYS)


def masses_poor_below() -> Decimal:
    return Decimal(str(settings.APPRAISAL_MASSES_POOR_BELOW))


# --- rights --------------------------------------------------------------------------------


def actor_person(user) -> Person:
    """The acting user's person (a self-report, a rating, 我的考评), or 403 naming why."""
    access.require(user, "appraisal.take_part")
    person = Person.objects.select_related("primary_org").filter(pk=user.person_id).first()
    if person is None:
        raise PermissionDenied(access.refusal("appraisal.take_part"))
    return person


def _lock_cycle(cycle: EvaluationCycle) -> EvaluationCycle:
    return (
        EvaluationCycle.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=cycle.pk)
    )


def _full_clean(obj) -> None:
    """Field checks only: uniqueness is the services' (named) rule and the database's."""
    obj.full_clean(validate_unique=False, validate_constraints=False)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _local_date(moment) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _window_error(cycle: EvaluationCycle, today: date, what: str) -> str | None:
    if cycle.state != CycleState.OPEN:
        return f"考评{cycle.get_state_display()}，{what}不能再提交或修改。"
    if not rules.window_open(cycle.starts_on, cycle.ends_on, today):
        return (
            f"不在{what}期间（{cycle.starts_on:%Y-%m-%d}至{cycle.ends_on:%Y-%m-%d}），"
            "不能提交或修改。"
        )
    return None


# --- cycles --------------------------------------------------------------------------------


def population_of(organisation: Organisation, population: str, year: int):
    """The members a cycle evaluates: in the organisation's subtree, active, of the
    population (本年度在岗党员: holders of a post of that year fixed by 定岗 or later)."""
    qs = Person.objects.filter(
        is_active=True,
        primary_org__in=orgs_under((organisation.path,)),
        party_status__in=rules.population_statuses(population),
    )
    category = rules.population_category(population)
    if category:
        qs = qs.filter(category=category)
    if population == rules.POST_HOLDERS:
        qs = qs.filter(
            Exists(
                Post.objects.filter(
                    holder=OuterRef("pk"), year=year, state__in=rules.HELD_POST_STATES
                )
            )
        )
    return qs.select_related("primary_org").order_by("primary_org__path", "name", "id")


@transaction.atomic
def cycle_create(
    *,
    actor,
    organisation: Organisation,
    kind: str,
    year: int,
    period: int = 1,
    title: str = "",
    population: str = rules.ALL_MEMBERS,
    starts_on: date | None = None,
    ends_on: date | None = None,
    weight_self: Decimal | None = None,
    weight_masses: Decimal | None = None,
    weight_branch: Decimal | None = None,
    min_responses: int | None = None,
) -> EvaluationCycle:
    """A cycle over the organisation's subtree: one result per member of the population and,
    when the masses' opinion counts, one member-rating survey per branch."""
    access.require(actor, "appraisal.create_cycle", organisation)
    errors: dict[str, str] = {}
    if organisation.kind not in CYCLE_ORG_KINDS or organisation.dissolved_on is not None:
        errors["organisation"] = "考评由党委、党总支或党支部组织（不能是党小组或已撤销的组织）。"
    if kind not in rules.KINDS:
        errors["kind"] = "请选择考评类型。"
    if population not in rules.POPULATIONS:
        errors["population"] = "请选择考评对象。"
    if not 2000 <= year <= 2100:
        errors["year"] = "年度应为2000至2100之间的四位年份。"
    period = period or 1
    if "kind" not in errors and (error := rules.period_error(kind, period)):
        errors["period"] = error
    if errors:
        raise ValidationError(errors)
    if starts_on is None or ends_on is None:
        default_start, default_end = rules.default_window(kind, year, period)
        starts_on = starts_on or default_start
        ends_on = ends_on or default_end
    period_start, period_end = rules.period_dates(kind, year, period)
    if error := rules.window_error(starts_on, ends_on, period_start, period_end):
        errors["ends_on"] = error
    defaults = default_weights()
    weights = tuple(
        Decimal(str(w)) if w is not None else d
        for w, d in zip((weight_self, weight_masses, weight_branch), defaults, strict=True)
    )
    if error := rules.weights_error(*weights):
        errors["weight_branch"] = error
    bands = grade_bands()
    if error := rules.bands_error(bands):
        errors["bands"] = f"APPRAISAL_GRADE_BANDS 设置有误：{error}"
    if weights[1] > 0:
        if min_responses is None:
            min_responses = survey_services.default_min_responses()
        floor = survey_services.min_responses_floor()
        if error := survey_rules.min_responses_error(min_responses, floor=floor):
            errors["min_responses"] = error
    else:
        min_responses = None
    duplicate = EvaluationCycle.objects.filter(
        organisation=organisation, kind=kind, year=year, period=period
    )
    if duplicate.exists():
        errors["period"] = (
            f"{organisation.name}已组织{rules.period_label(kind, year, period)}的"
            f"{rules.KIND_LABELS[kind]}，不能重复创建。"
        )
    if errors:
        raise ValidationError(errors)
    people = list(population_of(organisation, population, year))
    if not people:
        raise ValidationError(
            {"population": "考评范围内没有符合条件的在册党员，请检查党组织和考评对象。"}
        )
    cycle = EvaluationCycle(
        organisation=organisation,
        kind=kind,
        year=year,
        period=period,
        title=(title or "").strip() or rules.default_title(kind, year, period),
        population=population,
        starts_on=starts_on,
        ends_on=ends_on,
        weight_self=weights[0],
        weight_masses=weights[1],
        weight_branch=weights[2],
        bands=bands,
        min_responses=min_responses,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _full_clean(cycle)
    cycle.save()
    EvaluationResult.objects.bulk_create(
        EvaluationResult(cycle=cycle, person=p, organisation_id=p.primary_org_id) for p in people
    )
    surveys = 0
    if cycle.has_survey:
        by_org: dict[int, list[Person]] = {}
        for p in people:
            by_org.setdefault(p.primary_org_id, []).append(p)
        for members in by_org.values():
            org = members[0].primary_org
            survey = survey_services.survey_create(
                actor=actor,
                organisation=org,
                kind=SurveyKind.MEMBER_RATING,
                title=f"{cycle.title}·{org.name}"[:120],
                opens_on=starts_on,
                closes_on=ends_on,
                min_responses=min_responses,
                subjects=members,
                instructions=(
                    "请根据党员履行岗位职责、兑现承诺和发挥先锋模范作用的情况，对每位党员作出"
                    "优秀、称职、基本称职或不称职的评价。测评不记名，只公布汇总结果。"
                ),
            )
            cycle.surveys.add(survey)
            surveys += 1
    audit.created(
        actor=actor,
        obj=cycle,
        fields=CYCLE_FIELDS,
        note=f"考评对象{len(people)}名，党员民意测评{surveys}份",
    )
    return cycle


def blockers(cycle: EvaluationCycle) -> list[str]:
    """What still prevents computing the cycle (shown beside the compute button)."""
    return selectors.gather(cycle).blockers


@transaction.atomic
def cycle_compute(*, actor, cycle: EvaluationCycle, today: date | None = None) -> EvaluationCycle:
    """Compute every result from the three sources and store the figures; refuse, naming every
    missing piece, when a rating or a survey's minimum is missing. Results graded 不称职 or
    poorly rated by the masses get a rectification item (seed 000 §五(二)5)."""
    today = _today(today)
    cycle = _lock_cycle(cycle)
    access.require(actor, "appraisal.manage_cycle", cycle)
    if cycle.state == CycleState.PUBLISHED:
        raise ValidationError({"state": "考评结果已公布，不能重新计算。"})
    gathered = selectors.gather(cycle)
    if gathered.blockers:
        raise ValidationError({NON_FIELD_ERRORS: gathered.blockers})
    now = timezone.now()
    if today != timezone.localdate(now):
        # dated by the caller (the demo, tests): that day, so that the stored moment, the
        # rectification deadlines and the dates checked against them agree
        now = timezone.make_aware(datetime.combine(today, timezone.localtime(now).time()))
    recompute = cycle.state == CycleState.COMPUTED
    bands = cycle.bands
    poor_below = masses_poor_below()
    changed = []
    for row in gathered.rows:
        result = row.result
        before = audit.snapshot(result, RESULT_FIELDS) if recompute else None
        result.self_score = row.self_score
        result.self_missing = row.self_missing
        result.masses_score = row.masses_score if cycle.has_survey else None
        result.masses_responses = row.masses_responses if cycle.has_survey else 0
        result.branch_score = row.branch_score
        result.raters = row.raters
        # The grade is decided on the exact total; the stored figure is that total cut to one
        # decimal, so a total a hair under a boundary is not lifted into the band above it.
        exact = rules.weighted_total(
            row.self_score, result.masses_score, row.branch_score, cycle.weights
        )
        result.final_score = rules.shown_total(exact)
        result.grade = rules.grade(exact, bands)
        result.note = rules.SELF_MISSING_LABEL if row.self_missing else ""
        result.computed_at = now
        if before is not None:
            after = audit.snapshot(result, RESULT_FIELDS)
            if after != before:
                changed.append((result, before, after))
    EvaluationResult.objects.bulk_update(
        [row.result for row in gathered.rows],
        [*RESULT_FIELDS, "note", "computed_at"],
        batch_size=500,
    )
    for result, before, after in changed:
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=result,
            before=before,
            after=after,
            note="重新计算",
        )
    created, dropped = _rectifications(actor, cycle, gathered.rows, today, poor_below)
    # The masses' opinion is frozen with the other two sources (self-reports and ratings end
    # with the open state): a ballot after the computation would make the survey's result
    # differ from the stored masses score.
    _close_surveys(actor, cycle)
    before = audit.snapshot(cycle, CYCLE_FIELDS)
    cycle.compute()
    cycle.computed_at = now
    cycle.save(update_fields=["state", "computed_at"])
    counts = rules.grade_counts([row.result.grade for row in gathered.rows], bands)
    summary = "，".join(f"{g}{n}名" for g, n in counts.items())
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=cycle,
        before=before,
        after=audit.snapshot(cycle, CYCLE_FIELDS),
        note=(
            f"{'重新' if recompute else ''}计算{len(gathered.rows)}名党员的考评结果：{summary}；"
            f"新增限期整改{created}项" + (f"，撤销{dropped}项" if dropped else "")
        ),
    )
    return cycle


def _rectifications(actor, cycle, rows, today: date, poor_below: Decimal) -> tuple[int, int]:
    existing = {
        r.result_id: r
        for r in MemberRectification.objects.filter(result__cycle=cycle).select_for_update(
            of=("self",)
        )
    }
    deadline = rules.rectify_deadline(today, rectify_days())
    created = []
    dropped = 0
    for row in rows:
        result = row.result
        needed = rules.needs_rectification(
            result.grade, result.masses_score, cycle.bands, poor_below
        )
        current = existing.get(result.pk)
        if needed and current is None:
            created.append(
                MemberRectification(
                    result=result,
                    person_id=result.person_id,
                    organisation_id=result.organisation_id,
                    reason=rules.rectification_reason(
                        result.grade, result.masses_score, cycle.bands, poor_below
                    )[:300],
                    deadline=deadline,
                )
            )
        elif not needed and current is not None and current.state == RectificationState.OPEN:
            # A recomputation cleared the member before they were asked to explain.
            audit.record(
                actor=actor,
                action=AuditEvent.Action.DELETE,
                obj=current,
                before=audit.snapshot(current, RECTIFICATION_FIELDS),
                note="重新计算后不再需要整改",
            )
            current.delete()
            dropped += 1
    rows_created = MemberRectification.objects.bulk_create(created)
    for item in rows_created:
        audit.created(actor=actor, obj=item, fields=RECTIFICATION_FIELDS, note=cycle.title)
    return len(rows_created), dropped


@transaction.atomic
def cycle_publish(*, actor, cycle: EvaluationCycle, today: date | None = None) -> EvaluationCycle:
    """已公布: results visible to the members and on the public board (seed 000 §五(二)5:
    考核结果要进行公布). The surveys were closed by the computation (closed again here for
    cycles computed before that rule)."""
    today = _today(today)
    cycle = _lock_cycle(cycle)
    access.require(actor, "appraisal.manage_cycle", cycle)
    if cycle.state == CycleState.OPEN:
        raise ValidationError({"state": "考评尚未计算，不能公布结果。请先计算考评结果。"})
    if cycle.state == CycleState.PUBLISHED:
        raise ValidationError({"state": "考评结果已经公布。"})
    before = audit.snapshot(cycle, CYCLE_FIELDS)
    cycle.publish()
    cycle.published_on = today
    cycle.save(update_fields=["state", "published_on"])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=cycle,
        before=before,
        after=audit.snapshot(cycle, CYCLE_FIELDS),
    )
    _close_surveys(actor, cycle)
    return cycle


def _close_surveys(actor, cycle: EvaluationCycle) -> None:
    for survey in cycle.surveys.filter(state=SurveyState.OPEN).select_related("organisation"):
        survey_services.survey_close(actor=actor, survey=survey)


# --- 评岗 from the year's evaluation ----------------------------------------------------------


@dataclass
class PostsEvaluated:
    evaluated: int = 0
    already: int = 0  # evaluated before, left as they are
    not_performing: int = 0  # not yet 履岗: the post has no duty record
    unmapped: int = 0  # the cycle's grade is not one of the post grades (custom bands)


@transaction.atomic
def cycle_evaluate_posts(
    *, actor, cycle: EvaluationCycle, today: date | None = None
) -> PostsEvaluated:
    """评岗 with the year's published result (seed 000 §五(二)5: 年终结合党员目标管理责任制的考核和
    民主评议党员工作进行考评): each post a member holds in 履岗 that year takes the member's grade,
    total and honours, so the evaluation is recorded once and shown on the post and its board."""
    from dangjian.posts import rules as post_rules
    from dangjian.posts import services as post_services
    from dangjian.posts.models import PostGrade, PostState

    today = _today(today)
    access.require(actor, "appraisal.manage_cycle", cycle)
    if not rules.evaluates_posts(cycle.kind):
        raise ValidationError(
            {"kind": "一季一评、半年初评是过程考评；年度评岗依据年终总评或民主评议党员的结果。"}
        )
    if cycle.state != CycleState.PUBLISHED:
        raise ValidationError({"state": "考评结果公布后才能用于评岗。"})
    results = {
        r.person_id: r for r in EvaluationResult.objects.filter(cycle=cycle).exclude(grade="")
    }
    honours: dict[int, list[str]] = {}
    for person_id, label in (
        Honour.objects.filter(person_id__in=results, year=cycle.year)
        .order_by("kind")
        .values_list("person_id", "kind")
    ):
        honours.setdefault(person_id, []).append(HonourKind(label).label)
    grades = {label: value for value, label in PostGrade.choices}
    outcome = PostsEvaluated()
    posts = Post.objects.filter(
        year=cycle.year,
        holder_id__in=results,
        organisation__in=orgs_under((cycle.organisation.path,)),
    ).order_by("id")
    for post in posts:
        if post.state == PostState.EVALUATED:
            outcome.already += 1
            continue
        if post.state != PostState.PERFORMING:
            outcome.not_performing += 1
            continue
        result = results[post.holder_id]
        grade = grades.get(result.grade)
        if grade is None:
            outcome.unmapped += 1
            continue
        score = result.final_score
        consistent = score is not None and post_rules.grade_for_score(score) == grade
        post_services.post_evaluate(
            actor=actor,
            post=post,
            evaluation=f"{cycle.title}：总分{score}分，{result.grade}。",
            grade=grade,
            score=score if consistent else None,
            reward="、".join(honours.get(post.holder_id, [])),
            evaluated_on=today,
        )
        outcome.evaluated += 1
    return outcome


# --- self-reports (述岗自评) -----------------------------------------------------------------


def posts_snapshot(person: Person, year: int) -> list[dict]:
    return [
        {"name": p.name, "organisation": p.organisation.name, "state": p.get_state_display()}
        for p in Post.objects.filter(holder=person, year=year)
        .select_related("organisation")
        .order_by("id")
    ]


@transaction.atomic
def self_report_submit(
    *,
    actor,
    cycle: EvaluationCycle,
    report: str,
    self_score: Decimal,
    person: Person | None = None,
    today: date | None = None,
) -> SelfReport:
    """The member's 述岗自评 (submitted or changed) while the window is open and the cycle is
    not computed; posts of the year and the duty records of the period are taken with it."""
    today = _today(today)
    me = actor_person(actor)
    if person is not None:
        access.require(actor, "appraisal.write_self_report", person)
    cycle = _lock_cycle(cycle)
    result = EvaluationResult.objects.filter(cycle=cycle, person=me).first()
    if result is None:
        raise PermissionDenied(NOT_EVALUATED)
    errors = {}
    if error := _window_error(cycle, today, "述岗自评"):
        raise ValidationError({"cycle": error})
    if self_score is None or (error := rules.score_error(self_score)):
        errors["self_score"] = error or "请填写自评分。"
    if not (report or "").strip():
        errors["report"] = "请填写述岗报告：履职情况、承诺兑现、存在不足。"
    if errors:
        raise ValidationError(errors)
    fields = {
        "report": report.strip(),
        "self_score": Decimal(str(self_score)),
        "posts": posts_snapshot(me, cycle.year),
        "duty_records": DutyRecord.objects.filter(
            person=me, occurred_on__range=(cycle.period_start, cycle.period_end)
        ).count(),
    }
    existing = SelfReport.objects.select_for_update().filter(cycle=cycle, person=me).first()
    if existing is not None:
        return audit.audited_update(
            actor=actor,
            obj=existing,
            fields=fields,
            audit_fields=SELF_REPORT_FIELDS,
            clean=_full_clean,
        )
    row = SelfReport(cycle=cycle, person=me, organisation_id=result.organisation_id, **fields)
    _full_clean(row)
    row.save()
    audit.created(actor=actor, obj=row, fields=SELF_REPORT_FIELDS)
    return row


# --- ratings (综合评定) ----------------------------------------------------------------------


def _rate(actor, rater: Person, cycle, result, score, comment: str) -> BranchRating:
    if result.person_id == rater.pk:
        raise PermissionDenied(RATE_SELF)
    access.require(actor, "appraisal.rate", result)
    if score is None or (error := rules.score_error(score)):
        raise ValidationError({"score": f"{result.person.name}：{error or '请填写评定分。'}"})
    score = Decimal(str(score))
    comment = (comment or "").strip()
    existing = BranchRating.objects.filter(
        cycle=cycle, ratee_id=result.person_id, rater=rater
    ).first()
    if existing is not None:
        if existing.score == score and existing.comment == comment:
            return existing
        return audit.audited_update(
            actor=actor,
            obj=existing,
            fields={"score": score, "comment": comment},
            audit_fields=RATING_FIELDS,
            clean=_full_clean,
        )
    row = BranchRating(
        cycle=cycle,
        ratee_id=result.person_id,
        rater=rater,
        organisation_id=result.organisation_id,
        score=score,
        comment=comment,
    )
    _full_clean(row)
    row.save()
    audit.created(actor=actor, obj=row, fields=RATING_FIELDS)
    return row


@transaction.atomic
def branch_rate(
    *,
    actor,
    cycle: EvaluationCycle,
    ratee: Person,
    score: Decimal,
    comment: str = "",
    today: date | None = None,
) -> BranchRating:
    """One officer's 综合评定 of one member (an officer of the member's branch or above)."""
    return ratings_save(actor=actor, cycle=cycle, ratings=[(ratee, score, comment)], today=today)[0]


@transaction.atomic
def ratings_save(
    *,
    actor,
    cycle: EvaluationCycle,
    ratings: Iterable[tuple[Person, Decimal | None, str]],
    today: date | None = None,
) -> list[BranchRating]:
    """Save a rating page at once: (ratee, score, comment) per member; rows without a score
    are skipped. All or nothing."""
    today = _today(today)
    rater = actor_person(actor)
    cycle = _lock_cycle(cycle)
    items = [(p, s, c) for p, s, c in ratings if s is not None]
    results = {
        r.person_id: r
        for r in EvaluationResult.objects.filter(
            cycle=cycle, person_id__in=[p.pk for p, _s, _c in items]
        ).select_related("organisation", "person")
    }
    for ratee, _s, _c in items:
        if ratee.pk == rater.pk:
            raise PermissionDenied(RATE_SELF)
        result = results.get(ratee.pk)
        if result is None:
            raise ValidationError({"ratee": f"{ratee.name}不是本次考评的考评对象。"})
        access.require(actor, "appraisal.rate", result)
    if error := _window_error(cycle, today, "综合评定"):
        raise ValidationError({"cycle": error})
    return [
        _rate(actor, rater, cycle, results[ratee.pk], score, comment)
        for ratee, score, comment in items
    ]


# --- honours --------------------------------------------------------------------------------


@transaction.atomic
def honour_award(
    *,
    actor,
    result: EvaluationResult,
    kind: str,
    awarded_on: date | None = None,
    note: str = "",
) -> Honour:
    """党员示范（先锋）岗 / 优秀共产党员 / 列为后备干部重点培养 — only for a member graded 优秀 in
    the cycle (seed 001 §三: 对作用发挥好、群众公认的党员可授予……荣誉称号)."""
    result = (
        EvaluationResult.objects.select_related("cycle", "organisation", "person")
        .filter(pk=result.pk)
        .get()
    )
    access.require(actor, "appraisal.award_honour", result)
    if result.person_id == getattr(actor, "person_id", None):
        raise PermissionDenied(HONOUR_SELF)
    cycle = result.cycle
    if kind not in HonourKind.values:
        raise ValidationError({"kind": "请选择荣誉称号。"})
    if cycle.state == CycleState.OPEN or not result.grade:
        raise ValidationError({"kind": "考评结果尚未计算，不能授予荣誉。"})
    poor_below = masses_poor_below()
    if not rules.may_receive_honour(result.grade, cycle.bands, result.masses_score, poor_below):
        raise ValidationError(
            {
                "kind": rules.honour_refused_message(
                    result.grade, cycle.bands, result.masses_score, poor_below
                )
            }
        )
    if Honour.objects.filter(person_id=result.person_id, kind=kind, year=cycle.year).exists():
        raise ValidationError(
            {"kind": f"{result.person.name}已获{cycle.year}年度“{HonourKind(kind).label}”。"}
        )
    today = _today(None)
    awarded_on = awarded_on or today
    if error := rules.after_computation_error(
        awarded_on, _local_date(cycle.computed_at), today, "授予日期"
    ):
        raise ValidationError({"awarded_on": error})
    honour = Honour(
        person_id=result.person_id,
        kind=kind,
        year=cycle.year,
        cycle=cycle,
        organisation_id=result.organisation_id,
        awarded_on=awarded_on,
        note=(note or "").strip(),
        awarded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _full_clean(honour)
    honour.save()
    audit.created(actor=actor, obj=honour, fields=HONOUR_FIELDS)
    return honour


@transaction.atomic
def honour_revoke(*, actor, honour: Honour, note: str = "") -> None:
    honour = (
        Honour.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=honour.pk)
    )
    access.require(actor, "appraisal.revoke_honour", honour)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=honour,
        before=audit.snapshot(honour, HONOUR_FIELDS),
        note=note or "撤销荣誉",
    )
    honour.delete()


# --- rectification (限期整改) ----------------------------------------------------------------


def _lock_rectification(item: MemberRectification) -> MemberRectification:
    return (
        MemberRectification.objects.select_for_update(of=("self",))
        .select_related("organisation", "person", "result__cycle")
        .get(pk=item.pk)
    )


def _step(actor, item: MemberRectification, name: str, fields: dict) -> MemberRectification:
    """Run the FSM transition `name` and set `fields`, recording before → after."""
    before = audit.snapshot(item, RECTIFICATION_FIELDS)
    getattr(item, name)()
    for key, value in fields.items():
        setattr(item, key, value)
    _full_clean(item)
    item.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=item,
        before=before,
        after=audit.snapshot(item, RECTIFICATION_FIELDS),
    )
    return item


@transaction.atomic
def rectification_explain(
    *,
    actor,
    rectification: MemberRectification,
    meeting: Meeting | None = None,
    explained_on: date | None = None,
    explanation: str = "",
    today: date | None = None,
) -> MemberRectification:
    """The member explained at the branch general meeting (要在支部大会上作出解释和说明)."""
    today = _today(today)
    item = _lock_rectification(rectification)
    access.require(actor, "appraisal.handle_rectification", item)
    computed_on = _local_date(item.result.cycle.computed_at)
    if item.state != RectificationState.OPEN:
        raise ValidationError({"state": "已作出解释和说明。"})
    if meeting is not None:
        if meeting.kind != MeetingKind.GENERAL or meeting.organisation_id != item.organisation_id:
            raise ValidationError(
                {"meeting": f"须为{item.organisation.name}的党员大会（支部大会）。"}
            )
        explained_on = meeting.held_on
    if explained_on is None:
        raise ValidationError({"explained_on": "请选择作出说明的党员大会，或填写说明日期。"})
    field = "meeting" if meeting is not None else "explained_on"
    what = "党员大会的日期" if meeting is not None else "说明日期"
    if error := rules.after_computation_error(explained_on, computed_on, today, what):
        raise ValidationError({field: error})
    return _step(
        actor,
        item,
        "explain",
        {
            "explain_meeting": meeting,
            "explained_on": explained_on,
            "explanation": (explanation or "").strip(),
        },
    )


@transaction.atomic
def rectification_complete(
    *,
    actor,
    rectification: MemberRectification,
    measures: str,
    done_on: date | None = None,
    today: date | None = None,
) -> MemberRectification:
    """整改完成: reported by the member or an officer of the branch, after the explanation."""
    today = _today(today)
    item = _lock_rectification(rectification)
    access.require(actor, "appraisal.report_rectification", item)
    if item.state == RectificationState.OPEN:
        raise ValidationError(
            {"state": "须先在党员大会上作出解释和说明，才能登记整改完成（种子文件000 §五(二)5）。"}
        )
    if item.state == RectificationState.DONE:
        raise ValidationError({"state": "已登记整改完成。"})
    if not (measures or "").strip():
        raise ValidationError({"measures": "请填写整改措施及完成情况。"})
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": "完成日期不能晚于今天。"})
    if item.explained_on and done_on < item.explained_on:
        raise ValidationError({"done_on": "完成日期不能早于说明日期。"})
    return _step(actor, item, "complete", {"measures": measures.strip(), "done_on": done_on})


@transaction.atomic
def rectification_verify(
    *,
    actor,
    rectification: MemberRectification,
    verified_on: date | None = None,
    today: date | None = None,
) -> MemberRectification:
    """The branch (or above) checks the rectification (支部要责令其限期整改)."""
    today = _today(today)
    item = _lock_rectification(rectification)
    access.require(actor, "appraisal.handle_rectification", item)
    if item.person_id == getattr(actor, "person_id", None):
        raise PermissionDenied("不能验收本人的整改。")
    if item.state != RectificationState.DONE:
        raise ValidationError({"state": "整改尚未完成，不能验收。"})
    if item.verified_on is not None:
        raise ValidationError({"state": "已验收。"})
    verified_on = verified_on or today
    if verified_on > today or (item.done_on and verified_on < item.done_on):
        raise ValidationError({"verified_on": "验收日期须在完成日期之后、今天之前。"})
    return audit.audited_update(
        actor=actor,
        obj=item,
        fields={"verified_by": actor, "verified_on": verified_on},
        audit_fields=RECTIFICATION_FIELDS,
        clean=_full_clean,
        action=AuditEvent.Action.STATUS,
    )
