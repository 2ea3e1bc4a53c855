"""The filters of each list, shared by its page, its export and its API (core.filters)."""

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from dangjian.core.filters import IdFilter, ListFilterSet, SearchFilter, SubtreeFilter, YearFilter
from dangjian.orglife import rules
from dangjian.orglife.models import Meeting, MeetingKind, MeetingState, StudyRecord, Training


class MonthField(forms.RegexField):
    """A month as 2026-03 (the page's month picker, the API's `month`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(r"^\d{4}-\d{2}$", **kwargs)

    def clean(self, value: Any) -> date | None:
        value = super().clean(value)
        if not value:
            return None
        year, month = (int(part) for part in value.split("-"))
        if not 1 <= month <= 12:
            raise forms.ValidationError("月份无效")
        return date(year, month, 1)


@extend_schema_field(OpenApiTypes.STR)
class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs: QuerySet[Any], value: date | None) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(held_on__range=rules.period_bounds(rules.MONTH, value))


class MeetingFilter(ListFilterSet):
    """组织生活列表: the page calls the organisation `org` and ignores one out of scope; the
    API calls it `organisation` and answers 404."""

    org = SubtreeFilter(out_of_scope="404", page_out_of_scope="ignore")
    organisation = SubtreeFilter(out_of_scope="404", help_text="党组织编号（含下级）")
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label="类型")
    state = django_filters.ChoiceFilter(choices=MeetingState.choices, label="状态")
    month = MonthFilter(label="月份", help_text="月份，如 2026-03")
    q = SearchFilter(fields=["topic"], label="主题")

    class Meta:
        model = Meeting
        fields: list[str] = []

    @property
    def active(self) -> dict[str, Any]:
        # The page's bar and links show the month as it was typed (2026-03).
        values = super().active
        if isinstance(values.get("month"), date):
            values["month"] = values["month"].strftime("%Y-%m")
        return values


class TrainingFilter(ListFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Training._meta.get_field("kind").choices, label="类型"
    )

    class Meta:
        model = Training
        fields: list[str] = []


class StudyRecordFilter(ListFilterSet):
    person = IdFilter(field_name="person_id", label="人员编号")
    year = YearFilter(field_name="studied_on__year")

    class Meta:
        model = StudyRecord
        fields: list[str] = []
