"""Scoped reads for the quarterly report: the figures computed from the records, coverage and
the list of reports of an organisation and the level below.

`compute_figures` runs a fixed number of aggregate queries whatever the size of the subtree
(conditional aggregation; nothing is queried per branch)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, When
from django.db.models.functions import Length, Substr
from django.utils import timezone

from dangjian.core.access import Actor
from dangjian.org import rollup
from dangjian.org.models import Organisation, OrgKind, Person, orgs_under
from dangjian.org.rules import MEMBER_STATUSES
from dangjian.org.selectors import officer_roots
from dangjian.posts.models import Commitment, DutyCheck, DutyRecord, Post, PostState
from dangjian.public.models import Suggestion, SuggestionStatus
from dangjian.reports import rules
from dangjian.reports.models import QuarterlyReport, ReportStatus
from dangjian.targets.models import Opinion, OpinionHandling, Step, Task, WorkItem

PUBLISHED_STATES = (PostState.PUBLISHED, PostState.PERFORMING, PostState.EVALUATED)
CONFIRMED_STATES = (PostState.CONFIRMED, *PUBLISHED_STATES)
ANSWERED_STATES = (SuggestionStatus.ANSWERED, SuggestionStatus.CLOSED)

# The rows of the annex form, in order: (key in `figures`, label, unit).
FIGURE_ROWS: list[tuple[str, str, str]] = [
    ("branches", "党组织数（党支部）", "个"),
    ("covered_branches", "已实行“168”机制的党组织数", "个"),
    ("coverage_percent", "推广面", "%"),
    ("members", "党员数（含预备党员）", "人"),
    ("posts", "设岗数", "个"),
    ("post_holders", "定岗党员数", "人"),
    ("published_posts", "明岗数", "个"),
    ("committed_members", "作出承诺党员数", "人"),
    ("duty_records", "本季度履职记实条数", "条"),
    ("duty_checks", "本季度履职检查次数", "次"),
    ("work_items", "工作事项数（“六步工作法”）", "项"),
    *[(f"step_{step.value}", f"　其中：进入“{step.label}”", "项") for step in Step if step <= 6],
    ("tasks", "分解任务数", "项"),
    ("tasks_completed", "　其中：已完成", "项"),
    ("tasks_overdue", "　　　　逾期未完成", "项"),
    ("opinions", "本季度征求意见条数", "条"),
    ("opinions_handled", "　其中：已处理", "条"),
    ("suggestions", "本季度意见箱建议数", "条"),
    ("suggestions_answered", "　其中：已答复", "条"),
]
FIGURE_LABELS = {key: label for key, label, _ in FIGURE_ROWS}


def _under(org: Organisation) -> QuerySet[Organisation]:
    return orgs_under((org.path,))


def covered_branch_paths(year: int, paths: tuple[str, ...] | None = None) -> QuerySet[Post]:
    """The paths of the branches that run the mechanism in `year`, as a subquery: a post belongs
    to its branch or to one of the branch's groups (DOMAIN §2: a branch's only children are
    groups), so its branch is its organisation or that organisation's parent. `paths` narrows
    the posts to a few subtrees (None: everywhere)."""
    posts = Post.objects.filter(year=year, state__in=PUBLISHED_STATES)
    few = rollup.few_paths_q("organisation__path", paths) if paths is not None else None
    if few is not None:
        posts = posts.filter(few)
    return (
        posts.order_by()
        .annotate(
            branch_path=Case(
                When(
                    organisation__kind=OrgKind.GROUP,
                    then=Substr(
                        "organisation__path",
                        1,
                        Length("organisation__path") - Organisation.steplen,
                    ),
                ),
                default=F("organisation__path"),
            )
        )
        .values("branch_path")
        .annotate(n=Count("id"))
        .filter(n__gte=rules.MIN_PUBLISHED_POSTS)
        .values("branch_path")
    )


@dataclass
class Coverage:
    covered: int
    total: int
    year: int
    on: date
    percent: float = field(init=False)
    verdict: str = field(init=False)

    def __post_init__(self) -> None:
        self.percent = rules.coverage_percent(self.covered, self.total)
        self.verdict = rules.coverage_verdict(self.percent, self.year, self.on)

    @property
    def target_met(self) -> bool | None:
        return rules.coverage_target_met(self.percent, self.year, self.on)

    @property
    def label(self) -> str:
        return rules.COVERAGE_LABELS[self.verdict]

    @property
    def bar_percent(self) -> int:
        return int(self.percent)


def coverage_for(orgs: list[Organisation], year: int, on: date | None = None) -> dict:
    """Coverage of each organisation's subtree in `year`, by organisation id: the active branches
    counted by the path prefix of each organisation's depth, in SQL (one query per depth among
    `orgs`, whatever their number; no condition per organisation)."""
    on = on or timezone.localdate()
    covered = covered_branch_paths(year, tuple(o.path for o in orgs))
    counts = rollup.grouped_by_prefix(
        Organisation.objects.filter(kind=OrgKind.BRANCH).active(),
        "path",
        orgs,
        {"total": Count("id"), "covered": Count("id", filter=Q(path__in=covered))},
    )
    result = {}
    for org in orgs:
        row = counts.get(org.pk, {})
        result[org.pk] = Coverage(
            covered=row.get("covered", 0), total=row.get("total", 0), year=year, on=on
        )
    return result


def coverage_querysets(
    org: Organisation, year: int
) -> tuple[QuerySet[Organisation], QuerySet[Organisation]]:
    """The active branches of `org`'s subtree and those of them that run the mechanism in
    `year`, as querysets to count (the home page counts them with its other counters)."""
    branches = Organisation.objects.filter(kind=OrgKind.BRANCH, path__startswith=org.path)
    branches = branches.active()
    return branches, branches.filter(path__in=covered_branch_paths(year, (org.path,)))


def compute_figures(org: Organisation, year: int, quarter: int, today: date | None = None) -> dict:
    """The annex-5 figures of `org`'s subtree for a quarter, in a fixed number of queries.

    Year-to-date figures (posts, commitments, work items, tasks) are for the report's year;
    flows (duty records, checks, opinions, suggestions) are those of the quarter up to the
    day the figures describe (the quarter's end, or today if earlier)."""
    today = today or timezone.localdate()
    start, _end = rules.quarter_bounds(year, quarter)
    as_of = rules.figures_as_of(year, quarter, today)
    under = _under(org)

    coverage = coverage_for([org], year, on=today)[org.pk]
    members = (
        Person.objects.filter(
            primary_org__in=under, is_active=True, party_status__in=MEMBER_STATUSES
        )
        .order_by()
        .count()
    )
    posts = Post.objects.filter(organisation__in=under, year=year).aggregate(
        posts=Count("id"),
        published_posts=Count("id", filter=Q(state__in=PUBLISHED_STATES)),
        post_holders=Count("holder", filter=Q(state__in=CONFIRMED_STATES), distinct=True),
    )
    committed = (
        Commitment.objects.filter(
            organisation__in=under, year=year, published_on__isnull=False, published_on__lte=as_of
        )
        .order_by()
        .values("person")
        .distinct()
        .count()
    )
    duty_records = (
        DutyRecord.objects.filter(organisation__in=under, occurred_on__range=(start, as_of))
        .order_by()
        .count()
    )
    duty_checks = (
        DutyCheck.objects.filter(organisation__in=under, checked_on__range=(start, as_of))
        .order_by()
        .count()
    )
    items = WorkItem.objects.filter(organisation__in=under, year=year).aggregate(
        work_items=Count("id"),
        **{
            f"step_{step.value}": Count("id", filter=Q(step__gte=step.value))
            for step in Step
            if step <= 6
        },
    )
    tasks = Task.objects.filter(work_item__organisation__in=under, work_item__year=year).aggregate(
        tasks=Count("id"),
        tasks_completed=Count("id", filter=Q(completed_on__lte=as_of)),
        tasks_overdue=Count(
            "id",
            filter=Q(deadline__lt=as_of)
            & (Q(completed_on__isnull=True) | Q(completed_on__gt=as_of)),
        ),
    )
    opinions = Opinion.objects.filter(
        work_item__organisation__in=under, received_on__range=(start, as_of)
    ).aggregate(
        opinions=Count("id"),
        opinions_handled=Count("id", filter=~Q(handling=OpinionHandling.PENDING)),
    )
    suggestions = Suggestion.objects.filter(
        organisation__in=under, created_at__date__range=(start, as_of)
    ).aggregate(
        suggestions=Count("id"),
        suggestions_answered=Count("id", filter=Q(status__in=ANSWERED_STATES)),
    )
    return {
        "as_of": as_of.isoformat(),
        "generated_on": today.isoformat(),
        "branches": coverage.total,
        "covered_branches": coverage.covered,
        "coverage_percent": coverage.percent,
        "members": members,
        **posts,
        "committed_members": committed,
        "duty_records": duty_records,
        "duty_checks": duty_checks,
        **items,
        **tasks,
        **opinions,
        **suggestions,
    }


def figure_rows(figures: dict) -> list[tuple[str, str, object]]:
    """(label, unit, value) for display, in the annex's order; missing values as “—”."""
    return [(label, unit, figures.get(key, "—")) for key, label, unit in FIGURE_ROWS]


# --- reports ---------------------------------------------------------------------------------


def reports_visible(user: Actor) -> QuerySet[QuarterlyReport]:
    return QuarterlyReport.objects.visible_to(user).select_related(
        "organisation", "submitted_by__person", "reviewed_by__person"
    )


def submitted_on(report: QuarterlyReport) -> date | None:
    """The date that counts for the deadline: a report sent back is not in."""
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED) and report.submitted_at:
        return timezone.localdate(report.submitted_at)
    return None


