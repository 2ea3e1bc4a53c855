"""The filters of the outreach lists, shared by each page, its export and the API.

An organisation out of the user's scope is a 404 on a page and no rows in the API; a value
that does not validate is dropped on a page and a 400 naming the field in the API.
"""

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from dangjian.core.filters import ListFilterSet, SearchFilter, SubtreeFilter
from dangjian.outreach import rules
from dangjian.outreach.models import Contact, FocusGroup, Link, Visit, VisitKind
from dangjian.outreach.selectors import LINK_KIND_CHOICES, pending_follow_ups, status_q


class Choice(django_filters.ChoiceFilter):
    """A choice whose refusal lists the values (as the API's input serializers do)."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        valid = "、".join(str(value) for value, _label in kw["choices"])
        kw.setdefault("error_messages", {"invalid_choice": f"无效的取值“%(value)s”，可选：{valid}"})
        super().__init__(*args, **kw)


def subtree() -> SubtreeFilter:
    return SubtreeFilter("organisation", out_of_scope="empty", page_out_of_scope="404")


def month_of(value: str) -> tuple[int, int] | None:
    """A month written 2026-03, else None."""
    year, _, month = value.partition("-")
    valid = len(value) == 7 and year.isdigit() and month.isdigit()
    if valid and 2000 <= int(year) <= 2100 and 1 <= int(month) <= 12:
        return int(year), int(month)
    return None


class MonthField(forms.CharField):
    """A month as 2026-03 (kept as written, for the page's bar and links)."""

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value and month_of(value) is None:
            raise forms.ValidationError("月份无效，应如 2026-03")
        return value


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        month = month_of(value or "")
        if month is None:
            return qs
        start = date(month[0], month[1], 1)
        return qs.filter(**{f"{self.field_name}__range": (start, rules.month_end(start))})


class OutreachFilterSet(ListFilterSet):
    def without(self, *names: str) -> QuerySet[Any]:
        """The rows with every filter but `names` (a page's totals before one filter)."""
        self.is_valid()
        qs = self.queryset.all()
        for name, value in getattr(self.form, "cleaned_data", {}).items():
            if name not in names and name not in self.form.errors:
                qs = self.filters[name].filter(qs, value)
        return qs


class ContactFilter(ListFilterSet):
    """联系群众 (API)."""

    organisation = subtree()
    member = django_filters.NumberFilter(field_name="member_id")
    active = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull")

    class Meta:
        model = Contact
        fields: list[str] = []


class LinkFilter(ListFilterSet):
    """联系点: the page shows the active ones unless `state` says otherwise."""

    org = subtree()
    organisation = subtree()  # the API's name for `org`
    visitor = django_filters.NumberFilter(field_name="visitor_id")
    kind = Choice(choices=LINK_KIND_CHOICES)
    state = django_filters.CharFilter(method="filter_state", max_length=10)
    active = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull")
    q = SearchFilter(fields=["visitor__name", "target", "unit__name"])

    page_defaults = {"state": "active"}

    class Meta:
        model = Link
        fields: list[str] = []

    @staticmethod
    def state_of(value: str) -> str:
        return value if value in ("ended", "all") else "active"

    def filter_state(self, qs: QuerySet[Link], name: str, value: str) -> QuerySet[Link]:
        state = self.state_of(value)
        if state == "ended":
            return qs.filter(ended_on__isnull=False)
        return qs if state == "all" else qs.filter(ended_on__isnull=True)


class VisitFilter(ListFilterSet):
    """走访记录."""

    org = subtree()
    organisation = subtree()  # the API's name for `org`
    visitor = django_filters.NumberFilter(field_name="visitor_id")
    kind = Choice(choices=VisitKind.choices)
    month = MonthFilter(field_name="visited_on", help_text="如 2026-03")
    follow = Choice(choices=[("needed", "需要回访"), ("pending", "待回访")], method="filter_follow")
    focus = Choice(field_name="focus_group", choices=FocusGroup.choices[1:])
    q = SearchFilter(fields=["visitor__name", "interviewee"])

    class Meta:
        model = Visit
        fields: list[str] = []

    def filter_follow(self, qs: QuerySet[Visit], name: str, value: str) -> QuerySet[Visit]:
        if value == "needed":
            return qs.filter(needs_follow_up=True)
        return pending_follow_ups(qs)


class ComplianceFilter(OutreachFilterSet):
    """三联二访落实情况 of the links annotated for the period containing `on`
    (selectors.with_compliance)."""

    on = django_filters.DateFilter(method="filter_nothing", help_text="期间所含日期，默认今天")
    org = subtree()
    kind = Choice(choices=LINK_KIND_CHOICES)
    status = Choice(choices=list(rules.STATUS_LABELS.items()), method="filter_status")

    class Meta:
        model = Link
        fields: list[str] = []

    def filter_nothing(self, qs: QuerySet[Link], name: str, value: Any) -> QuerySet[Link]:
        return qs  # the period is the queryset's (selectors.with_compliance)

    def filter_status(self, qs: QuerySet[Link], name: str, value: str) -> QuerySet[Link]:
        return qs.filter(status_q(value, timezone.localdate()))


def active_filters(filters: ListFilterSet, *without: str) -> dict[str, Any]:
    """The filters a page shows in its bar and keeps in its links."""
    return {k: v for k, v in filters.active.items() if k not in without}
