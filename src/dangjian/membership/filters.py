import django_filters
from django.db.models import Q
from django.utils import timezone

from dangjian.core.filters import (
    FlagFilter,
    IdFilter,
    ListFilterSet,
    SearchFilter,
    SubtreeFilter,
    YearFilter,
)
from dangjian.membership import selectors
from dangjian.membership.models import (
    OPEN_STATES,
    AwayContact,
    AwayKind,
    ContactWay,
    MemberAway,
    Transfer,
    TransferKind,
    TransferState,
)


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


class AwayContactFilter(ListFilterSet):
    org = SubtreeFilter("away__person__primary_org", label="党组织（含下级）")
    away = IdFilter(field_name="away", label="外出登记")
    way = django_filters.ChoiceFilter(choices=ContactWay.choices, label="联系方式")
    year = YearFilter(field_name="contacted_on", lookup_expr="year", label="年度")
    q = SearchFilter(fields=["away__person__name", "content"], label="姓名或内容")

    class Meta:
        model = AwayContact
        fields: list[str] = []


class EitherEndFilter(SubtreeFilter):
    """Transfers whose origin or destination lies under an organisation the user sees."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        org = self.organisation(qs, value)
        if org is None:
            return qs.none()
        return qs.filter(
            Q(origin_org__path__startswith=org.path) | Q(destination_org__path__startswith=org.path)
        )


class TransferFilter(ListFilterSet):
    org = EitherEndFilter("origin_org", label="党组织（含下级，转出或转入）")
    kind = django_filters.ChoiceFilter(choices=TransferKind.choices, label="转接类型")
    state = django_filters.ChoiceFilter(choices=TransferState.choices, label="状态")
    open = FlagFilter(method="filter_open", label="尚未办结")
    overdue = FlagFilter(method="filter_overdue", label="回执超期未返回")
    q = SearchFilter(
        fields=["person__name", "letter_number", "origin_text", "destination_text"],
        label="姓名、介绍信编号或单位",
    )

    class Meta:
        model = Transfer
        fields: list[str] = []

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(state__in=OPEN_STATES) if value else qs.exclude(state__in=OPEN_STATES)

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        overdue = selectors.slip_overdue_q(timezone.localdate())
        return qs.filter(overdue) if value else qs.exclude(overdue)
