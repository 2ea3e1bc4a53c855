"""Scoped reads of the branches app: the year's table of branches, grade distributions and
rectification progress per general branch, the annex forms' rows, items, a branch's history.

Every read starts from `visible_to(user)`; per-branch figures come from subqueries and grouped
counts, so a page costs the same few queries whatever the number of branches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    DecimalField,
    Field,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.utils import timezone

from dangjian.branches import rules
from dangjian.branches.models import (
    Audience,
    BranchGrading,
    Grade,
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
from dangjian.core.access import scope_for
from dangjian.core.models import User
from dangjian.core.params import parse_int
from dangjian.org.models import BranchCategory, Organisation, OrgKind, PartyStatus, Person, Position
from dangjian.org.rules import OFFICER_TITLES, POSITION_ORDER
from dangjian.surveys.models import Survey, SurveyKind
from dangjian.surveys.selectors import result as survey_result

DIRECT = "（党委直属党支部）"
UNGRADED = "ungraded"
ITEM_FILTERS = {
    rules.OPEN: "整改中（未逾期）",
    rules.OVERDUE: "逾期未完成",
    "unfinished": "全部未完成",
    rules.DONE: "已完成待销号",
    rules.VERIFIED: "已销号",
}


# --- grading years --------------------------------------------------------------------------


def leads_branches(user: User) -> bool:
    """The user is the level above some branch: the department, or an officer of a committee or
    general branch (who may start the surveys of the branches below them)."""
    scope = scope_for(user)
    if scope.everything:
        return True
    if not scope.org_paths:
        return False
    return Organisation.objects.filter(
        path__in=scope.org_paths, kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH]
    ).exists()


def years_for(user: User) -> QuerySet[GradingYear]:
    return GradingYear.objects.visible_to(user).select_related("organisation")


def branches_of_year(user: User, grading_year: GradingYear) -> QuerySet[Organisation]:
    """The active branches of the year's organisation that the user may see."""
    return Organisation.objects.visible_to(user).filter(
        path__startswith=grading_year.organisation.path,
        kind=OrgKind.BRANCH,
        dissolved_on__isnull=True,
    )


def group_length(grading_year: GradingYear) -> int:
    """Length of the path of the organisations one level below the year's (the general
    branches of a committee)."""
    return (grading_year.organisation.depth + 1) * Organisation.steplen


def general_branches(user: User, grading_year: GradingYear) -> list[Organisation]:
    """The general branches (and direct units) one level below the year's organisation."""
    return list(
        Organisation.objects.visible_to(user)
        .filter(
            path__startswith=grading_year.organisation.path,
            depth=grading_year.organisation.depth + 1,
            kind=OrgKind.GENERAL_BRANCH,
            dissolved_on__isnull=True,
        )
        .only("id", "name", "path")
    )


class Groups:
    """Labels of the level-below groups by path prefix: general branches by name; branches
    directly under the committee share one group."""

    def __init__(self, grading_year: GradingYear, prefixes: Iterable[str]) -> None:
        self.length = group_length(grading_year)
        self.year_org = grading_year.organisation
        rows = Organisation.objects.filter(path__in=set(prefixes)).values_list(
            "path", "name", "kind", "display_order"
        )
        self.orgs = {path: (name, kind, order) for path, name, kind, order in rows}

    def key(self, path: str) -> str:
        prefix = path[: self.length]
        info = self.orgs.get(prefix)
        if info is None or info[1] == OrgKind.BRANCH:
            if self.year_org.kind == OrgKind.GENERAL_BRANCH:
                return self.year_org.path
            return "direct"
        return prefix

    def label(self, key: str) -> str:
        if key == "direct":
            return DIRECT
        if key == self.year_org.path:
            return self.year_org.name
        return self.orgs.get(key, ("",))[0]

    def sort_key(self, key: str) -> tuple:
        if key == "direct":
            return (1, "", 0)
        return (0, key, 0)


