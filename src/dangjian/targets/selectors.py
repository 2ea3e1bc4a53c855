"""Scoped reads of target management: lists, filters, step facts, the audit trail, annexes."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from dangjian.core.models import AuditEvent
from dangjian.org.models import Organisation
from dangjian.targets import rules
from dangjian.targets.models import (
    AssigneeKind,
    Decision,
    Evaluation,
    Opinion,
    OpinionHandling,
    Role,
    Step,
    Task,
    TaskProgress,
    WorkItem,
    WorkItemKind,
)

TASK_RELATIONS = (
    "work_item__organisation",
    "assignee_org",
    "assignee_unit__parent",
    "assignee_person",
    "responsible",
)
TASK_STATUSES = (
    ("", "全部"),
    (rules.STATUS_OPEN, "进行中"),
    (rules.STATUS_OVERDUE, "已逾期"),
    (rules.STATUS_DONE, "已完成"),
)


def step_facts(item: WorkItem) -> rules.StepFacts:
    """The counts `rules.step_missing` judges, in four small queries."""
    opinions = Opinion.objects.filter(work_item=item).aggregate(
        total=Count("id"), pending=Count("id", filter=Q(handling=OpinionHandling.PENDING))
    )
    has_progress = TaskProgress.objects.filter(task=OuterRef("pk"))
    tasks = (
        Task.objects.filter(work_item=item)
        .annotate(has_progress=Exists(has_progress))
        .aggregate(
            total=Count("id"),
            unpublished=Count("id", filter=Q(published_on__isnull=True) | Q(commitment="")),
            without_progress=Count("id", filter=Q(has_progress=False)),
        )
    )
    evaluation = Evaluation.objects.filter(work_item=item).values("published_on").first()
    return rules.StepFacts(
        opinions=opinions["total"],
        pending_opinions=opinions["pending"],
        decisions=Decision.objects.filter(work_item=item).count(),
        tasks=tasks["total"],
        unpublished_tasks=tasks["unpublished"],
        tasks_without_progress=tasks["without_progress"],
        has_evaluation=evaluation is not None,
        evaluation_published=bool(evaluation and evaluation["published_on"]),
    )


def workitem_events(item: WorkItem, limit: int = 100):
    """The audit trail of a work item and of every record of its six steps."""
    types = ContentType.objects.get_for_models(
        WorkItem, Opinion, Decision, Task, TaskProgress, Evaluation
    )
    q = Q(content_type=types[WorkItem], object_id=item.pk)
    q |= Q(
        content_type=types[Opinion],
        object_id__in=Opinion.objects.filter(work_item=item).values("pk"),
    )
    q |= Q(
        content_type=types[Decision],
        object_id__in=Decision.objects.filter(work_item=item).values("pk"),
    )
    q |= Q(content_type=types[Task], object_id__in=Task.objects.filter(work_item=item).values("pk"))
    q |= Q(
        content_type=types[TaskProgress],
        object_id__in=TaskProgress.objects.filter(task__work_item=item).values("pk"),
    )
    q |= Q(
        content_type=types[Evaluation],
        object_id__in=Evaluation.objects.filter(work_item=item).values("pk"),
    )
    return AuditEvent.objects.filter(q).select_related("actor")[:limit]


def with_status(tasks, today=None):
    """Attach `status` and `overdue` to each task (rows already loaded)."""
    today = today or timezone.localdate()
    for task in tasks:
        task.status = rules.task_status(task.deadline, task.completed_on, today)
        task.overdue = task.status == rules.STATUS_OVERDUE
    return tasks


def filter_by_status(qs, status: str, today=None):
    today = today or timezone.localdate()
    if status == rules.STATUS_DONE:
        return qs.filter(completed_on__isnull=False)
    if status == rules.STATUS_OVERDUE:
        return qs.filter(completed_on__isnull=True, deadline__lt=today)
    if status == rules.STATUS_OPEN:
        return qs.filter(completed_on__isnull=True, deadline__gte=today)
    return qs


def _int(value) -> int | None:
    value = (value or "").strip() if isinstance(value, str) else value
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass
class TaskFilters:
    year: int | None = None
    org: Organisation | None = None
    role: int | None = None
    assignee_kind: str = ""
    status: str = ""
    params: dict = field(default_factory=dict)


def task_filters(user, data) -> TaskFilters:
    """Read the task-list filters from a query dict; unknown values are ignored."""
    filters = TaskFilters()
    year = _int(data.get("year"))
    if year:
        filters.year = year
        filters.params["year"] = str(year)
    org_pk = _int(data.get("org"))
    if org_pk:
        filters.org = Organisation.objects.visible_to(user).filter(pk=org_pk).first()
        if filters.org:
            filters.params["org"] = str(org_pk)
    role = _int(data.get("role"))
    if role in Role.values:
        filters.role = role
        filters.params["role"] = str(role)
    if data.get("assignee_kind") in AssigneeKind.values:
        filters.assignee_kind = data["assignee_kind"]
        filters.params["assignee_kind"] = filters.assignee_kind
    if data.get("status") in dict(TASK_STATUSES) and data.get("status"):
        filters.status = data["status"]
        filters.params["status"] = filters.status
    return filters


def tasks_for_list(user, filters: TaskFilters):
    qs = Task.objects.visible_to(user).select_related(*TASK_RELATIONS)
    if filters.year:
        qs = qs.filter(work_item__year=filters.year)
    if filters.org:
        qs = qs.in_subtree(filters.org)
    if filters.role:
        qs = qs.filter(role=filters.role)
    if filters.assignee_kind:
        qs = qs.filter(assignee_kind=filters.assignee_kind)
    return filter_by_status(qs, filters.status)


def workitems_for_list(user, data):
    """Work items in scope with the filters year, org (subtree), kind and step."""
    params = {}
    qs = WorkItem.objects.visible_to(user).select_related("organisation", "plan")
    year = _int(data.get("year"))
    if year:
        qs = qs.filter(year=year)
        params["year"] = str(year)
    org_pk = _int(data.get("org"))
    org = Organisation.objects.visible_to(user).filter(pk=org_pk).first() if org_pk else None
    if org:
        qs = qs.in_subtree(org)
        params["org"] = str(org.pk)
    if data.get("kind") in WorkItemKind.values:
        qs = qs.filter(kind=data["kind"])
        params["kind"] = data["kind"]
    step = _int(data.get("step"))
    if step in Step.values:
        qs = qs.filter(step=step)
        params["step"] = str(step)
    qs = qs.annotate(task_count=Count("tasks"))
    return qs, params, org


def annex_tasks(organisation: Organisation, year: int):
    """Tasks of an organisation's own work items of a year, for annex 1 and the letters."""
    tasks = list(
        Task.objects.filter(work_item__organisation=organisation, work_item__year=year)
        .select_related(*TASK_RELATIONS)
        .order_by("work_item__id", "deadline", "id")
    )
    return with_status(tasks)


