import django_filters
from django.utils import timezone

from dangjian.core.filters import FlagFilter, ListFilterSet, SearchFilter, SubtreeFilter
from dangjian.membership import selectors
from dangjian.membership.models import AwayKind, MemberAway


class MemberAwayFilter(ListFilterSet):
    org = SubtreeFilter("person__primary_org", label="党组织（含下级）")
    kind = django_filters.ChoiceFilter(choices=AwayKind.choices, label="外出类别")
    away = FlagFilter(method="filter_away", label="尚未返回")
    lapsed = FlagFilter(method="filter_lapsed", label="联系已超期")
    q = SearchFilter(fields=["person__name", "place"], label="姓名或去向")

    class Meta:
        model = MemberAway
        fields: list[str] = []

    def filter_away(self, qs, name, value):
        return qs if value is None else qs.filter(returned_on__isnull=value)

    def filter_lapsed(self, qs, name, value):
        if value is None:
            return qs
        lapsed = selectors.contact_lapsed_q(timezone.localdate())
        return qs.filter(lapsed) if value else qs.exclude(lapsed)
