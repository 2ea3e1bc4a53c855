"""The “168” part of the home page: what waits for an officer in their scope, and a member's
own posts, records and tasks. A fixed number of count queries whatever the scope's size."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from dangjian.appraisal.models import (
    BranchRating,
    CycleState,
    EvaluationResult,
    MemberRectification,
    RectificationState,
)
from dangjian.assessment.models import Appeal, AppealState, AssessmentState, BranchAssessment
from dangjian.branches import rules as branch_rules
from dangjian.branches.models import BranchGrading, GradingState, RectificationItem
from dangjian.branches.selectors import status_q
from dangjian.core import aggregates
from dangjian.core.scoping import scope_for
from dangjian.org.models import Organisation, Person
from dangjian.org.selectors import officer_roots
from dangjian.posts.models import Commitment, DutyRecord, Post, PostState
from dangjian.public.models import Suggestion, SuggestionStatus
from dangjian.reports import rules
from dangjian.reports.models import QuarterlyReport, ReportStatus
from dangjian.reports.selectors import Coverage, coverage_querysets
from dangjian.targets.models import Task


class Counts:
    """Count queries gathered while a page is planned and run together as one SELECT of scalar
    subqueries (`SELECT (SELECT COUNT(*) FROM …), (…)`): the home page's two dozen counters in
    one round trip instead of one query each."""

    def __init__(self, user: Any = None) -> None:
        self._querysets: list[QuerySet[Any]] = []
        self._values: list[int] | None = None
        self._user = user  # a scope over everything keeps its counts a while (core.aggregates)

    def add(self, queryset: QuerySet[Any]) -> int:
        self._querysets.append(queryset)
        self._values = None
        return len(self._querysets) - 1

    def __getitem__(self, index: int) -> int:
        if self._values is None:
            self._values = self._run()
        return self._values[index]

    def _run(self) -> list[int]:
        parts: list[str] = []
        params: list[Any] = []
        for i, queryset in enumerate(self._querysets):
            query = queryset.order_by().values("pk").query
            try:
                sql, qparams = query.get_compiler(using=queryset.db).as_sql()
            except EmptyResultSet:
                parts.append("0")
                continue
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS count_{i})")
            params.extend(qparams)
        if not parts:
            return []
        sql = "SELECT " + ", ".join(parts)

        def run() -> list[int]:
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute(sql, params)
                return [int(n) for n in cursor.fetchone()]

        return aggregates.kept(self._user, (sql, params), run)


@dataclass(frozen=True)
class Planned:
    """A to-do whose count is still in the batch: the sum of the counts at `keys`."""

    label: str
    keys: tuple[int, ...]
    url: str
    icon: str
    hint: str = ""

    def todo(self, counts: Counts) -> "Todo":
        return Todo(self.label, sum(counts[k] for k in self.keys), self.url, self.icon, self.hint)


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str
    icon: str
    hint: str = ""


def acted_on_by_level_above(queryset: QuerySet[Any], field: str, user) -> QuerySet[Any]:
    """Rows of organisations the user acts on as the level above (org.restructure). For a scope
    over everything that is every row: no `IN (every organisation)` for PostgreSQL to hash."""
    if scope_for(user).everything:
        return queryset
    lower = Organisation.objects.restructurable_by(user).order_by().values("pk")
    return queryset.filter(**{f"{field}__in": lower})


def plan_officer_todos(user, counts: Counts) -> list[Planned]:
    today = timezone.localdate()
    year = today.year
    posts = Post.objects.visible_to(user).filter(year=year)
    to_confirm = acted_on_by_level_above(
        posts.filter(state=PostState.CLAIMED), "organisation", user
    )
    to_publish = posts.filter(state=PostState.CONFIRMED)
    unchecked = DutyRecord.objects.visible_to(user).filter(
        duty_check__isnull=True, occurred_on__lt=today.replace(day=1)
    )
    overdue = Task.objects.visible_to(user).filter(completed_on__isnull=True, deadline__lt=today)
    waiting = Suggestion.objects.visible_to(user).filter(
        status__in=[SuggestionStatus.RECEIVED, SuggestionStatus.ASSIGNED]
    )
    posts_url = reverse("posts:post_list")
    return [
        Planned(
            "待定岗",
            (counts.add(to_confirm),),
            f"{posts_url}?state=claimed",
            "bi-person-check",
            "党员已认岗，待党总支定岗",
        ),
        Planned(
            "待明岗公示",
            (counts.add(to_publish),),
            f"{posts_url}?state=confirmed",
            "bi-megaphone",
            "已定岗，待公示",
        ),
        Planned(
            "往月未检查的履职记实",
            (counts.add(unchecked),),
            reverse("posts:duty_record_list") + "?checked=0",
            "bi-clipboard-check",
            "党支部书记按月检查",
        ),
        Planned(
            "逾期未完成任务",
            (counts.add(overdue),),
            reverse("targets:task_list") + "?status=overdue",
            "bi-alarm",
            "超过完成时限",
        ),
        Planned(
            "待办理意见建议",
            (counts.add(waiting),),
            reverse("public:suggestion_list") + "?status=received",
            "bi-mailbox",
            "意见箱",
        ),
    ]


def officer_todos(user) -> list[Todo]:
    counts = Counts()
    return [p.todo(counts) for p in plan_officer_todos(user, counts)]


def plan_evaluation_todos(user, counts: Counts) -> list[Planned]:
    """What waits in the evaluation modules: ratings of open member evaluations, branch
    assessments for the level above to score, appeals to answer, branches to grade, rectification
    items overdue or waiting to be checked off — one count query each."""
    today = timezone.localdate()
    unrated = (
        EvaluationResult.objects.visible_to(user)
        .filter(
            cycle__state=CycleState.OPEN, cycle__starts_on__lte=today, cycle__weight_branch__gt=0
        )
        .exclude(person_id=getattr(user, "person_id", None))
        .exclude(
            Exists(
                BranchRating.objects.filter(
                    cycle_id=OuterRef("cycle_id"), ratee_id=OuterRef("person_id")
                )
            )
        )
    )
    items = RectificationItem.objects.visible_to(user)
    return [
        Planned(
            "待综合评定的党员",
            (counts.add(unrated),),
            reverse("appraisal:cycle_list") + "?state=open",
            "bi-person-check",
            "党员考评进行中",
        ),
        Planned(
            "待考核组评分的党支部",
            (
                counts.add(
                    acted_on_by_level_above(
                        BranchAssessment.objects.filter(state=AssessmentState.SUBMITTED),
                        "branch",
                        user,
                    )
                ),
            ),
            reverse("assessment:round_list"),
            "bi-clipboard2-check",
            "支部已提交自评",
        ),
        Planned(
            "待答复的复核申请",
            (
                counts.add(
                    acted_on_by_level_above(
                        Appeal.objects.filter(state=AppealState.PENDING), "assessment__branch", user
                    )
                ),
            ),
            reverse("assessment:round_list"),
            "bi-chat-square-text",
            "10日内提出复核意见",
        ),
        Planned(
            "待定级的党支部",
            (
                counts.add(
                    acted_on_by_level_above(
                        BranchGrading.objects.filter(state=GradingState.DRAFT), "branch", user
                    )
                ),
            ),
            reverse("branches:year_list"),
            "bi-bar-chart-steps",
            "党总支分类定级",
        ),
        Planned(
            "逾期未完成的整改事项",
            (
                counts.add(items.filter(status_q(branch_rules.OVERDUE, today))),
                counts.add(
                    MemberRectification.objects.visible_to(user)
                    .filter(deadline__lt=today)
                    .exclude(state=RectificationState.DONE)
                ),
            ),
            reverse("branches:item_list") + f"?status={branch_rules.OVERDUE}",
            "bi-alarm",
            "支部整改和党员限期整改",
        ),
        Planned(
            "待销号的整改事项",
            (
                counts.add(
                    acted_on_by_level_above(
                        items.filter(status_q(branch_rules.DONE, today)), "plan__branch", user
                    )
                ),
            ),
            reverse("branches:item_list") + f"?status={branch_rules.DONE}",
            "bi-check2-square",
            "支部已完成，待上级确认",
        ),
    ]


def evaluation_todos(user) -> list[Todo]:
    counts = Counts()
    return [p.todo(counts) for p in plan_evaluation_todos(user, counts)]


# The organisations a home page names: the department's scope starts from every committee.
ROOTS_SHOWN = 10
# The quarterly reports (and coverage) a home page shows.
REPORTS_SHOWN = 5


def scope_roots(user) -> list[Organisation]:
    """The first organisations the user's scope starts from (one more than are shown, to say
    that there are more), each with its report of the current quarter (`quarter_report_id`,
    `quarter_report_status`) — one query."""
    today = timezone.localdate()
    reports = QuarterlyReport.objects.filter(
        organisation=OuterRef("pk"), year=today.year, quarter=rules.quarter_of(today)
    )
    return list(
        officer_roots(user).annotate(
            quarter_report_id=Subquery(reports.values("pk")[:1]),
            quarter_report_status=Subquery(reports.values("status")[:1]),
        )[: ROOTS_SHOWN + 1]
    )


def plan_officer_reports(roots: list[Organisation], counts: Counts) -> list[dict]:
    """The current quarter's report of the first reporting scope roots, with due date and
    coverage (counted in the batch)."""
    today = timezone.localdate()
    year, quarter = today.year, rules.quarter_of(today)
    due = rules.due_date(year, quarter)
    rows = []
    reporting = [r for r in roots if r.kind in rules.REPORTING_KINDS][:REPORTS_SHOWN]
    for org in reporting:
        report = None
        if org.quarter_report_id is not None:
            report = QuarterlyReport(
                pk=org.quarter_report_id,
                organisation=org,
                year=year,
                quarter=quarter,
                status=org.quarter_report_status,
            )
        submitted = report is not None and report.status in (
            ReportStatus.SUBMITTED,
            ReportStatus.ACCEPTED,
        )
        total, covered = coverage_querysets(org, year)
        rows.append(
            {
                "org": org,
                "report": report,
                "quarter": quarter,
                "due": due,
                "overdue": not submitted and today > due,
                "coverage_keys": (counts.add(covered), counts.add(total)),
            }
        )
    return rows


def finish_officer_reports(rows: list[dict], counts: Counts) -> list[dict]:
    today = timezone.localdate()
    for row in rows:
        covered, total = (counts[k] for k in row.pop("coverage_keys"))
        row["coverage"] = Coverage(covered=covered, total=total, year=today.year, on=today)
    return rows


def officer_reports(user) -> list[dict]:
    """The current quarter's report of each scope root, with its due date and coverage."""
    counts = Counts()
    return finish_officer_reports(plan_officer_reports(scope_roots(user), counts), counts)


