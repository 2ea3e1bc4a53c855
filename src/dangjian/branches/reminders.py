"""Reminders (待办) of branch grading and rectification (《组织建设年实施方案》附件1 二), a fixed
number of queries whatever the number of branches:

- a branch without a decided initial grading when grading_due (3月30日) falls within the
  horizon → the officers of the level above (its general branch; the year's organisation when
  the branch has no officers above it);
- a graded branch whose 整改提高方案 is not submitted when rectification_plans_due (5月底) falls
  within the horizon → the branch's officers;
- an open rectification item due within the horizon or overdue → its responsible person and the
  branch's officers;
- a branch graded initially but not regraded when the regrading window (6月—10月) closes within
  the horizon → the officers of the level above.
Only the current year's (and earlier, still open) grading years count; items count until done.
"""

from collections.abc import Iterator
from datetime import date

from django.urls import reverse

from dangjian.branches import rules
from dangjian.branches.models import (
    BranchGrading,
    GradingState,
    GradingYear,
    ItemState,
    PlanSource,
    PlanState,
    RectificationItem,
    RectificationPlan,
    Round,
)
from dangjian.core.reminders import Due
from dangjian.core.scoping import paths_q
from dangjian.org.models import Organisation, OrgKind
from dangjian.org.selectors import officers_of

CATEGORY = "分类定级"
RECTIFY = "整改"


def _years(today: date) -> list[GradingYear]:
    return list(GradingYear.objects.filter(year=today.year).select_related("organisation"))


def _branches(years: list[GradingYear]) -> list[tuple[GradingYear, int, str, str]]:
    """(year, branch id, name, path) of the active branches under each year's organisation."""
    if not years:
        return []
    rows = list(
        Organisation.objects.filter(
            paths_q("path", tuple(y.organisation.path for y in years)),
            kind=OrgKind.BRANCH,
            dissolved_on__isnull=True,
        ).values_list("pk", "name", "path")
    )
    result = []
    for year in years:
        for pk, name, path in rows:
            if path.startswith(year.organisation.path):
                result.append((year, pk, name, path))
    return result


def _parent_path(path: str) -> str:
    return path[: -Organisation.steplen]


def collect(today: date, horizon: date) -> Iterator[Due]:
    years = _years(today)
    branches = _branches(years)
    graded: dict[tuple[int, int, str], bool] = {}
    if years:
        for year_id, branch_id, round in BranchGrading.objects.filter(
            grading_year__in=years, state=GradingState.GRADED
        ).values_list("grading_year_id", "branch_id", "round"):
            graded[(year_id, branch_id, round)] = True
    submitted = set(
        RectificationPlan.objects.filter(
            year=today.year,
            source=PlanSource.GRADING,
            state__in=[PlanState.SUBMITTED, PlanState.DONE],
        ).values_list("branch_id", flat=True)
    )
    items = list(
        RectificationItem.objects.filter(state=ItemState.OPEN, deadline__lte=horizon).values_list(
            "pk",
            "plan_id",
            "plan__branch_id",
            "plan__branch__name",
            "responsible_id",
            "problem",
            "deadline",
        )
    )
    # Officers of the branches, of the organisations above them and of the years' organisations.
    parent_paths = {_parent_path(path) for _y, _pk, _n, path in branches}
    parents = dict(Organisation.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    org_ids = (
        {pk for _y, pk, _n, _p in branches}
        | set(parents.values())
        | {y.organisation_id for y in years}
        | {row[2] for row in items}
    )
    officers = officers_of(org_ids) if org_ids else {}

    def above(year: GradingYear, path: str) -> list[int]:
        people = officers.get(parents.get(_parent_path(path), 0), [])
        return people or officers.get(year.organisation_id, [])

    for year, pk, name, path in branches:
        year_url = reverse("branches:year_detail", args=[year.pk])
        initial = graded.get((year.pk, pk, Round.INITIAL), False)
        if not initial and year.grading_due <= horizon:
            late = "已逾期" if today > year.grading_due else "请按时完成"
            for person_id in above(year, path):
                yield Due(
                    person_id=person_id,
                    key=f"branches:grading:{year.pk}:{pk}",
                    category=CATEGORY,
                    title=f"{name}{year.year}年调查摸底、分类定级尚未完成，{late}",
                    due_on=year.grading_due,
                    url=year_url,
                )
        if initial and pk not in submitted and year.rectification_plans_due <= horizon:
            late = "已逾期" if today > year.rectification_plans_due else "须经党员大会讨论后提交"
            for person_id in officers.get(pk, []):
                yield Due(
                    person_id=person_id,
                    key=f"branches:plan:{year.year}:{pk}",
                    category=RECTIFY,
                    title=f"{name}{year.year}年整改提高方案尚未提交，{late}",
                    due_on=year.rectification_plans_due,
                    url=year_url,
                )
        if (
            initial
            and not graded.get((year.pk, pk, Round.REGRADE), False)
            and today >= year.regrading_from
            and rules.regrade_window_closing(today, year.regrading_to, horizon)
        ):
            for person_id in above(year, path):
                yield Due(
                    person_id=person_id,
                    key=f"branches:regrade:{year.pk}:{pk}",
                    category=CATEGORY,
                    title=f"{name}{year.year}年再次评定等级（6月—10月）尚未完成",
                    due_on=year.regrading_to,
                    url=year_url,
                )
    for pk, plan_id, branch_id, branch_name, responsible_id, problem, deadline in items:
        late = "已逾期" if today > deadline else "即将到期"
        title = f"{branch_name}整改事项“{problem[:30]}”{late}（完成时限{deadline:%Y-%m-%d}）"
        people = {responsible_id, *officers.get(branch_id, [])}
        for person_id in sorted(people):
            url = (
                reverse("branches:item_done", args=[pk])
                if person_id == responsible_id
                else reverse("branches:plan_detail", args=[plan_id])
            )
            yield Due(
                person_id=person_id,
                key=f"branches:item:{pk}",
                category=RECTIFY,
                title=title,
                due_on=deadline,
                url=url,
            )
