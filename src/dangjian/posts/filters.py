"""The filters of each posts list, shared by its page, its export and its API list.

Pages name the organisation `org` (their links and bookmarks), the API `organisation`: both
are the same subtree filter. A page ignores an organisation out of the user's scope, as it
always did; the API lists no rows for it. A bad value leaves the page unfiltered by it and is
a 400 in the API.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django_filters.widgets import BooleanWidget

from dangjian.core.filters import ListFilterSet, SearchFilter, SubtreeFilter, YearFilter
from dangjian.posts.models import Commitment, DutyCheck, DutyCheckKind, DutyRecord, Post, PostState
from dangjian.posts.rules import month_bounds
from dangjian.posts.selectors import this_year

MONTH = RegexValidator(r"^\d{4}-\d{2}$", "请按“2026-03”的格式填写月份。")


class IdFilter(django_filters.NumberFilter):
    """A row id (a whole number)."""

    field_class = forms.IntegerField


class PageFilterSet(ListFilterSet):
    """A list's filters with what its page shows: the values in force and counts by one field."""

    @property
    def values(self) -> dict[str, Any]:
        """The valid values in force, as Python values (for the filter bar)."""
        self.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        return {name: cleaned[name] for name in self.active if name in cleaned}

    def qs_without(self, *names: str) -> QuerySet:
        """The rows with every filter but `names` (e.g. the counts by state)."""
        self.is_valid()
        qs = self.queryset.all()
        for name, value in getattr(self.form, "cleaned_data", {}).items():
            if name not in names:
                qs = self.filters[name].filter(qs, value)
        return qs


class PostFilter(PageFilterSet):
    year = YearFilter()
    org = SubtreeFilter("organisation", page_out_of_scope="ignore")
    organisation = SubtreeFilter("organisation", help_text="党组织编号（含下级）")
    state = django_filters.ChoiceFilter(choices=PostState.choices, label="状态")
    post_type = IdFilter(field_name="post_type_id", label="岗位")
    holder = IdFilter(field_name="holder_id", label="履岗党员")
    q = SearchFilter(fields=["name", "holder__name"], label="岗位或姓名")

    class Meta:
        model = Post
        fields: list[str] = []


class DutyRecordFilter(PageFilterSet):
    org = SubtreeFilter("organisation", page_out_of_scope="ignore")
    organisation = SubtreeFilter("organisation", help_text="党组织编号（含下级）")
    person = IdFilter(field_name="person_id", label="党员")
    month = django_filters.CharFilter(
        method="filter_month", validators=[MONTH], label="月份", help_text="如 2026-03"
    )
    checked = django_filters.BooleanFilter(
        method="filter_checked", widget=BooleanWidget, label="已检查"
    )
    q = SearchFilter(fields=["person__name", "content"], label="姓名或内容")

    class Meta:
        model = DutyRecord
        fields: list[str] = []

    def filter_month(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        year, month = int(value[:4]), int(value[5:])
        if not 1 <= month <= 12:
            return qs
        return qs.filter(occurred_on__range=month_bounds(year, month))

    def filter_checked(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(duty_check__isnull=not value)


class DutyCheckFilter(PageFilterSet):
    org = SubtreeFilter("organisation", page_out_of_scope="ignore")
    organisation = SubtreeFilter("organisation", help_text="党组织编号（含下级）")
    kind = django_filters.ChoiceFilter(choices=DutyCheckKind.choices, label="检查类型")

    class Meta:
        model = DutyCheck
        fields: list[str] = []


class CommitmentFilter(PageFilterSet):
    # The page shows this year's letters unless told otherwise; the API every year.
    page_defaults = {"year": this_year}

    year = YearFilter()
    org = SubtreeFilter("organisation", page_out_of_scope="ignore")
    organisation = SubtreeFilter("organisation", help_text="党组织编号（含下级）")
    published = django_filters.BooleanFilter(
        method="filter_published", widget=BooleanWidget, label="已公开"
    )

    class Meta:
        model = Commitment
        fields: list[str] = []

    def filter_published(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(published_on__isnull=not value)