def plan_member_overview(person, counts: Counts) -> dict:
    """A member's own posts, records and tasks; the counts go into the batch."""
    today = timezone.localdate()
    posts = list(Post.objects.filter(holder=person, year=today.year).only("name", "state", "year"))
    records = DutyRecord.objects.filter(person=person, occurred_on__year=today.year)
    commitments = Commitment.objects.filter(person=person, year=today.year)
    open_tasks = Task.objects.filter(responsible=person, completed_on__isnull=True)
    return {
        "posts": posts,
        "open_posts": counts.add(Post.objects.open_for(person).filter(year=today.year)),
        "month_records": counts.add(records.filter(occurred_on__month=today.month)),
        "year_records": counts.add(records),
        "commitment": counts.add(commitments),
        "commitment_published": counts.add(commitments.filter(published_on__isnull=False)),
        "open_tasks": counts.add(open_tasks),
        "overdue_tasks": counts.add(open_tasks.filter(deadline__lt=today)),
    }


def finish_member_overview(planned: dict, counts: Counts) -> dict:
    return {key: value if key == "posts" else counts[value] for key, value in planned.items()}


def member_overview(person) -> dict:
    counts = Counts()
    return finish_member_overview(plan_member_overview(person, counts), counts)


def own_person(user) -> Person | None:
    """The user's person record with their organisation (whose path the posts open to them
    are found by), in one query; kept on the user for the rest of the request."""
    if not user.person_id:
        return None
    person = Person.objects.select_related("primary_org").filter(pk=user.person_id).first()
    if person is not None:
        user.person = person
    return person


def home(user, person) -> dict:
    """Everything the home page shows but the people counts, with every counter in one query:
    the officer's scope roots and their reports (one query), the to-dos, coverage and the
    member's own counts (one query), the member's posts (one query)."""
    counts = Counts(user)
    context: dict[str, Any] = {}
    officer = scope_for(user).is_officer
    if officer:
        roots = scope_roots(user)
        context["roots"] = roots[:ROOTS_SHOWN]
        context["more_roots"] = len(roots) > ROOTS_SHOWN
        todos = plan_officer_todos(user, counts)
        evaluation = plan_evaluation_todos(user, counts)
        reports = plan_officer_reports(roots, counts)
    mine = None
    if person is not None and person.is_member:
        mine = plan_member_overview(person, counts)
    if officer:
        context["todos"] = [p.todo(counts) for p in todos]
        context["evaluation_todos"] = [p.todo(counts) for p in evaluation]
        context["quarter_reports"] = finish_officer_reports(reports, counts)
    if mine is not None:
        context["mine"] = finish_member_overview(mine, counts)
    return context
