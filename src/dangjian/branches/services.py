"""Every write of the branches app: atomic, validated by branches.rules, audited.

Who may do what is declared in branches/permissions.py; each write asks core.access first.
A refused right raises PermissionDenied naming the rule; a broken rule raises ValidationError.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django_fsm import can_proceed

from dangjian.branches import rules
from dangjian.branches.models import (
    CRITERION_SNAPSHOT,
    Audience,
    BranchGrading,
    Criterion,
    GradingScore,
    GradingStandard,
    GradingState,
    GradingYear,
    ItemState,
    PlanSource,
    PlanState,
    RectificationItem,
    RectificationPlan,
    Round,
    ancestor_paths,
)
from dangjian.core import access, audit
from dangjian.core import rules as core_rules
from dangjian.core.models import AuditEvent
from dangjian.org.models import (
    BranchCategory,
    Organisation,
    OrgKind,
    PartyStatus,
    Person,
    Position,
)
from dangjian.org.rules import OFFICER_TITLES, POSITION_ORDER

YEAR_FIELDS = ["organisation", "year", "theme", *rules.TIMELINE_KEYS]
STANDARD_FIELDS = ["name", "applies_to", "bands", "is_active", "note"]
SURVEY_FIELDS = [
    "members_count",
    "committee_complete",
    "committee_note",
    "activity_room_area",
    "annual_assessment",
    "problems",
    "self_grade",
    "masses_opinion",
]
GRADING_FIELDS = [
    "grading_year",
    "branch",
    "round",
    "standard",
    *SURVEY_FIELDS,
    "total",
    "suggested_grade",
    "grade",
    "decision_reason",
    "graded_by",
    "graded_on",
    "state",
]
PLAN_FIELDS = [
    "branch",
    "year",
    "grading",
    "source",
    "reason",
    "goals",
    "discussed_on",
    "meeting",
    "discussion_note",
    "state",
    "submitted_on",
    "completed_on",
]
PLAN_EDITABLE = ["reason", "goals"]
ITEM_FIELDS = [
    "order",
    "problem",
    "measures",
    "responsible",
    "deadline",
    "long_term",
    "state",
    "done_on",
    "result",
    "verified_by",
    "verified_on",
    "verify_note",
]
ITEM_EDITABLE = ["order", "problem", "measures", "responsible", "deadline", "long_term"]

NOT_A_BRANCH = "分类定级和整改以党支部为单位（种子文件003 附件1 二(二)）。"
NO_STANDARD = "没有适用于该支部类别的启用中的评分参考标准，请联系党委组织部。"


# --- settings -----------------------------------------------------------------------------


def timeline_overrides() -> dict:
    return dict(settings.BRANCHES_TIMELINE or {})


def default_dates(year: int) -> dict[str, date]:
    """The year's dates of seed 003 附件1 二, with the institution's BRANCHES_TIMELINE."""
    return rules.timeline_dates(year, timeline_overrides())


def committee_threshold() -> int:
    return int(settings.BRANCHES_COMMITTEE_THRESHOLD)


def _today() -> date:
    return timezone.localdate()


def _full_clean(obj, exclude=None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def grading_year_for(branch: Organisation, year: int) -> GradingYear | None:
    """The grading year that covers a branch: the nearest organisation above it with one."""
    return (
        GradingYear.objects.filter(year=year, organisation__path__in=ancestor_paths((branch.path,)))
        .order_by("-organisation__depth")
        .first()
    )


def dates_for(branch: Organisation, year: int) -> dict[str, date]:
    grading_year = grading_year_for(branch, year)
    return grading_year.dates() if grading_year is not None else default_dates(year)


# --- standards (seed 003 附件2、3) -----------------------------------------------------------


def standard_for(category: str) -> GradingStandard | None:
    """Student branches use the student standard; staff, organ and retiree branches the staff
    one."""
    audience = Audience.STUDENT if category == BranchCategory.STUDENT else Audience.STAFF
    return GradingStandard.objects.filter(applies_to=audience, is_active=True).first()


def _criteria_rows(standard: GradingStandard, criteria: list[dict]) -> tuple[list, list, list]:
    """(to_update, to_create, to_delete) from a full list of criteria dicts (id for existing)."""
    existing = {c.pk: c for c in standard.criteria.all()}
    keep, update, create = set(), [], []
    for index, row in enumerate(criteria, start=1):
        pk = row.get("id")
        if pk:
            criterion = existing.get(pk)
            if criterion is None:
                raise ValidationError({"criteria": f"评分项目{pk}不属于该标准。"})
            keep.add(pk)
        else:
            criterion = Criterion(standard=standard)
        for name in ("group", "name", "guidance", "points"):
            if name in row:
                setattr(criterion, name, row[name])
        criterion.order = row.get("order") or index
        try:
            _full_clean(criterion, exclude=["standard"])
        except ValidationError as exc:
            raise ValidationError(
                {"criteria": [f"第{index}项：{m}" for m in exc.messages]}
            ) from exc
        (update if pk else create).append(criterion)
    delete = [c for pk, c in existing.items() if pk not in keep]
    return update, create, delete


@transaction.atomic
def standard_update(
    *,
    actor,
    standard: GradingStandard,
    name: str | None = None,
    bands=None,
    is_active: bool | None = None,
    note: str | None = None,
    criteria: list[dict] | None = None,
) -> GradingStandard:
    """The department edits a standard: its bands, and (when given) the whole list of criteria,
    whose points must add up to 100. A criterion already scored cannot be removed."""
    access.require(actor, "branches.set_up")
    standard = GradingStandard.objects.select_for_update().get(pk=standard.pk)
    before = audit.snapshot(standard, STANDARD_FIELDS)
    if bands is not None:
        error = rules.bands_error(bands)
        if error:
            raise ValidationError({"bands": error})
        standard.bands = [
            [float(t) if t % 1 else int(t), label] for t, label in rules.parse_bands(bands)
        ]
    if name is not None:
        standard.name = name
    if note is not None:
        standard.note = note
    if is_active is not None:
        if is_active and not standard.is_active:
            clash = GradingStandard.objects.filter(
                applies_to=standard.applies_to, is_active=True
            ).exclude(pk=standard.pk)
            if clash.exists():
                raise ValidationError(
                    {"is_active": "同一类支部只能启用一个评分参考标准，请先停用另一个。"}
                )
        standard.is_active = is_active
    _full_clean(standard)
    standard.save()
    note_text = ""
    if criteria is not None:
        update, create, delete = _criteria_rows(standard, criteria)
        error = rules.points_total_error(Decimal(str(c.points)) for c in [*update, *create])
        if error:
            raise ValidationError({"criteria": error})
        used = {c.pk for c in delete if c.scores.exists()}
        if used:
            raise ValidationError(
                {"criteria": "已用于调查摸底评分的评分项目不能删除，可修改其名称、要点和分值。"}
            )
        for criterion in delete:
            criterion.delete()
        for criterion in [*update, *create]:
            criterion.save()
        too_high = (
            GradingScore.objects.filter(
                criterion__standard=standard,
                grading__state=GradingState.DRAFT,
                score__gt=F("criterion__points"),
            )
            .select_related("criterion", "grading__branch")
            .first()
        )
        if too_high is not None:
            raise ValidationError(
                {
                    "criteria": f"{too_high.grading.branch.name}正在调查摸底，"
                    f"“{too_high.criterion.name}”已评{too_high.score}分，"
                    f"高于新分值{too_high.criterion.points}分：请先修改该评分。"
                }
            )
        note_text = "；".join(f"{c.order}.{c.name}（{c.points}分）" for c in [*update, *create])
    if bands is not None or criteria is not None:
        _follow_standard(
            standard, create if criteria is not None else [], criteria_changed=criteria is not None
        )
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=standard,
        before=before,
        after=audit.snapshot(standard, STANDARD_FIELDS),
        note=note_text[:1000],
    )
    return standard


def _follow_standard(
    standard: GradingStandard, new_criteria: list[Criterion], *, criteria_changed: bool = True
) -> None:
    """The surveys still in progress under an edited standard follow it: their copies of the
    criteria (name, group, guidance, points, order) again, an empty score for each new
    criterion, the total and the suggested grade again under the new bands. Decided gradings
    keep what they were graded on: their copies and their bands are not touched."""
    drafts = BranchGrading.objects.filter(standard=standard, state=GradingState.DRAFT)
    if criteria_changed:
        live = Criterion.objects.filter(pk=OuterRef("criterion_id"))
        GradingScore.objects.filter(grading__in=drafts).update(
            **{name: Subquery(live.values(name)[:1]) for name in CRITERION_SNAPSHOT}
        )
    if new_criteria:
        GradingScore.objects.bulk_create(
            [
                GradingScore.of(criterion, grading_id=pk)
                for pk in drafts.values_list("pk", flat=True)
                for criterion in new_criteria
            ],
            batch_size=1000,
        )
    rows = list(
        drafts.annotate(
            unscored=Count("scores", filter=Q(scores__score__isnull=True)),
            scored=Sum("scores__score"),
        ).only("pk", "total", "suggested_grade")
    )
    for grading in rows:
        grading.total = grading.scored or Decimal(0)
        grading.suggested_grade = (
            "" if grading.unscored else rules.suggested_grade(grading.total, standard.bands)
        )
    BranchGrading.objects.bulk_update(rows, ["total", "suggested_grade"], batch_size=500)


# --- grading years --------------------------------------------------------------------------


def _check_year(grading_year: GradingYear) -> None:
    error = rules.timeline_error(grading_year.dates(), grading_year.year)
    if error:
        raise ValidationError({error[0]: error[1]})
    _full_clean(grading_year)


@transaction.atomic
def grading_year_create(
    *, actor, organisation: Organisation, year: int, theme: str = "", **dates
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
    values.update({k: v for k, v in dates.items() if k in rules.TIMELINE_KEYS and v})
    grading_year = GradingYear(
        organisation=organisation, year=year, theme=theme or "基层组织建设年", **values
    )
    _check_year(grading_year)
    grading_year.save()
    audit.created(actor=actor, obj=grading_year, fields=YEAR_FIELDS)
    return grading_year


@transaction.atomic
def grading_year_update(*, actor, grading_year: GradingYear, **fields) -> GradingYear:
    access.require(actor, "branches.set_up")
    grading_year = GradingYear.objects.select_for_update(of=("self",)).get(pk=grading_year.pk)
    access.require(actor, "branches.edit_year", grading_year)
    allowed = {k: v for k, v in fields.items() if k in ("theme", *rules.TIMELINE_KEYS) and v}
    return audit.audited_update(
        actor=actor, obj=grading_year, fields=allowed, audit_fields=YEAR_FIELDS, clean=_check_year
    )


# --- gradings (seed 003 附件1 二(二)、(五); 附件4) ------------------------------------------------


def survey_facts(branch: Organisation) -> dict:
    """What the organisation's data already says: members, committee, activity room. The
    committee rule counts full members only (正式党员7人以上设立支部委员会)."""
    counts = (
        Person.objects.members()
        .filter(is_active=True)
        .under_path(branch.path)
        .aggregate(members=Count("pk"), full=Count("pk", filter=Q(party_status=PartyStatus.FULL)))
    )
    members = counts["members"]
    positions = list(
        Position.objects.current()
        .filter(organisation=branch, title__in=OFFICER_TITLES)
        .select_related("person")
        .order_by("id")
    )
    positions.sort(key=lambda p: POSITION_ORDER.index(p.title))
    titles = {p.title for p in positions}
    return {
        "members_count": members,
        "committee_complete": rules.committee_complete(
            counts["full"], titles, committee_threshold()
        ),
        "committee_note": "、".join(f"{p.get_title_display()}{p.person.name}" for p in positions)[
            :200
        ],
        "activity_room_area": branch.activity_room_area,
        "annual_assessment": _last_assessment(branch),
        "masses_opinion": _last_satisfaction(branch),
    }


# 年度考核情况 is the assessment app's result; that app sits above this one (it opens
# rectification plans here), so it registers its reader when it is ready.
_annual_assessment_readers: list[Callable[[Organisation], str]] = []


def set_annual_assessment_reader(reader: Callable[[Organisation], str]) -> None:
    _annual_assessment_readers[:] = [reader]


def _last_assessment(branch: Organisation) -> str:
    return "".join(reader(branch) for reader in _annual_assessment_readers)


def _last_satisfaction(branch: Organisation) -> str:
    """群众评议情况 from the latest satisfaction survey of the branch that reached its minimum."""
    from dangjian.surveys import selectors as surveys
    from dangjian.surveys.models import Survey, SurveyKind

    candidates = list(
        Survey.objects.filter(organisation=branch, kind=SurveyKind.BRANCH_SATISFACTION).order_by(
            "-opens_on", "-id"
        )[:3]
    )
    for survey, found in ((s, surveys.result(s)) for s in candidates):
        if found.visible and found.satisfaction_rate is not None:
            return (
                f"{survey.title}：回收{found.responses}份，"
                f"满意度{found.satisfaction_rate:.1f}%（满意与基本满意所占比例）。"
            )
    return ""


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


def _new_grading(grading_year, branch, round, standard) -> BranchGrading:
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
    *, actor, grading_year: GradingYear, branch: Organisation, round: str = Round.INITIAL
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
def grading_start_all(*, actor, grading_year: GradingYear, round: str = Round.INITIAL) -> int:
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
        if standards[audience] is None:
            raise ValidationError({"round": NO_STANDARD})
        new.append(_new_grading(grading_year, branch, round, standards[audience]))
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
    *, actor, grading: BranchGrading, scores: list[dict] | None = None, **fields
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
            row = rows.get(criterion_id)
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
    actor,
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
        before=before,
        after=_grading_snapshot(grading),
        note="逾期定级" if late else "",
    )
    return grading


@transaction.atomic
def grading_reopen(*, actor, grading: BranchGrading, reason: str) -> BranchGrading:
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
        before=before,
        after=_grading_snapshot(grading),
        note=f"退回：{reason.strip()}"[:300],
    )
    return grading


# --- rectification plans (seed 003 附件1 二(四)) -----------------------------------------------


def _lock_plan(plan: RectificationPlan) -> RectificationPlan:
    return (
        RectificationPlan.objects.select_for_update(of=("self",))
        .select_related("branch")
        .get(pk=plan.pk)
    )


def _plan_grading(branch: Organisation, year: int) -> BranchGrading | None:
    """The grading that prompts a plan: the branch's latest graded grading of the year."""
    return (
        BranchGrading.objects.filter(
            branch=branch, grading_year__year=year, state=GradingState.GRADED
        )
        .order_by("-round", "-graded_on")  # "regrade" > "initial"
        .first()
    )


