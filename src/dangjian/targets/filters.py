"""One filter class per list of target management, shared by the page, its export and the
API (core.filters)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from dangjian.core.filters import FlagWidget, ListFilterSet, SearchFilter, SubtreeFilter, YearFilter
from dangjian.core.scoping import scope_for
from dangjian.targets import selectors
from dangjian.targets.models import (
    AnnualPlan,
    AssigneeKind,
    LongTermGoal,
    Role,
    Step,
    Task,
    WorkItem,
    WorkItemKind,
)

ID_MAX = 2_147_483_647
STATUS_CHOICES = [(value, label) for value, label in selectors.TASK_STATUSES if value]


def work_item_filter(field_name: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(
        field_name=field_name, label="工作事项编号", min_value=1, max_value=ID_MAX
    )


class PlanFilter(ListFilterSet):
    org = SubtreeFilter("organisation", label="只列出该组织及其下级组织的记录")
    year = YearFilter(field_name="year")

    class Meta:
        model = AnnualPlan
        fields: list[str] = []


class GoalFilter(ListFilterSet):
    org = SubtreeFilter("organisation", label="只列出该组织及其下级组织的记录")
    achieved = django_filters.BooleanFilter(
        method="filter_achieved", widget=FlagWidget, label="1 已实现，0 争创中"
    )

    class Meta:
        model = LongTermGoal
        fields: list[str] = []

    def filter_achieved(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        return qs if value is None else qs.filter(achieved_on__isnull=not value)


class WorkItemFilter(ListFilterSet):
    org = SubtreeFilter(
        "organisation", page_out_of_scope="ignore", label="只列出该组织及其下级组织的记录"
    )
    year = YearFilter(field_name="year")
    kind = django_filters.ChoiceFilter(choices=WorkItemKind.choices, label="类别")
    step = django_filters.ChoiceFilter(choices=Step.choices, label="当前步骤")
    q = SearchFilter(fields=["title"], label="名称")

    class Meta:
        model = WorkItem
        fields: list[str] = []


class RecordFilter(ListFilterSet):
    """The records of one step (opinions, decisions, evaluations) of a work item."""

    work_item = work_item_filter("work_item_id")


class TaskFilter(ListFilterSet):
    org = SubtreeFilter(
        "work_item__organisation",
        page_out_of_scope="ignore",
        label="只列出该组织及其下级组织的记录",
    )
    year = YearFilter(field_name="work_item__year")
    work_item = work_item_filter("work_item_id")
    role = django_filters.ChoiceFilter(choices=Role.choices, label="发挥作用")
    assignee_kind = django_filters.ChoiceFilter(choices=AssigneeKind.choices, label="承担方类别")
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES,
        method="filter_status",
        label="open 进行中，overdue 已逾期，done 已完成",
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine", widget=FlagWidget, label="为 1 时只列出本人为责任人的任务"
    )

    class Meta:
        model = Task
        fields: list[str] = []

    def filter_status(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.filter_by_status(qs, value)

    def filter_mine(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return qs
        return qs.filter(responsible_id=scope_for(self.user).person_id)
