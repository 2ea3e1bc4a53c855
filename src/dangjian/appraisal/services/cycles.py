"""Evaluation cycles: created over an organisation's subtree, computed from the three sources
(self-report, the masses' opinion, the branch's rating), published, used for 评岗."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.appraisal import events, rules, selectors
from dangjian.appraisal.models import (
    CycleState,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    HonourKind,
    MemberRectification,
    RectificationState,
)
from dangjian.appraisal.services.common import (
    CYCLE_FIELDS,
    CYCLE_ORG_KINDS,
    RECTIFICATION_FIELDS,
    RESULT_FIELDS,
    _full_clean,
    _lock_cycle,
    _today,
    _user,
)
from dangjian.core import access, audit
from dangjian.core.access import Actor
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Organisation, Person, orgs_under
from dangjian.posts import rules as post_rules
from dangjian.posts import services as post_services
from dangjian.posts.models import Post, PostGrade, PostState
from dangjian.surveys import rules as survey_rules
from dangjian.surveys import services as survey_services
from dangjian.surveys.models import SurveyKind, SurveyState


@transaction.atomic
def cycle_create(
    *,
    actor: User,
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
    defaults = selectors.default_weights()
    weights = tuple(
        Decimal(str(w)) if w is not None else d
        for w, d in zip((weight_self, weight_masses, weight_branch), defaults, strict=True)
    )
    if error := rules.weights_error(*weights):
        errors["weight_branch"] = error
    bands = selectors.grade_bands()
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
    people = list(selectors.population_of(organisation, population, year))
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
        created_by=_user(actor),
    )
    _full_clean(cycle)
    cycle.save()
    # The population is placed: every member has a primary organisation.
    homes = {p.pk: cast(Organisation, p.primary_org) for p in people}
    EvaluationResult.objects.bulk_create(
        EvaluationResult(cycle=cycle, person=p, organisation=homes[p.pk]) for p in people
    )
    surveys = 0
    if cycle.has_survey:
        by_org: dict[int, list[Person]] = {}
        for p in people:
            by_org.setdefault(homes[p.pk].pk, []).append(p)
        for members in by_org.values():
            org = homes[members[0].pk]
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


@transaction.atomic
def cycle_compute(
    *, actor: User, cycle: EvaluationCycle, today: date | None = None
) -> EvaluationCycle:
    """Compute every result from the three sources and store the figures; refuse, naming every
    missing piece, when a rating or a survey's minimum is missing. Results graded 不称职 or
    poorly rated by the masses get a rectification item (《168模式实施意见》§五(二)5)."""
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
    poor_below = selectors.masses_poor_below()
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
    audit.changed(
        actor=actor,
        obj=cycle,
        fields=CYCLE_FIELDS,
        before=before,
        event=events.CYCLE_COMPUTED,
        note=(
            f"{'重新' if recompute else ''}计算{len(gathered.rows)}名党员的考评结果：{summary}；"
            f"新增限期整改{created}项" + (f"，撤销{dropped}项" if dropped else "")
        ),
    )
    return cycle


def _rectifications(
    actor: Actor,
    cycle: EvaluationCycle,
    rows: list[selectors.Inputs],
    today: date,
    poor_below: Decimal,
) -> tuple[int, int]:
    existing = {
        r.result_id: r
        for r in MemberRectification.objects.filter(result__cycle=cycle).select_for_update(
            of=("self",)
        )
    }
    deadline = rules.rectify_deadline(today, selectors.rectify_days())
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
def cycle_publish(
    *, actor: User, cycle: EvaluationCycle, today: date | None = None
) -> EvaluationCycle:
    """已公布: results visible to the members and on the public board (《168模式实施意见》§五(二)5:
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
    audit.changed(
        actor=actor,
        obj=cycle,
        fields=CYCLE_FIELDS,
        before=before,
        event=events.CYCLE_PUBLISHED,
    )
    _close_surveys(actor, cycle)
    return cycle


def _close_surveys(actor: User, cycle: EvaluationCycle) -> None:
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
    *, actor: User, cycle: EvaluationCycle, today: date | None = None
) -> PostsEvaluated:
    """评岗 with the year's published result (《168模式实施意见》§五(二)5:
    年终结合党员目标管理责任制的考核和民主评议党员工作进行考评): each post a member holds in 履岗
    that year takes the member's grade, total and honours, so the evaluation is recorded once and
    shown on the post and its board."""
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