@transaction.atomic
def rectification_plan_create(
    *,
    actor,
    branch: Organisation,
    year: int,
    source: str = PlanSource.GRADING,
    grading: BranchGrading | None = None,
    goals: str = "",
    reason: str = "",
) -> RectificationPlan:
    """A branch drafts its 整改提高方案 for the year."""
    access.require(actor, "branches.act_for", branch)
    if branch.kind != OrgKind.BRANCH:
        raise ValidationError({"branch": NOT_A_BRANCH})
    if source not in PlanSource.values:
        raise ValidationError({"source": "整改来源无效。"})
    if grading is not None and (
        grading.branch_id != branch.pk or grading.grading_year.year != year
    ):
        raise ValidationError({"grading": "所选分类定级不是该支部本年度的定级。"})
    if grading is None and source == PlanSource.GRADING:
        grading = _plan_grading(branch, year)
    if (
        source != PlanSource.OTHER
        and RectificationPlan.objects.filter(branch=branch, year=year, source=source).exists()
    ):
        raise ValidationError(
            {"source": f"{branch.name}{year}年已有{PlanSource(source).label}整改提高方案。"}
        )
    if not reason and grading is not None and grading.grade:
        reason = (
            f"{grading.grading_year.year}年{grading.get_round_display()}"
            f"为{grading.get_grade_display()}"
        )
    plan = RectificationPlan(
        branch=branch, year=year, source=source, grading=grading, goals=goals, reason=reason
    )
    _full_clean(plan)
    plan.save()
    audit.created(actor=actor, obj=plan, fields=PLAN_FIELDS)
    return plan


