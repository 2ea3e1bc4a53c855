import django_filters
from django.utils import timezone

from dangjian.core.filters import FlagFilter, ListFilterSet, SearchFilter, SubtreeFilter
from dangjian.elections import selectors
from dangjian.elections.models import Election, ElectionState
from dangjian.org.models import OrgKind, Term

ELECTED_KIND_CHOICES = [
    (OrgKind.COMMITTEE, "党委"),
    (OrgKind.GENERAL_BRANCH, "党总支"),
    (OrgKind.BRANCH, "党支部"),
]


class ElectionFilter(ListFilterSet):
    org = SubtreeFilter("organisation", label="党组织（含下级）")
    state = django_filters.ChoiceFilter(choices=ElectionState.choices, label="状态")
    open = FlagFilter(method="filter_open", label="正在进行")
    q = SearchFilter(fields=["organisation__name"], label="党组织名称")

    class Meta:
        model = Election
        fields: list[str] = []

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        open_ = Election.objects.open().values("pk")
        return qs.filter(pk__in=open_) if value else qs.exclude(pk__in=open_)


class TermFilter(ListFilterSet):
    org = SubtreeFilter("organisation", label="党组织（含下级）")
    kind = django_filters.ChoiceFilter(
        field_name="organisation__kind", choices=ELECTED_KIND_CHOICES, label="组织类别"
    )
    due = FlagFilter(method="filter_due", label="三个月内届满或已届满")
    expired = FlagFilter(method="filter_expired", label="已届满")
    q = SearchFilter(fields=["organisation__name"], label="党组织名称")

    class Meta:
        model = Term
        fields: list[str] = []

    def filter_due(self, qs, name, value):
        if value is None:
            return qs
        q = selectors.due_q(timezone.localdate())
        return qs.filter(q) if value else qs.exclude(q)

    def filter_expired(self, qs, name, value):
        if value is None:
            return qs
        q = selectors.expired_q(timezone.localdate())
        return qs.filter(q) if value else qs.exclude(q)
