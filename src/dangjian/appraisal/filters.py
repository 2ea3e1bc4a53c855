"""One filter class per list of member duty evaluation, shared by the page, its export and the
API (core.filters). Ids and years out of range are a 400 in the API in DRF's wording."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from dangjian.appraisal.models import (
    BranchRating,
    CycleKind,
    CycleState,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    HonourKind,
    MemberRectification,
    RectificationState,
    SelfReport,
)
from dangjian.core.filters import FlagWidget, ListFilterSet, SubtreeFilter

ID_MAX = 2_147_483_647
# The API's wording for a number out of range (as DRF words it), on pages unseen.
RANGE_MESSAGES = {
    "min_value": "请确保该值大于或等于 %(limit_value)s。",
    "max_value": "请确保该值小于或等于 %(limit_value)s。",
}


def id_filter(field_name: str, label: str) -> django_filters.NumberFilter:
    """A row id (bounded: SQLite cannot bind an integer beyond 64 bits)."""
    return django_filters.NumberFilter(
        field_name=field_name,
        label=label,
        min_value=1,
        max_value=ID_MAX,
        error_messages=RANGE_MESSAGES,
    )


def year_filter(field_name: str = "year") -> django_filters.NumberFilter:
    """A calendar year between 2000 and 2100."""
    return django_filters.NumberFilter(
        field_name=field_name,
        label="年度",
        min_value=2000,
        max_value=2100,
        error_messages=RANGE_MESSAGES,
    )


class CycleFilter(ListFilterSet):
    year = year_filter()
    kind = django_filters.ChoiceFilter(choices=CycleKind.choices, label="考评类型")
    state = django_filters.ChoiceFilter(choices=CycleState.choices, label="状态")

    class Meta:
        model = EvaluationCycle
        fields: list[str] = []


class ResultFilter(ListFilterSet):
    """考评结果 in the API (the results table of one cycle filters in selectors.results_table)."""

    cycle = id_filter("cycle_id", "考评编号")
    organisation = SubtreeFilter(
        "organisation",
        label="党组织编号（含下级）",
        min_value=1,
        max_value=ID_MAX,
        error_messages=RANGE_MESSAGES,
    )
    grade = django_filters.CharFilter(label="等次，如 优秀")

    class Meta:
        model = EvaluationResult
        fields: list[str] = []


class SelfReportFilter(ListFilterSet):
    cycle = id_filter("cycle_id", "考评编号")

    class Meta:
        model = SelfReport
        fields: list[str] = []


class RatingFilter(ListFilterSet):
    cycle = id_filter("cycle_id", "考评编号")
    ratee = id_filter("ratee_id", "被评定党员编号")

    class Meta:
        model = BranchRating
        fields: list[str] = []


class HonourFilter(ListFilterSet):
    year = year_filter()
    kind = django_filters.ChoiceFilter(choices=HonourKind.choices, label="荣誉")
    person = id_filter("person_id", "党员编号")

    class Meta:
        model = Honour
        fields: list[str] = []


STATUS_CHOICES = [("open", "未完成"), ("overdue", "已逾期"), *RectificationState.choices]


class RectificationFilter(ListFilterSet):
    """The page filters by `status` (未完成, 已逾期 or a state); the API by `state` and
    `overdue`."""

    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label="状态"
    )
    state = django_filters.ChoiceFilter(choices=RectificationState.choices, label="整改状态")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", widget=FlagWidget, label="已逾期"
    )

    class Meta:
        model = MemberRectification
        fields: list[str] = []

    def filter_status(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == "open":
            return qs.unfinished()  # type: ignore[attr-defined]
        if value == "overdue":
            return self.filter_overdue(qs, name, True)
        return qs.filter(state=value)

    def filter_overdue(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return qs
        return qs.unfinished().filter(deadline__lt=timezone.localdate())  # type: ignore[attr-defined]