@transaction.atomic
def rectification_plan_open(
    *,
    actor,
    branch: Organisation,
    year: int,
    source: str,
    reason: str,
    grading: BranchGrading | None = None,
) -> RectificationPlan:
    """For other apps (the assessment of seed 004: 考核不合格的基层党组织，及时整顿，限期整改):
    open — or return the existing — plan of a branch for the year and source."""
    existing = (
        RectificationPlan.objects.filter(branch=branch, year=year, source=source)
        .exclude(source=PlanSource.OTHER)
        .first()
    )
    if existing is not None:
        access.require(actor, "branches.act_for", branch)
        if existing.state == PlanState.DONE:
            existing = _lock_plan(existing)
            before = audit.snapshot(existing, PLAN_FIELDS)
            existing.resume()
            existing.completed_on = None
            existing.save()
            audit.record(
                actor=actor,
                action=AuditEvent.Action.STATUS,
                obj=existing,
                before=before,
                after=audit.snapshot(existing, PLAN_FIELDS),
                note=f"重新整改：{reason}"[:300],
            )
        return existing
    return rectification_plan_create(
        actor=actor, branch=branch, year=year, source=source, grading=grading, reason=reason
    )


@transaction.atomic
def rectification_plan_withdraw(
    *, actor, branch: Organisation, year: int, source: str, reason: str
) -> bool:
    """The other side of `rectification_plan_open`: when the cause goes away (an appeal lifts a
    不合格 result), a plan the branch has not started — still a draft without items — is
    withdrawn. A plan with work in it stays: the branch finishes or edits it. True if withdrawn."""
    plan = (
        RectificationPlan.objects.filter(
            branch=branch, year=year, source=source, state=PlanState.DRAFT
        )
        .exclude(source=PlanSource.OTHER)
        .first()
    )
    if plan is None or plan.items.exists():
        return False
    access.require(actor, "branches.act_for", branch)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=plan,
        before=audit.snapshot(plan, PLAN_FIELDS),
        note=f"撤销整改提高方案：{reason}"[:300],
    )
    plan.delete()
    return True


