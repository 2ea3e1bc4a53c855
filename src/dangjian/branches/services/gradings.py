"""Writes of grading years and gradings (《组织建设年实施方案》附件1 二(二)、(五); 附件4): the
department opens a year, branches fill in their surveys, the level above decides the grade or sends
it back."""

from datetime import date
from decimal import Decimal
from typing import Any, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django_fsm import can_proceed

from dangjian.branches import events, rules
from dangjian.branches.models import (
    CRITERION_SNAPSHOT,
    Audience,
    BranchGrading,
    Criterion,
    GradingScore,
    GradingStandard,
    GradingState,
    GradingYear,
    Round,
    ancestor_paths,
)
from dangjian.branches.selectors import default_dates, standard_for, survey_facts
from dangjian.branches.services._common import (
    GRADING_FIELDS,
    NO_STANDARD,
    NOT_A_BRANCH,
    SURVEY_FIELDS,
    YEAR_FIELDS,
    SurveyFacts,
    TimelineDates,
    _full_clean,
    _today,
)
from dangjian.core import access, audit
from dangjian.core import rules as core_rules
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import BranchCategory, Organisation, OrgKind


def _check_year(grading_year: GradingYear) -> None:
    error = rules.timeline_error(grading_year.dates(), grading_year.year)
    if error:
        raise ValidationError({error[0]: error[1]})
    _full_clean(grading_year)


@transaction.atomic
def grading_year_create(
    *,
    actor: User,
    organisation: Organisation,
    year: int,
    theme: str = "",
    **dates: Unpack[TimelineDates],
) -> GradingYear:
    """The department opens a year of grading for an organisation (usually the committee),
    with the seed's dates unless others are given."""
    access.require(actor, "branches.set_up")
    access.require(actor, "branches.act_for", organisation)
    if organisation.kind not in (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH):
        raise ValidationError({"organisation": "年度分类定级应以党委或党总支为单位建立。"})
    error = rules.year_error(year)
    if error:
        raise ValidationError({"year": error})
    if GradingYear.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError({"year": f"{organisation.name}{year}年度分类定级已经建立。"})
    overlapping = (
        GradingYear.objects.filter(year=year)
        .filter(
            Q(organisation__path__in=ancestor_paths((organisation.path,)))
            | Q(organisation__path__startswith=organisation.path)
        )
        .select_related("organisation")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "organisation": f"{overlapping.organisation.name}{year}年度分类定级已经建立，"
                f"其中已包括{organisation.name}的党支部：每个党支部每年只参加一次分类定级。"
            }
        )
    values = default_dates(year)
    given: dict[str, Any] = dict(dates)
    values.update({k: v for k, v in given.items() if k in rules.TIMELINE_KEYS and v})
    grading_year = GradingYear(
        organisation=organisation, year=year, theme=theme or "基层组织建设年", **values
    )
    _check_year(grading_year)
    grading_year.save()
    audit.created(actor=actor, obj=grading_year, fields=YEAR_FIELDS)
    return grading_year


@transaction.atomic
def grading_year_update(
    *,
    actor: User,
    grading_year: GradingYear,
    theme: str | None = None,
    **dates: Unpack[TimelineDates],
) -> GradingYear:
    access.require(actor, "branches.set_up")
    grading_year = GradingYear.objects.select_for_update(of=("self",)).get(pk=grading_year.pk)
    access.require(actor, "branches.edit_year", grading_year)
    fields: dict[str, Any] = {"theme": theme, **dates}
    allowed = {k: v for k, v in fields.items() if k in ("theme", *rules.TIMELINE_KEYS) and v}
    audit.audited_update(
        actor=actor, obj=grading_year, fields=allowed, audit_fields=YEAR_FIELDS, clean=_check_year
    )
    return grading_year