def _round_subquery(
    grading_year: GradingYear, round: str, field: str, output: Field[Any, Any]
) -> Subquery:
    return Subquery(
        BranchGrading.objects.filter(branch=OuterRef("pk"), grading_year=grading_year, round=round)
        .order_by()
        .values(field)[:1],
        output_field=output,
    )


def _item_count(year: int, condition: Q | None = None) -> Coalesce:
    qs = RectificationItem.objects.filter(plan__branch=OuterRef("pk"), plan__year=year)
    if condition is not None:
        qs = qs.filter(condition)
    return Coalesce(
        Subquery(
            qs.order_by().values("plan__branch").annotate(c=Count("pk")).values("c"),
            output_field=IntegerField(),
        ),
        0,
    )


def with_year_figures(
    qs: QuerySet[Organisation], grading_year: GradingYear, today: date
) -> QuerySet[Organisation]:
    """Branches annotated with their initial and regrade gradings, their plan of the year
    (source 分类定级) and their items done / total / overdue."""
    plan = RectificationPlan.objects.filter(
        branch=OuterRef("pk"), year=grading_year.year, source=PlanSource.GRADING
    ).order_by()
    char: CharField[str, str] = CharField()
    return qs.annotate(
        initial_pk=_round_subquery(grading_year, Round.INITIAL, "pk", IntegerField()),
        initial_grade=_round_subquery(grading_year, Round.INITIAL, "grade", char),
        initial_state=_round_subquery(grading_year, Round.INITIAL, "state", char),
        initial_total=_round_subquery(
            grading_year, Round.INITIAL, "total", DecimalField(max_digits=5, decimal_places=1)
        ),
        regrade_pk=_round_subquery(grading_year, Round.REGRADE, "pk", IntegerField()),
        regrade_grade=_round_subquery(grading_year, Round.REGRADE, "grade", char),
        regrade_state=_round_subquery(grading_year, Round.REGRADE, "state", char),
        regrade_total=_round_subquery(
            grading_year, Round.REGRADE, "total", DecimalField(max_digits=5, decimal_places=1)
        ),
        plan_pk=Subquery(plan.values("pk")[:1], output_field=IntegerField()),
        plan_state=Subquery(plan.values("state")[:1], output_field=char),
        items_total=_item_count(grading_year.year),
        items_done=_item_count(grading_year.year, Q(state=ItemState.DONE)),
        items_overdue=_item_count(grading_year.year, Q(state=ItemState.OPEN, deadline__lt=today)),
    )


def year_filters(
    user: User, grading_year: GradingYear, params: Mapping[str, Any]
) -> tuple[QuerySet[Organisation], dict[str, Any], str]:
    """(branches qs annotated, filters dict, round) for the year page, its export and the API."""
    today = timezone.localdate()
    qs = branches_of_year(user, grading_year)
    filters: dict = {}
    gb = parse_int(params.get("gb"))
    if gb is not None:
        org = Organisation.objects.visible_to(user).filter(pk=gb).first()
        if org is None:
            raise Http404
        qs = qs.filter(path__startswith=org.path)
        filters["gb"] = gb
    round = params.get("round") or Round.INITIAL
    if round not in Round.values:
        round = Round.INITIAL
    if round != Round.INITIAL:
        filters["round"] = round
    qs = with_year_figures(qs, grading_year, today)
    grade = params.get("grade", "")
    field, state = (
        ("initial_grade", "initial_state")
        if round == Round.INITIAL
        else ("regrade_grade", "regrade_state")
    )
    if grade in Grade.values:
        qs = qs.filter(**{field: grade, state: GradingState.GRADED})
        filters["grade"] = grade
    elif grade == UNGRADED:
        # no grading yet (NULL) or a survey still in progress
        qs = qs.filter(Q(**{f"{state}__isnull": True}) | Q(**{state: GradingState.DRAFT}))
        filters["grade"] = grade
    return qs, filters, round