@transaction.atomic
def rectification_plan_update(*, actor, plan: RectificationPlan, **fields) -> RectificationPlan:
    plan = _lock_plan(plan)
    access.require(actor, "branches.edit_plan", plan)
    if plan.state == PlanState.DONE:
        raise ValidationError({"state": "整改提高方案已完成，不能修改。"})
    allowed = {k: (v or "") for k, v in fields.items() if k in PLAN_EDITABLE}
    return audit.audited_update(
        actor=actor, obj=plan, fields=allowed, audit_fields=PLAN_FIELDS, clean=_full_clean
    )


@transaction.atomic
def rectification_plan_discuss(
    *,
    actor,
    plan: RectificationPlan,
    meeting=None,
    discussed_on: date | None = None,
    note: str = "",
) -> RectificationPlan:
    """召开党员大会进行讨论: record the branch general meeting that discussed the plan."""
    plan = _lock_plan(plan)
    access.require(actor, "branches.edit_plan", plan)
    if not can_proceed(plan.discuss):
        raise ValidationError(
            {"state": f"整改提高方案当前为“{plan.get_state_display()}”，不能再登记讨论。"}
        )
    error = rules.plan_discuss_error(plan.goals, plan.items.count())
    if error:
        raise ValidationError({error[0]: error[1]})
    if meeting is not None:
        if meeting.organisation_id != plan.branch_id or meeting.kind != "general":
            raise ValidationError({"meeting": rules.MEETING_NOT_GENERAL})
        discussed_on = discussed_on or meeting.held_on
    if discussed_on is None:
        raise ValidationError(
            {"discussed_on": "请选择讨论整改提高方案的党员大会，或填写讨论日期。"}
        )
    error = rules.day_in_plan_error(discussed_on, plan.year, _today())
    if error:
        raise ValidationError({"meeting" if meeting is not None else "discussed_on": error})
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.discuss()
    plan.meeting = meeting
    plan.discussed_on = discussed_on
    plan.discussion_note = note or ""
    _full_clean(plan)
    plan.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=plan,
        before=before,
        after=audit.snapshot(plan, PLAN_FIELDS),
    )
    return plan