def assignee_name(task: Task) -> str:
    if task.assignee_org_id:
        return task.assignee_org.name
    if task.assignee_unit_id:
        return task.assignee_unit.full_name
    if task.assignee_person_id:
        return task.assignee_person.name
    return ""


def completion_text(task: Task) -> str:
    if task.completed_on:
        return f"已完成（{task.completed_on:%Y-%m-%d}）"
    if getattr(task, "overdue", False):
        return "逾期未完成"
    return "进行中"


def commitment_text(task: Task) -> str:
    if task.published_on and task.commitment:
        return f"{task.commitment}（{task.published_on:%Y-%m-%d}公开）"
    return "未公开"


ANNEX1_HEADERS = [
    "序号",
    "工作事项",
    "任务（项目）",
    "量化目标",
    "具体措施",
    "承担单位（个人）",
    "责任人",
    "完成时限",
    "发挥作用",
    "公开承诺",
    "完成进度",
    "完成情况",
]


def annex1_rows(tasks) -> list[list]:
    """Annex 1 of seed 001 (学校实行“168”机制年度工作目标分解表), in its column order."""
    return [
        [
            number,
            task.work_item.title,
            task.title,
            task.target,
            task.measures,
            assignee_name(task),
            task.responsible.name,
            task.deadline,
            task.get_role_display(),
            commitment_text(task),
            f"{task.progress}%",
            completion_text(task),
        ]
        for number, task in enumerate(tasks, start=1)
    ]


def letters_by_assignee(tasks) -> list[dict]:
    """One responsibility letter per assignee: its name and its tasks, in first-seen order."""
    letters: dict[tuple, dict] = {}
    for task in tasks:
        key = (
            task.assignee_kind,
            task.assignee_org_id or task.assignee_unit_id or task.assignee_person_id,
        )
        letter = letters.setdefault(
            key,
            {
                "assignee": assignee_name(task),
                "kind": task.get_assignee_kind_display(),
                "tasks": [],
            },
        )
        letter["tasks"].append(task)
    for letter in letters.values():
        letter["responsible"] = "、".join(
            dict.fromkeys(t.responsible.name for t in letter["tasks"])
        )
    return list(letters.values())
