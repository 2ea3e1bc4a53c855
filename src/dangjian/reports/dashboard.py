"""The “168” part of the home page: what waits for an officer in their scope, and a member's
own posts, records and tasks. A fixed number of count queries whatever the scope's size."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
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
from dangjian.org.models import Organisation
from dangjian.posts.models import Commitment, DutyRecord, Post, PostState
from dangjian.public.models import Suggestion, SuggestionStatus
from dangjian.reports import rules
from dangjian.reports.models import QuarterlyReport, ReportStatus
from dangjian.reports.selectors import coverage_for, reporting_roots
from dangjian.targets.models import Task


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str
    icon: str
    hint: str = ""


def officer_todos(user) -> list[Todo]:
    today = timezone.localdate()
    year = today.year
    posts = Post.objects.visible_to(user).filter(year=year)
    lower = Organisation.objects.restructurable_by(user).order_by().values("pk")
    to_confirm = posts.filter(state=PostState.CLAIMED, organisation__in=lower).count()
    to_publish = posts.filter(state=PostState.CONFIRMED).count()
    unchecked = DutyRecord.objects.visible_to(user).filter(
        duty_check__isnull=True, occurred_on__lt=today.replace(day=1)
    )
    overdue = Task.objects.visible_to(user).filter(completed_on__isnull=True, deadline__lt=today)
    waiting = Suggestion.objects.visible_to(user).filter(
        status__in=[SuggestionStatus.RECEIVED, SuggestionStatus.ASSIGNED]
    )
    posts_url = reverse("posts:post_list")
    return [
        Todo(
            "待定岗",
            to_confirm,
            f"{posts_url}?state=claimed",
            "bi-person-check",
            "党员已认岗，待党总支定岗",
        ),
        Todo(
            "待明岗公示",
            to_publish,
            f"{posts_url}?state=confirmed",
            "bi-megaphone",
            "已定岗，待公示",
        ),
        Todo(
            "往月未检查的履职记实",
            unchecked.count(),
            reverse("posts:duty_record_list") + "?checked=0",
            "bi-clipboard-check",
            "党支部书记按月检查",
        ),
        Todo(
            "逾期未完成任务",
            overdue.count(),
            reverse("targets:task_list") + "?status=overdue",
            "bi-alarm",
            "超过完成时限",
        ),
        Todo(
            "待办理意见建议",
            waiting.count(),
            reverse("public:suggestion_list") + "?status=received",
            "bi-mailbox",
            "意见箱",
        ),
    ]


def evaluation_todos(user) -> list[Todo]:
    """What waits in the evaluation modules: ratings of open member evaluations, branch
    assessments for the level above to score, appeals to answer, branches to grade, rectification
    items overdue or waiting to be checked off — one count query each."""
    today = timezone.localdate()
    lower = Organisation.objects.restructurable_by(user).order_by().values("pk")
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
        Todo(
            "待综合评定的党员",
            unrated.count(),
            reverse("appraisal:cycle_list") + "?state=open",
            "bi-person-check",
            "党员考评进行中",
        ),
        Todo(
            "待考核组评分的党支部",
            BranchAssessment.objects.filter(
                state=AssessmentState.SUBMITTED, branch__in=lower
            ).count(),
            reverse("assessment:round_list"),
            "bi-clipboard2-check",
            "支部已提交自评",
        ),
        Todo(
            "待答复的复核申请",
            Appeal.objects.filter(state=AppealState.PENDING, assessment__branch__in=lower).count(),
            reverse("assessment:round_list"),
            "bi-chat-square-text",
            "10日内提出复核意见",
        ),
        Todo(
            "待定级的党支部",
            BranchGrading.objects.filter(state=GradingState.DRAFT, branch__in=lower).count(),
            reverse("branches:year_list"),
            "bi-bar-chart-steps",
            "党总支分类定级",
        ),
        Todo(
            "逾期未完成的整改事项",
            items.filter(status_q(branch_rules.OVERDUE, today)).count()
            + MemberRectification.objects.visible_to(user)
            .filter(deadline__lt=today)
            .exclude(state=RectificationState.DONE)
            .count(),
            reverse("branches:item_list") + f"?status={branch_rules.OVERDUE}",
            "bi-alarm",
            "支部整改和党员限期整改",
        ),
        Todo(
            "待销号的整改事项",
            items.filter(status_q(branch_rules.DONE, today), plan__branch__in=lower).count(),
            reverse("branches:item_list") + f"?status={branch_rules.DONE}",
            "bi-check2-square",
            "支部已完成，待上级确认",
        ),
    ]


def officer_reports(user) -> list[dict]:
    """The current quarter's report of each scope root, with its due date and coverage."""
    today = timezone.localdate()
    year, quarter = today.year, rules.quarter_of(today)
    roots = reporting_roots(user)[:5]
    reports = {
        r.organisation_id: r
        for r in QuarterlyReport.objects.filter(organisation__in=roots, year=year, quarter=quarter)
    }
    coverage = coverage_for(roots, year, today)
    due = rules.due_date(year, quarter)
    rows = []
    for org in roots:
        report = reports.get(org.pk)
        submitted = report is not None and report.status in (
            ReportStatus.SUBMITTED,
            ReportStatus.ACCEPTED,
        )
        rows.append(
            {
                "org": org,
                "report": report,
                "quarter": quarter,
                "due": due,
                "overdue": not submitted and today > due,
                "coverage": coverage[org.pk],
            }
        )
    return rows


def member_overview(person) -> dict:
    today = timezone.localdate()
    posts = list(Post.objects.filter(holder=person, year=today.year).only("name", "state", "year"))
    open_posts = Post.objects.open_for(person).filter(year=today.year).count()
    records = DutyRecord.objects.filter(person=person, occurred_on__year=today.year)
    month_records = records.filter(occurred_on__month=today.month).count()
    commitment = Commitment.objects.filter(person=person, year=today.year).first()
    open_tasks = Task.objects.filter(responsible=person, completed_on__isnull=True)
    return {
        "posts": posts,
        "open_posts": open_posts,
        "month_records": month_records,
        "year_records": records.count(),
        "commitment": commitment,
        "open_tasks": open_tasks.count(),
        "overdue_tasks": open_tasks.filter(deadline__lt=today).count(),
    }