def _check_branch(grading_year: GradingYear, branch: Organisation) -> None:
    if branch.kind != OrgKind.BRANCH:
        raise ValidationError({"branch": NOT_A_BRANCH})
    if branch.dissolved_on is not None:
        raise ValidationError({"branch": "该党支部已撤销。"})
    if not branch.path.startswith(grading_year.organisation.path):
        raise ValidationError({"branch": f"该党支部不属于{grading_year.organisation.name}。"})


def _check_round(grading_year: GradingYear, branch: Organisation, round: str, today: date) -> None:
    if round not in rules.ROUND_LABELS:
        raise ValidationError({"round": "轮次应为初次定级或复评定级。"})
    if round == Round.REGRADE:
        initial_graded = BranchGrading.objects.filter(
            grading_year=grading_year,
            branch=branch,
            round=Round.INITIAL,
            state=GradingState.GRADED,
        ).exists()
        error = rules.regrade_error(today, grading_year.regrading_from, initial_graded)
        if error:
            raise ValidationError({"round": error})


def _new_grading(
    grading_year: GradingYear, branch: Organisation, round: str, standard: GradingStandard
) -> BranchGrading:
    facts = survey_facts(branch)
    return BranchGrading(
        grading_year=grading_year, branch=branch, round=round, standard=standard, **facts
    )


def _score_rows(gradings: list[BranchGrading]) -> list[GradingScore]:
    """An empty score per criterion of each grading's standard, with its copy of the
    criterion."""
    criteria: dict[int, list[Criterion]] = {}
    for standard_id in {g.standard_id for g in gradings}:
        criteria[standard_id] = list(Criterion.objects.filter(standard_id=standard_id))
    return [GradingScore.of(c, grading=g) for g in gradings for c in criteria[g.standard_id]]


def _follow_criteria(grading: BranchGrading) -> list[GradingScore]:
    """A draft's score rows brought to its standard as it stands: the copies of the criteria
    refreshed, a row added for a criterion it lacks. Returns the rows, in the form's order."""
    rows = list(grading.scores.select_related("criterion"))
    changed = [row for row in rows if row.follow(row.criterion)]
    if changed:
        GradingScore.objects.bulk_update(changed, list(CRITERION_SNAPSHOT))
    have = {row.criterion_id for row in rows}
    missing = [
        GradingScore.of(c, grading=grading)
        for c in Criterion.objects.filter(standard_id=grading.standard_id).exclude(pk__in=have)
    ]
    if missing:
        GradingScore.objects.bulk_create(missing)
        rows += missing
    rows.sort(key=lambda row: (row.order, row.criterion_id))
    return rows


@transaction.atomic
def grading_create(
    *, actor: User, grading_year: GradingYear, branch: Organisation, round: str = Round.INITIAL
) -> BranchGrading:
    """Start the survey of a branch (调查摸底): the facts from the organisation's data, one empty
    score per criterion of the standard for the branch's category."""
    access.require(actor, "branches.act_for", branch)
    _check_branch(grading_year, branch)
    _check_round(grading_year, branch, round, _today())
    if BranchGrading.objects.filter(grading_year=grading_year, branch=branch, round=round).exists():
        raise ValidationError(
            {"round": f"{branch.name}{grading_year.year}年{rules.ROUND_LABELS[round]}已经建立。"}
        )
    standard = standard_for(branch.category)
    if standard is None:
        raise ValidationError({"branch": NO_STANDARD})
    grading = _new_grading(grading_year, branch, round, standard)
    _full_clean(grading)
    try:
        with transaction.atomic():
            grading.save()
    except IntegrityError as exc:
        raise ValidationError({"round": "该支部本轮调查摸底已经建立。"}) from exc
    GradingScore.objects.bulk_create(_score_rows([grading]))
    audit.created(actor=actor, obj=grading, fields=GRADING_FIELDS)
    return grading


