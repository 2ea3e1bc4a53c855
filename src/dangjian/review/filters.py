"""The filters of 联述联评联考's lists, shared by each page, its export and the API."""

import django_filters

from dangjian.core.filters import IdFilter, ListFilterSet, SearchFilter, SubtreeFilter, YearFilter
from dangjian.review.models import Level, ReportState, ReviewRound, RoundState, SecretaryReport

MAX_ID = 2**63 - 1


class RoundFilter(ListFilterSet):
    year = YearFilter(label="年度")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="述职对象")
    state = django_filters.ChoiceFilter(choices=RoundState.choices, label="状态")
    org = SubtreeFilter("organisation", label="组织单位（含下级）")

    class Meta:
        model = ReviewRound
        fields: list[str] = []


class ReportFilter(ListFilterSet):
    """述职 of one round or all rounds: state, organisation subtree, secretary or organisation
    name."""

    round = IdFilter(field_name="round", label="轮次", min_value=1, max_value=MAX_ID)
    year = YearFilter(field_name="round__year", label="年度")
    state = django_filters.ChoiceFilter(choices=ReportState.choices, label="状态")
    org = SubtreeFilter("organisation", label="党组织（含下级）")
    q = SearchFilter(fields=["secretary__name", "organisation__name"], label="书记或党组织")

    class Meta:
        model = SecretaryReport
        fields: list[str] = []