def decorate_branches(
    rows: Iterable[Organisation], grading_year: GradingYear, today: date | None = None
) -> list:
    """Labels, movement and lateness on the year table's rows (one query for group names)."""
    today = today or timezone.localdate()
    rows = list(rows)
    length = group_length(grading_year)
    groups = Groups(grading_year, {r.path[:length] for r in rows})
    labels = dict(Grade.choices)
    plan_labels = dict(PlanState.choices)
    for row in rows:
        row.group_label = groups.label(groups.key(row.path))
        initial = row.initial_grade if row.initial_state == GradingState.GRADED else ""
        regrade = row.regrade_grade if row.regrade_state == GradingState.GRADED else ""
        row.initial_code, row.regrade_code = initial, regrade
        row.initial_label = labels.get(initial, "")
        row.regrade_label = labels.get(regrade, "")
        row.movement = rules.movement(initial, regrade)
        row.movement_arrow = rules.MOVEMENT_ARROWS.get(row.movement or "", "")
        row.movement_label = rules.MOVEMENT_LABELS.get(row.movement or "", "")
        row.plan_label = plan_labels.get(row.plan_state or "", "")
        row.grading_late = not initial and today > grading_year.grading_due
        row.plan_late = (
            bool(initial)
            and row.plan_state not in (PlanState.SUBMITTED, PlanState.DONE)
            and today > grading_year.rectification_plans_due
        )
    return rows


def year_status(user: User, grading_year: GradingYear, today: date | None = None) -> dict:
    """What the timeline shows as done and late, for the branches the user sees."""
    today = today or timezone.localdate()
    branches = branches_of_year(user, grading_year)
    gradings = BranchGrading.objects.filter(grading_year=grading_year, branch__in=branches)
    graded = gradings.filter(state=GradingState.GRADED)
    figures = graded.aggregate(
        initial=Count("pk", filter=Q(round=Round.INITIAL)),
        initial_late=Count(
            "pk", filter=Q(round=Round.INITIAL, graded_on__gt=grading_year.grading_due)
        ),
        regrade=Count("pk", filter=Q(round=Round.REGRADE)),
    )
    plans = RectificationPlan.objects.filter(
        branch__in=branches, year=grading_year.year, source=PlanSource.GRADING
    ).aggregate(
        submitted=Count("pk", filter=Q(state__in=[PlanState.SUBMITTED, PlanState.DONE])),
    )
    items = RectificationItem.objects.filter(
        plan__branch__in=branches, plan__year=grading_year.year
    ).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(state=ItemState.DONE)),
        overdue=Count("pk", filter=Q(state=ItemState.OPEN, deadline__lt=today)),
        open_after_year=Count(
            "pk",
            filter=Q(state=ItemState.OPEN, long_term=False, deadline__lte=grading_year.items_due),
        ),
    )
    total = branches.count()
    missing_plans = figures["initial"] - plans["submitted"]
    dates = grading_year.dates()
    timeline = rules.phases(dates)
    start = date(grading_year.year, 1, 1)
    span = (date(grading_year.year, 12, 31) - start).days + 1
    phases = [
        {
            "phase": p,
            "status": p.status(today),
            "status_label": rules.PHASE_STATUS_LABELS[p.status(today)],
            "left": round((p.start - start).days / span * 100, 2),
            "width": max(round(((p.end - p.start).days + 1) / span * 100, 2), 1),
        }
        for p in timeline
    ]
    late_counts = {
        "grading_due": total - figures["initial"] if today > dates["grading_due"] else 0,
        "rectification_plans_due": (
            max(figures["initial"] - plans["submitted"], 0)
            if today > dates["rectification_plans_due"]
            else 0
        ),
        "regrading_to": figures["initial"] - figures["regrade"]
        if today > dates["regrading_to"]
        else 0,
        "items_due": items["open_after_year"] if today > dates["items_due"] else 0,
    }
    done_counts = {
        "grading_due": f"已定级 {figures['initial']}/{total}",
        "rectification_plans_due": f"已提交 {plans['submitted']}/{figures['initial']}",
        "regrading_to": f"已复评 {figures['regrade']}/{figures['initial']}",
        "items_due": f"已完成 {items['done']}/{items['total']}",
    }
    deadlines = [
        {
            "deadline": d,
            "days_left": (d.due - today).days,
            "passed": today > d.due,
            "late": late_counts.get(d.key, 0),
            "done": done_counts.get(d.key, ""),
        }
        for d in rules.deadlines(dates)
    ]
    in_year = grading_year.year == today.year
    return {
        "phases": phases,
        "current": [p.label for p in rules.phases_on(today, timeline)] if in_year else [],
        "today_left": round((today - start).days / span * 100, 2) if in_year else None,
        "deadlines": deadlines,
        "branches": total,
        "graded": figures["initial"],
        "graded_late": figures["initial_late"],
        "regraded": figures["regrade"],
        "plans_submitted": plans["submitted"],
        "plans_missing": max(missing_plans, 0),
        "items_total": items["total"],
        "items_done": items["done"],
        "items_overdue": items["overdue"],
        "months": list(range(1, 13)),
    }


