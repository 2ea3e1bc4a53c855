import django_filters

from dangjian.core.filters import ListFilterSet, SearchFilter, SubtreeFilter, YearFilter
from dangjian.finance.models import DuesPayment, DuesStandard, FundEntry, FundKind, PaymentState


class FundEntryFilter(ListFilterSet):
    org = SubtreeFilter("organisation", label="党组织（含下级）")
    year = YearFilter()
    kind = django_filters.ChoiceFilter(choices=FundKind.choices, label="类别")
    q = SearchFilter(fields=["summary"], label="摘要")

    class Meta:
        model = FundEntry
        fields: list[str] = []


class DuesStandardFilter(ListFilterSet):
    org = SubtreeFilter("organisation", label="党组织（含下级）")
    year = YearFilter()

    class Meta:
        model = DuesStandard
        fields: list[str] = []


class DuesPaymentFilter(ListFilterSet):
    org = SubtreeFilter("organisation", label="党组织（含下级）")
    year = YearFilter()
    month = django_filters.NumberFilter(min_value=1, max_value=12, label="月份")
    state = django_filters.ChoiceFilter(choices=PaymentState.choices, label="状态")

    class Meta:
        model = DuesPayment
        fields: list[str] = []