@transaction.atomic
def grading_start_all(*, actor: User, grading_year: GradingYear, round: str = Round.INITIAL) -> int:
    """The level above starts the survey of every branch below it that has none in this round;
    returns how many were started. Branches that may not be regraded yet are skipped."""
    access.require(actor, "branches.start_surveys")
    today = _today()
    if round == Round.REGRADE and today < grading_year.regrading_from:
        raise ValidationError(
            {"round": rules.regrade_error(today, grading_year.regrading_from, True)}
        )
    branches = (
        Organisation.objects.visible_to(actor)
        .restrict(actor, "branches.lead")
        .filter(
            path__startswith=grading_year.organisation.path,
            kind=OrgKind.BRANCH,
            dissolved_on__isnull=True,
        )
    )
    done = set(
        BranchGrading.objects.filter(grading_year=grading_year, round=round).values_list(
            "branch_id", flat=True
        )
    )
    if round == Round.REGRADE:
        initial = set(
            BranchGrading.objects.filter(
                grading_year=grading_year, round=Round.INITIAL, state=GradingState.GRADED
            ).values_list("branch_id", flat=True)
        )
        branches = [b for b in branches if b.pk in initial]
    standards = {
        audience: GradingStandard.objects.filter(applies_to=audience, is_active=True).first()
        for audience in Audience.values
    }
    new = []
    for branch in branches:
        if branch.pk in done:
            continue
        audience = Audience.STUDENT if branch.category == BranchCategory.STUDENT else Audience.STAFF
        standard = standards[audience]
        if standard is None:
            raise ValidationError({"round": NO_STANDARD})
        new.append(_new_grading(grading_year, branch, round, standard))
    BranchGrading.objects.bulk_create(new, batch_size=500)
    GradingScore.objects.bulk_create(_score_rows(new), batch_size=1000)
    if new:
        audit.record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=grading_year,
            note=f"建立{len(new)}个党支部的{rules.ROUND_LABELS[round]}调查摸底表",
        )
    return len(new)


def _lock_grading(grading: BranchGrading) -> BranchGrading:
    return (
        BranchGrading.objects.select_for_update(of=("self",))
        .select_related("branch", "grading_year", "standard")
        .get(pk=grading.pk)
    )


def _recompute(grading: BranchGrading) -> tuple[int, Decimal]:
    """Total and suggested grade from the stored scores; returns (unscored, total)."""
    scores = list(grading.scores.values_list("score", flat=True))
    unscored = sum(1 for s in scores if s is None)
    grading.total = rules.total_score(scores)
    grading.suggested_grade = (
        rules.suggested_grade(grading.total, grading.standard.bands) if not unscored else ""
    )
    return unscored, grading.total


def _grading_snapshot(grading: BranchGrading) -> dict:
    return audit.snapshot(grading, GRADING_FIELDS)


@transaction.atomic
def grading_survey_save(
    *,
    actor: User,
    grading: BranchGrading,
    scores: list[dict[str, Any]] | None = None,
    **fields: Unpack[SurveyFacts],
) -> BranchGrading:
    """The branch (or the level above) fills in the survey: each criterion's score (0..points)
    and finding, the facts, the problems, the self-grade and the masses' opinion."""
    grading = _lock_grading(grading)
    access.require(actor, "branches.fill_survey", grading)
    if grading.state != GradingState.DRAFT:
        raise ValidationError(
            {"state": "已定级的调查摸底表不能修改；如需更正，请上级党组织退回重新定级。"}
        )
    before = _grading_snapshot(grading)
    changed_scores = []
    if scores:
        rows = {s.criterion_id: s for s in _follow_criteria(grading)}
        for entry in scores:
            criterion = entry.get("criterion")
            criterion_id = getattr(criterion, "pk", criterion)
            row = rows.get(criterion_id) if criterion_id is not None else None
            if row is None:
                raise ValidationError({"scores": "评分项目不属于该支部适用的评分参考标准。"})
            score = entry.get("score")
            if score is not None:
                score = Decimal(str(score))
                error = rules.score_error(score, row.points)
                if error:
                    raise ValidationError({"scores": f"“{row.name}”{error}"})
            row.score = score
            if "finding" in entry:
                row.finding = entry.get("finding") or ""
            changed_scores.append(row)
        GradingScore.objects.bulk_update(changed_scores, ["score", "finding"])
    for name, value in fields.items():
        if name in SURVEY_FIELDS:
            if value is None and name not in ("activity_room_area",):
                value = "" if name != "members_count" else 0
            setattr(grading, name, value)
    _recompute(grading)
    _full_clean(grading)
    grading.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=grading,
        before=before,
        after=_grading_snapshot(grading),
        note=(f"评分{len(changed_scores)}项" if changed_scores else ""),
    )
    return grading