# --- grade distribution and rectification progress per general branch (charts.py draws them)


def distribution(user: User, grading_year: GradingYear, round: str = Round.INITIAL) -> list[dict]:
    """Per general branch: the branches graded 先进/较好/一般/后进 in the round and those not yet
    graded (two grouped queries and one for the names)."""
    length = group_length(grading_year)
    branches = branches_of_year(user, grading_year)
    per_group = (
        branches.order_by()
        .annotate(g=Substr("path", 1, length))
        .values("g")
        .annotate(n=Count("pk"))
        .values_list("g", "n")
    )
    graded = (
        BranchGrading.objects.filter(
            grading_year=grading_year, round=round, state=GradingState.GRADED, branch__in=branches
        )
        .order_by()
        .annotate(g=Substr("branch__path", 1, length))
        .values("g", "grade")
        .annotate(n=Count("pk"))
        .values_list("g", "grade", "n")
    )
    counts_by_prefix = dict(per_group)
    graded_rows = list(graded)
    groups = Groups(grading_year, set(counts_by_prefix) | {g for g, _gr, _n in graded_rows})
    result: dict[str, dict] = {}

    def row(prefix: str) -> dict:
        key = groups.key(prefix)
        return result.setdefault(
            key,
            {
                "key": key,
                "label": groups.label(key),
                "branches": 0,
                **dict.fromkeys(rules.GRADES, 0),
            },
        )

    for prefix, n in counts_by_prefix.items():
        row(prefix)["branches"] += n
    for prefix, grade, n in graded_rows:
        row(prefix)[grade] += n
    rows = sorted(result.values(), key=lambda r: groups.sort_key(r["key"]))
    for r in rows:
        r["graded"] = sum(r[g] for g in rules.GRADES)
        r[UNGRADED] = max(r["branches"] - r["graded"], 0)
        r["counts"] = [r[g] for g in rules.GRADES]
    return rows


def distribution_totals(rows: list[dict]) -> dict:
    totals = {k: sum(r[k] for r in rows) for k in (*rules.GRADES, UNGRADED, "branches", "graded")}
    totals["counts"] = [totals[g] for g in rules.GRADES]
    return totals


def progress(user: User, grading_year: GradingYear, today: date | None = None) -> list[dict]:
    """Per general branch: rectification items done, open (not yet late) and overdue."""
    today = today or timezone.localdate()
    length = group_length(grading_year)
    branches = branches_of_year(user, grading_year)
    rows_db = list(
        RectificationItem.objects.filter(plan__branch__in=branches, plan__year=grading_year.year)
        .order_by()
        .annotate(g=Substr("plan__branch__path", 1, length))
        .values("g")
        .annotate(
            done=Count("pk", filter=Q(state=ItemState.DONE)),
            overdue=Count("pk", filter=Q(state=ItemState.OPEN, deadline__lt=today)),
            total=Count("pk"),
        )
        .values_list("g", "done", "overdue", "total")
    )
    groups = Groups(grading_year, {r[0] for r in rows_db})
    result: dict[str, dict] = {}
    for prefix, done, overdue, total in rows_db:
        key = groups.key(prefix)
        row = result.setdefault(
            key,
            {
                "key": key,
                "label": groups.label(key),
                "done": 0,
                "open": 0,
                "overdue": 0,
                "total": 0,
            },
        )
        row["done"] += done
        row["overdue"] += overdue
        row["open"] += total - done - overdue
        row["total"] += total
    rows = sorted(result.values(), key=lambda r: groups.sort_key(r["key"]))
    for r in rows:
        r["rate"] = round(r["done"] / r["total"] * 100) if r["total"] else 0
    return rows