def reporting_roots(user: Actor, org_id: str | int | None = None) -> list[Organisation]:
    """The organisations the list starts from: the user's scope roots, or one chosen
    organisation in scope (a report-writing kind)."""
    if org_id:
        try:
            return list(
                Organisation.objects.visible_to(user).filter(
                    pk=int(org_id), kind__in=rules.REPORTING_KINDS
                )
            )
        except (TypeError, ValueError):
            return []
    return list(scope_reporting_roots(user))


def scope_reporting_roots(user: Actor) -> QuerySet[Organisation]:
    """The report-writing organisations the user's scope starts from (the department: every
    committee), for paging through."""
    return officer_roots(user).filter(kind__in=rules.REPORTING_KINDS)


@dataclass
class Row:
    org: Organisation
    report: QuarterlyReport | None
    due: date
    today: date
    coverage: Coverage | None = None
    is_root: bool = False

    @property
    def submitted_on(self) -> date | None:
        return submitted_on(self.report) if self.report else None

    @property
    def deadline_state(self) -> str:
        return rules.deadline_state(self.due, self.submitted_on, self.today)

    @property
    def deadline_label(self) -> str:
        return rules.DEADLINE_LABELS[self.deadline_state]

    @property
    def overdue(self) -> bool:
        return self.deadline_state == "overdue"