@transaction.atomic
def grading_decide(
    *,
    actor: User,
    grading: BranchGrading,
    grade: str,
    reason: str = "",
    graded_on: date | None = None,
) -> BranchGrading:
    """The level above decides the grade (先进/较好/一般/后进); a grade other than the one the
    bands suggest needs a reason. A decision taken at a meeting and entered later carries that
    day (`graded_on`), which decides whether it was late."""
    grading = _lock_grading(grading)
    access.require(actor, "branches.fill_survey", grading)
    access.require(actor, "branches.decide_grading", grading)
    if not can_proceed(grading.decide):
        raise ValidationError({"state": "该支部本轮已经定级。"})
    # the grade is decided on the standard as it stands: the copies kept from here on are it
    for row in _follow_criteria(grading):
        error = rules.score_error(row.score, row.points) if row.score is not None else None
        if error:
            raise ValidationError({"grade": f"“{row.name}”{error}请先修改该评分。"})
    unscored, _total = _recompute(grading)
    error = rules.unscored_error(unscored)
    if error:
        raise ValidationError({"grade": error})
    error = rules.decision_error(grade, grading.suggested_grade, reason or "")
    if error:
        raise ValidationError({"grade" if grade not in rules.GRADES else "reason": error})
    graded_on = graded_on or _today()
    year = grading.grading_year
    error = core_rules.recorded_on_error(
        graded_on,
        _today(),
        label="定级日期",
        earliest=year.regrading_from if grading.round == Round.REGRADE else date(year.year, 1, 1),
        earliest_label="复评定级开始日期" if grading.round == Round.REGRADE else "本年度开始",
    )
    if error:
        raise ValidationError({"graded_on": error})
    before = _grading_snapshot(grading)
    grading.grade = grade
    grading.decision_reason = (reason or "").strip()
    grading.graded_by = actor if getattr(actor, "is_authenticated", False) else None
    grading.graded_on = graded_on
    grading.graded_standard_name = grading.standard.name
    grading.graded_bands = [list(band) for band in grading.standard.bands]
    grading.decide()
    _full_clean(grading)
    grading.save()
    late = rules.grading_late(
        grading.graded_on,
        grading.grading_year.grading_due
        if grading.round == Round.INITIAL
        else grading.grading_year.regrading_to,
        grading.graded_on,
    )
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=grading,
        event=events.GRADING_DECIDED,
        before=before,
        after=_grading_snapshot(grading),
        note="逾期定级" if late else "",
    )
    return grading


@transaction.atomic
def grading_reopen(*, actor: User, grading: BranchGrading, reason: str) -> BranchGrading:
    """The level above sends a graded survey back to be corrected (the grade is cleared)."""
    grading = _lock_grading(grading)
    access.require(actor, "branches.fill_survey", grading)
    access.require(actor, "branches.decide_grading", grading)
    if not can_proceed(grading.reopen):
        raise ValidationError({"state": "该支部本轮尚未定级。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请说明退回的理由。"})
    before = _grading_snapshot(grading)
    grading.reopen()
    grading.grade = ""
    grading.graded_by = None
    grading.graded_on = None
    grading.graded_standard_name = ""
    grading.graded_bands = None
    # a draft again: it follows the standard as it stands now
    _follow_criteria(grading)
    _recompute(grading)
    grading.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=grading,
        event=events.GRADING_REOPENED,
        before=before,
        after=_grading_snapshot(grading),
        note=reason.strip()[:300],
    )
    return grading
