"""GET /api/v1/statistics/ (core.filters)."""

import django_filters

from dangjian.core.filters import ListFilterSet
from dangjian.statistics.models import StatisticsRun


class StatisticsRunFilter(ListFilterSet):
    organisation = django_filters.NumberFilter(min_value=1, help_text="党组织编号")
    cut_off = django_filters.DateFilter(help_text="统计截止日期")
    state = django_filters.ChoiceFilter(choices=StatisticsRun.State.choices, help_text="状态")

    class Meta:
        model = StatisticsRun
        fields: list[str] = []
