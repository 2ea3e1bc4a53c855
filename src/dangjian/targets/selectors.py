"""Scoped reads of target management: lists, filters, step facts, the audit trail, annexes."""

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Organisation
from dangjian.targets import rules
from dangjian.targets.models import (
    Decision,
    Evaluation,
    Opinion,
    OpinionHandling,
    Task,
    TaskProgress,
    WorkItem,
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


def workitem_events(item: WorkItem, limit: int = 100) -> QuerySet[AuditEvent]:
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


def with_status(tasks: list[Task], today: date | None = None) -> list[Task]:
    """Attach `status` and `overdue` to each task (rows already loaded)."""
    today = today or timezone.localdate()
    for task in tasks:
        status = rules.task_status(task.deadline, task.completed_on, today)
        setattr(task, "status", status)  # noqa: B010 (a loaded row's display attribute)
        setattr(task, "overdue", status == rules.STATUS_OVERDUE)  # noqa: B010
    return tasks


def filter_by_status(qs: QuerySet[Task], status: str, today: date | None = None) -> QuerySet[Task]:
    today = today or timezone.localdate()
    if status == rules.STATUS_DONE:
        return qs.filter(completed_on__isnull=False)
    if status == rules.STATUS_OVERDUE:
        return qs.filter(completed_on__isnull=True, deadline__lt=today)
    if status == rules.STATUS_OPEN:
        return qs.filter(completed_on__isnull=True, deadline__gte=today)
    return qs


def tasks(user: User) -> QuerySet[Task]:
    return Task.objects.visible_to(user).select_related(*TASK_RELATIONS)


def workitems(user: User) -> QuerySet[WorkItem]:
    return (
        WorkItem.objects.visible_to(user)
        .select_related("organisation", "plan")
        .annotate(task_count=Count("tasks"))
    )


def annex_tasks(organisation: Organisation, year: int) -> list[Task]:
    """Tasks of an organisation's own work items of a year, for annex 1 and the letters."""
    tasks = list(
        Task.objects.filter(work_item__organisation=organisation, work_item__year=year)
        .select_related(*TASK_RELATIONS)
        .order_by("work_item__id", "deadline", "id")
    )
    return with_status(tasks)


def assignee_name(task: Task) -> str:
    if task.assignee_org is not None:
        return task.assignee_org.name
    if task.assignee_unit is not None:
        return task.assignee_unit.full_name
    if task.assignee_person is not None:
        return task.assignee_person.name
    return ""


def letters_by_assignee(tasks: list[Task]) -> list[dict[str, Any]]:
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