@dataclass
class Section:
    root: Row
    children: list[Row]

    @property
    def orgs_missing(self) -> list[Organisation]:
        return [r.org for r in [self.root, *self.children] if r.report is None]


def report_sections(
    roots: list[Organisation], year: int, quarter: int, today: date | None = None
) -> list[Any]:
    """For each root: its own report and those of the reporting organisations one level below,
    with deadline state and subtree coverage (a constant number of queries)."""
    today = today or timezone.localdate()
    if not roots:
        return []
    due = rules.due_date(year, quarter)
    children = children_of(roots)
    orgs = [*roots, *children]
    reports = {
        r.organisation_id: r
        for r in QuarterlyReport.objects.filter(
            organisation__in=[o.pk for o in orgs], year=year, quarter=quarter
        )
    }
    coverage = coverage_for(orgs, year, on=today)
    below: dict[str, list[Row]] = {root.path: [] for root in roots}
    for c in children:
        row = Row(c, reports.get(c.pk), due, today, coverage[c.pk])
        below[c.path[: root_length(c)]].append(row)
    return [
        Section(
            Row(root, reports.get(root.pk), due, today, coverage[root.pk], is_root=True),
            below[root.path],
        )
        for root in roots
    ]


def root_length(child: Organisation) -> int:
    """The length of the path of `child`'s parent."""
    return (child.depth - 1) * Organisation.steplen


def children_of(roots: list[Organisation]) -> list[Organisation]:
    """The active reporting organisations one level below any of `roots`, in display order:
    one query per depth among the roots, matching the parent's path as a prefix (indexed for a
    few roots, a scan of the organisation table for many — never an OR per root)."""
    children: list[Organisation] = []
    for depth, group in rollup.by_depth(roots).items():
        paths = [r.path for r in group]
        qs = Organisation.objects.filter(depth=depth + 1, kind__in=rules.REPORTING_KINDS).active()
        few = rollup.few_paths_q("path", paths)
        if few is not None:
            qs = qs.filter(few)
        else:
            qs = qs.annotate(parent_path=rollup.prefix("path", depth)).filter(parent_path__in=paths)
        children.extend(qs)
    children.sort(key=lambda o: (o.display_order, o.path))
    return children