# --- gradings -------------------------------------------------------------------------------


def with_grading_relations(qs: QuerySet[BranchGrading]) -> QuerySet[BranchGrading]:
    return qs.select_related("branch", "grading_year__organisation", "standard", "graded_by")


def scores_of(grading: BranchGrading) -> list:
    """The score rows with their copies of the criteria (name, group, guidance, points, order):
    what a decided grading was graded against, whatever the standard says today. A draft's
    copies follow the standard (services refresh them on every edit of it)."""
    return list(grading.scores.order_by("order", "criterion_id"))


def group_scores(scores: list) -> list[dict]:
    """Scores grouped as on the form: the seven survey points, then the 五个一."""
    groups: dict[str, dict] = {}
    for score in scores:
        group = groups.setdefault(
            score.group,
            {
                "key": score.group,
                "label": score.get_group_display(),
                "rows": [],
                "points": 0,
                "score": 0,
            },
        )
        group["rows"].append(score)
        group["points"] += score.points
        group["score"] += score.score or 0
    return list(groups.values())


def points_total(scores: list[GradingScore]) -> Decimal | int:
    """The full marks of the form: the points of its criteria (100 for a standard as kept)."""
    return sum((s.points for s in scores), 0)


def other_round(grading: BranchGrading) -> BranchGrading | None:
    other = Round.REGRADE if grading.round == Round.INITIAL else Round.INITIAL
    return BranchGrading.objects.filter(
        grading_year_id=grading.grading_year_id, branch_id=grading.branch_id, round=other
    ).first()


def branch_history(branch: Organisation) -> list:
    """Every grading of a branch across years and rounds, oldest first, with the movement
    from the previous decided grade (晋位升级 ↑, 保持 →, 降级 ↓)."""
    gradings = list(
        BranchGrading.objects.filter(branch=branch)
        .select_related("grading_year", "graded_by")
        .order_by("grading_year__year", "round", "pk")
    )
    previous = None
    for g in gradings:
        g.movement = rules.movement(previous, g.grade) if g.is_graded else None
        g.movement_arrow = rules.MOVEMENT_ARROWS.get(g.movement or "", "")
        g.movement_label = rules.MOVEMENT_LABELS.get(g.movement or "", "")
        if g.is_graded:
            previous = g.grade
    return gradings


# --- annex 5: 党支部分类定级汇总表 ------------------------------------------------------------


def summary_rows(
    user: User, grading_year: GradingYear, gb: Organisation | None = None
) -> list[dict]:
    """One row per branch of the year (or of one general branch), in the tree's order."""
    qs = branches_of_year(user, grading_year)
    if gb is not None:
        qs = qs.filter(path__startswith=gb.path)
    today = timezone.localdate()
    rows = decorate_branches(
        with_year_figures(qs.order_by("path"), grading_year, today), grading_year
    )
    members = dict(
        BranchGrading.objects.filter(grading_year=grading_year, branch__in=[r.pk for r in rows])
        .order_by("round")
        .values_list("branch_id", "members_count")
    )
    result = []
    for index, r in enumerate(rows, start=1):
        note = []
        if r.regrade_label and r.regrade_total is not None:
            note.append(f"复评得分{r.regrade_total}")
        if r.movement_label:
            note.append(r.movement_label)
        if not r.initial_label:
            note.append("未定级")
        result.append(
            {
                "index": index,
                "group": r.group_label,
                "branch": r.name,
                "category": r.get_category_display() if r.category else "",
                "members": members.get(r.pk, ""),
                "total": r.initial_total if r.initial_label else None,
                "initial": r.initial_label,
                "regrade": r.regrade_label,
                "note": "；".join(note),
                "grading_pk": r.initial_pk,
            }
        )
    return result