@transaction.atomic
def rectification_plan_submit(*, actor, plan: RectificationPlan) -> RectificationPlan:
    """Submit the plan to the level above, after the general meeting discussed it."""
    plan = _lock_plan(plan)
    access.require(actor, "branches.edit_plan", plan)
    error = rules.plan_submit_error(plan.state)
    if error:
        raise ValidationError({"state": error})
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.submit()
    plan.submitted_on = _today()
    plan.save()
    due = dates_for(plan.branch, plan.year)["rectification_plans_due"]
    late = rules.plan_late(plan.submitted_on, due, plan.submitted_on)
    _sync_plan(plan, actor)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=plan,
        before=before,
        after=audit.snapshot(plan, PLAN_FIELDS),
        note=f"逾期提交（应于{due.isoformat()}前完成）" if late else "",
    )
    return plan


def _sync_plan(plan: RectificationPlan, actor) -> None:
    """A submitted plan is done when every item is done or long-term; back when one reopens."""
    items = list(plan.items.values_list("state", "long_term"))
    complete = rules.plan_complete((s == ItemState.DONE, lt) for s, lt in items)
    if plan.state == PlanState.SUBMITTED and complete:
        before = audit.snapshot(plan, PLAN_FIELDS)
        plan.complete()
        plan.completed_on = _today()
        plan.save()
        audit.record(
            actor=actor,
            action=AuditEvent.Action.STATUS,
            obj=plan,
            before=before,
            after=audit.snapshot(plan, PLAN_FIELDS),
            note="整改事项全部完成（长期性项目除外）",
        )
    elif plan.state == PlanState.DONE and not complete:
        before = audit.snapshot(plan, PLAN_FIELDS)
        plan.resume()
        plan.completed_on = None
        plan.save()
        audit.record(
            actor=actor,
            action=AuditEvent.Action.STATUS,
            obj=plan,
            before=before,
            after=audit.snapshot(plan, PLAN_FIELDS),
        )


