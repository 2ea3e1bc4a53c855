"""The filters of the branches app's lists, one class per list, shared by the page, its export
and the API (core.filters)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from dangjian.branches.models import RectificationItem
from dangjian.branches.selectors import ITEM_FILTERS, status_q
from dangjian.core.filters import ListFilterSet, SearchFilter, SubtreeFilter, YearFilter

MAX_ID = 2**31 - 1  # ids in filters: a larger number does not validate (no database overflow)


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number from 1 to MAX_ID."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("min_value", 1)
        kw.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kw)


class ItemFilter(ListFilterSet):
    """整改事项: by plan, organisation (with those below it), year, situation and text."""

    plan = IdFilter(field_name="plan_id", label="整改提高方案编号")
    organisation = SubtreeFilter(
        "plan__branch", label="党组织编号（含下级）", min_value=1, max_value=MAX_ID
    )
    year = YearFilter(field_name="plan__year")  # 2000–2100: rules.FIRST_YEAR..LAST_YEAR
    status = django_filters.ChoiceFilter(
        label="情况", choices=list(ITEM_FILTERS.items()), method="filter_status"
    )
    q = SearchFilter(fields=["problem", "measures", "responsible__name"], max_length=200)

    class Meta:
        model = RectificationItem
        fields: list[str] = []

    def filter_status(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs.filter(status_q(value, timezone.localdate())) if value else qs


class ItemPageFilter(ItemFilter):
    """The page and its export: the organisation is `org` (out of scope → 404), and the year is
    this year unless another (or all years, "") is asked for."""

    org = SubtreeFilter(
        "plan__branch", out_of_scope="404", label="党组织", min_value=1, max_value=MAX_ID
    )
    page_defaults = {"year": lambda: timezone.localdate().year}

    class Meta(ItemFilter.Meta):
        pass