def grade_counts(rows: list[dict]) -> list[dict]:
    """Counts per grade for the foot of annex 5: initial and regrade."""
    return [
        {
            "label": label,
            "initial": sum(1 for r in rows if r["initial"] == label),
            "regrade": sum(1 for r in rows if r["regrade"] == label),
        }
        for label in rules.GRADE_LABELS.values()
    ]


# --- annex 6: 党支部整改汇总表 ---------------------------------------------------------------


def _completion(item: RectificationItem, today: date) -> str:
    status = item.status(today)
    if status in (rules.DONE, rules.VERIFIED):
        text = f"已完成（{item.done_on:%Y-%m-%d}）"
        if status == rules.VERIFIED:
            text += "，已销号"
        return f"{text}：{item.result}" if item.result else text
    if status == rules.OVERDUE:
        return "逾期未完成"
    return "长期性项目，整改中" if item.long_term else "整改中"


def rectification_rows(
    user: User, grading_year: GradingYear, gb: Organisation | None = None
) -> list[dict]:
    """One row per rectification item of the year's plans, in the tree's order."""
    today = timezone.localdate()
    branches = branches_of_year(user, grading_year)
    if gb is not None:
        branches = branches.filter(path__startswith=gb.path)
    items = list(
        RectificationItem.objects.filter(plan__branch__in=branches, plan__year=grading_year.year)
        .select_related("plan__branch", "plan__grading", "responsible")
        .order_by("plan__branch__path", "plan_id", "order", "pk")
    )
    length = group_length(grading_year)
    groups = Groups(grading_year, {i.plan.branch.path[:length] for i in items})
    initial = dict(
        BranchGrading.objects.filter(
            grading_year=grading_year,
            round=Round.INITIAL,
            state=GradingState.GRADED,
            branch__in=branches,
        ).values_list("branch_id", "grade")
    )
    labels = dict(Grade.choices)
    rows = []
    for index, item in enumerate(items, start=1):
        plan = item.plan
        grade = plan.grading.grade if plan.grading_id and plan.grading.grade else ""
        grade = grade or initial.get(plan.branch_id, "")
        grade_label = labels.get(grade, "")
        if plan.source != PlanSource.GRADING:
            grade_label = (
                f"{grade_label}（{plan.get_source_display()}）"
                if grade_label
                else plan.get_source_display()
            )
        rows.append(
            {
                "index": index,
                "group": groups.label(groups.key(plan.branch.path)),
                "branch": plan.branch.name,
                "grade": grade_label,
                "problem": item.problem,
                "measures": item.measures,
                "responsible": item.responsible.name,
                "deadline": "长期"
                if item.long_term and item.deadline > grading_year.items_due
                else item.deadline,
                "completion": _completion(item, today),
                "status": item.status(today),
                "plan_pk": plan.pk,
            }
        )
    return rows


# --- rectification items ----------------------------------------------------------------------


def with_item_relations(
    qs: QuerySet[RectificationItem],
) -> QuerySet[RectificationItem]:
    return qs.select_related("plan__branch", "responsible", "verified_by")


def status_q(status: str, today: date) -> Q:
    if status == rules.OPEN:
        return Q(state=ItemState.OPEN, deadline__gte=today)
    if status == rules.OVERDUE:
        return Q(state=ItemState.OPEN, deadline__lt=today)
    if status == "unfinished":
        return Q(state=ItemState.OPEN)
    if status == rules.DONE:
        return Q(state=ItemState.DONE, verified_on__isnull=True)
    if status == rules.VERIFIED:
        return Q(state=ItemState.DONE, verified_on__isnull=False)
    return Q()