# --- rectification items --------------------------------------------------------------------


def _check_item(item: RectificationItem, plan: RectificationPlan) -> None:
    if item.responsible_id is not None:
        responsible = Person.objects.select_related("primary_org").get(pk=item.responsible_id)
        org = responsible.primary_org
        if not responsible.is_active or org is None or not org.path.startswith(plan.branch.path):
            raise ValidationError({"responsible": "责任人应为本支部在册人员。"})
    if item.deadline is not None:
        items_due = dates_for(plan.branch, plan.year)["items_due"]
        error = rules.item_deadline_error(item.deadline, items_due, item.long_term)
        if error:
            raise ValidationError({"deadline": error})
    _full_clean(item)


def _lock_item(item: RectificationItem) -> RectificationItem:
    return (
        RectificationItem.objects.select_for_update(of=("self",))
        .select_related("plan__branch", "responsible")
        .get(pk=item.pk)
    )


@transaction.atomic
def rectification_item_create(
    *,
    actor,
    plan: RectificationPlan,
    problem: str,
    measures: str,
    responsible: Person,
    deadline: date,
    long_term: bool = False,
    order: int | None = None,
) -> RectificationItem:
    """One item of the plan: the problem, the measures, who is responsible and by when."""
    plan = _lock_plan(plan)
    access.require(actor, "branches.edit_plan", plan)
    if plan.state == PlanState.DONE:
        raise ValidationError({"plan": "整改提高方案已完成，不能再增加整改事项。"})
    if order is None:
        order = plan.items.count() + 1
    item = RectificationItem(
        plan=plan,
        order=order,
        problem=problem,
        measures=measures,
        responsible=responsible,
        deadline=deadline,
        long_term=long_term,
    )
    _check_item(item, plan)
    item.save()
    audit.created(actor=actor, obj=item, fields=ITEM_FIELDS)
    return item


