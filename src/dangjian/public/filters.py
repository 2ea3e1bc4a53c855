"""The filters of the officers' suggestion list, shared by the page, its export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from dangjian.core.filters import ListFilterSet, SubtreeFilter
from dangjian.public import rules
from dangjian.public.models import Suggestion, SuggestionCategory, SuggestionStatus


class SuggestionFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=SuggestionStatus.choices, label="办理状态")
    category = django_filters.ChoiceFilter(choices=SuggestionCategory.choices, label="类别")
    org = SubtreeFilter("organisation", help_text="党组织（含下级）")
    q = django_filters.CharFilter(
        method="filter_text", label="搜索", help_text="内容、姓名或查询码"
    )

    class Meta:
        model = Suggestion
        fields: list[str] = []

    def filter_text(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        text = (value or "").strip()
        if not text:
            return qs
        return qs.filter(
            Q(content__icontains=text)
            | Q(reply__icontains=text)
            | Q(name__icontains=text)
            | Q(tracking_code=rules.normalise_code(text))
        )

    def qs_without_status(self) -> QuerySet:
        """The rows with every filter but the status (the counts by status)."""
        self.is_valid()
        qs = self.queryset.all()
        for name, value in getattr(self.form, "cleaned_data", {}).items():
            if name != "status":
                qs = self.filters[name].filter(qs, value)
        return qs