def item_years(user: User) -> list[int]:
    return list(
        RectificationPlan.objects.visible_to(user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()[:10]
    )


def org_choices(user: User) -> list[Organisation]:
    """General branches and branches of the user's scope, for filter bars."""
    return list(
        Organisation.objects.visible_to(user)
        .active()
        .filter(kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH])
        .only("id", "name", "depth", "path", "kind")[:300]
    )


def plan_items(plan: RectificationPlan) -> list:
    return list(plan.items.select_related("responsible", "verified_by").order_by("order", "pk"))


def plans_of_branch(branch: Organisation) -> QuerySet[RectificationPlan]:
    return (
        RectificationPlan.objects.filter(branch=branch)
        .annotate(
            items_total=Count("items"),
            items_done=Count("items", filter=Q(items__state=ItemState.DONE)),
        )
        .order_by("-year", "id")
    )


def summary_api(user: User, grading_year: GradingYear, today: date | None = None) -> list[dict]:
    """Per general branch: grade counts of both rounds and item progress (for the API)."""
    initial = {r["key"]: r for r in distribution(user, grading_year, Round.INITIAL)}
    regrade = {r["key"]: r for r in distribution(user, grading_year, Round.REGRADE)}
    items = {r["key"]: r for r in progress(user, grading_year, today)}
    result = []
    for key, row in initial.items():
        again = regrade.get(key, {})
        work = items.get(key, {})
        result.append(
            {
                "general_branch": row["label"],
                "branches": row["branches"],
                "initial": {rules.GRADE_LABELS[g]: row[g] for g in rules.GRADES}
                | {"未定级": row[UNGRADED]},
                "regrade": {rules.GRADE_LABELS[g]: again.get(g, 0) for g in rules.GRADES}
                | {"未复评": again.get(UNGRADED, row["branches"])},
                "items_total": work.get("total", 0),
                "items_done": work.get("done", 0),
                "items_open": work.get("open", 0),
                "items_overdue": work.get("overdue", 0),
            }
        )
    return result


# --- what the services read: the year's dates, the standard, the survey's facts ------------


def timeline_overrides() -> dict:
    return dict(settings.BRANCHES_TIMELINE or {})


def default_dates(year: int) -> dict[str, date]:
    """The year's dates of 《组织建设年实施方案》附件1 二, with the institution's
    BRANCHES_TIMELINE."""
    return rules.timeline_dates(year, timeline_overrides())


def committee_threshold() -> int:
    return int(settings.BRANCHES_COMMITTEE_THRESHOLD)


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


def standard_for(category: str) -> GradingStandard | None:
    """Student branches use the student standard; staff, organ and retiree branches the staff
    one."""
    audience = Audience.STUDENT if category == BranchCategory.STUDENT else Audience.STAFF
    return GradingStandard.objects.filter(applies_to=audience, is_active=True).first()


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


# The secretary's 联述联评联考 result (review app, above this one) is added to it the same way.
_secretary_review_readers: list[Callable[[Organisation], str]] = []


def set_secretary_review_reader(reader: Callable[[Organisation], str]) -> None:
    _secretary_review_readers[:] = [reader]


def _last_assessment(branch: Organisation) -> str:
    parts = [reader(branch) for reader in (*_annual_assessment_readers, *_secretary_review_readers)]
    return "；".join(p for p in parts if p)[:200]


def _last_satisfaction(branch: Organisation) -> str:
    """群众评议情况 from the latest satisfaction survey of the branch that reached its minimum."""
    candidates = list(
        Survey.objects.filter(organisation=branch, kind=SurveyKind.BRANCH_SATISFACTION).order_by(
            "-opens_on", "-id"
        )[:3]
    )
    for survey, found in ((s, survey_result(s)) for s in candidates):
        if found.visible and found.satisfaction_rate is not None:
            return (
                f"{survey.title}：回收{found.responses}份，"
                f"满意度{found.satisfaction_rate:.1f}%（满意与基本满意所占比例）。"
            )
    return ""