@transaction.atomic
def rectification_item_update(*, actor, item: RectificationItem, **fields) -> RectificationItem:
    item = _lock_item(item)
    access.require(actor, "branches.edit_item", item)
    if item.state != ItemState.OPEN:
        raise ValidationError({"state": "已完成的整改事项不能修改。"})
    allowed = {k: v for k, v in fields.items() if k in ITEM_EDITABLE and v is not None}
    return audit.audited_update(
        actor=actor,
        obj=item,
        fields=allowed,
        audit_fields=ITEM_FIELDS,
        clean=lambda obj: _check_item(obj, item.plan),
    )


@transaction.atomic
def rectification_item_delete(*, actor, item: RectificationItem) -> None:
    item = _lock_item(item)
    access.require(actor, "branches.edit_item", item)
    if item.state != ItemState.OPEN or item.plan.state not in (
        PlanState.DRAFT,
        PlanState.DISCUSSED,
    ):
        raise ValidationError({"state": "方案提交后或事项完成后不能删除整改事项。"})
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=item,
        before=audit.snapshot(item, ITEM_FIELDS),
    )
    item.delete()


@transaction.atomic
def rectification_item_done(
    *, actor, item: RectificationItem, result: str, done_on: date | None = None
) -> RectificationItem:
    """The branch — its officers or the responsible person — reports an item done."""
    item = _lock_item(item)
    access.require(actor, "branches.report_done", item)
    if not can_proceed(item.finish):
        raise ValidationError({"state": "该整改事项已报告完成。"})
    if not (result or "").strip():
        raise ValidationError({"result": "请写明整改成效。"})
    done_on = done_on or _today()
    error = rules.day_in_plan_error(done_on, item.plan.year, _today())
    if error:
        raise ValidationError({"done_on": error})
    before = audit.snapshot(item, ITEM_FIELDS)
    item.finish()
    item.done_on = done_on
    item.result = result.strip()
    item.verify_note = ""
    item.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=item,
        before=before,
        after=audit.snapshot(item, ITEM_FIELDS),
    )
    _sync_plan(_lock_plan(item.plan), actor)
    return item


@transaction.atomic
def rectification_item_verify(
    *,
    actor,
    item: RectificationItem,
    approve: bool = True,
    note: str = "",
    verified_on: date | None = None,
) -> RectificationItem:
    """The level above verifies an item reported done (销号), or sends it back to be finished.
    A check made on site and entered later carries its day (`verified_on`)."""
    item = _lock_item(item)
    access.require(actor, "branches.edit_item", item)
    access.require(actor, "branches.verify_item", item)
    if item.state != ItemState.DONE:
        raise ValidationError({"state": "只有已报告完成的整改事项可以销号或退回。"})
    if item.verified_on is not None and approve:
        raise ValidationError({"state": "该整改事项已经销号。"})
    before = audit.snapshot(item, ITEM_FIELDS)
    if approve:
        verified_on = verified_on or _today()
        error = core_rules.recorded_on_error(
            verified_on,
            _today(),
            label="销号日期",
            earliest=item.done_on,
            earliest_label="报告完成日期",
        )
        if error:
            raise ValidationError({"verified_on": error})
        item.verified_by = actor if getattr(actor, "is_authenticated", False) else None
        item.verified_on = verified_on
        item.verify_note = (note or "").strip()[:200]
    else:
        if not (note or "").strip():
            raise ValidationError({"note": "退回时请写明理由。"})
        item.reopen()
        item.done_on = None
        item.verified_by = None
        item.verified_on = None
        item.verify_note = note.strip()[:200]
    item.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=item,
        before=before,
        after=audit.snapshot(item, ITEM_FIELDS),
        note="销号" if approve else "退回",
    )
    _sync_plan(_lock_plan(item.plan), actor)
    return item
