"""One filter class per list (core.filters), shared by its page, its export and the API."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from dangjian.core.filters import FlagFilter, ListFilterSet, SubtreeFilter
from dangjian.org import selectors
from dangjian.org.models import (
    BranchCategory,
    Organisation,
    OrgKind,
    PartyStatus,
    Person,
    PersonCategory,
    Position,
)
from dangjian.org.rules import MEMBER_STATUSES


class PersonFilter(ListFilterSet):
    """The people list (人员名册), its XLSX export and GET /api/v1/people/.

    The page lists people still on the register unless `inactive` is ticked; the API lists
    everyone unless `inactive=false` is given."""

    q = django_filters.CharFilter(
        method="filter_q",
        max_length=50,
        label="姓名或完整号码",
        help_text=(
            "按完整姓名或姓名开头（如姓氏“王”“欧阳”）、完整的工号/学号、身份证号或手机号搜索；"
            "不支持按姓名中间的字（如只输入名字）查找，以保证百万级名册的查询速度；"
            "号码加密存储，只能完整匹配"
        ),
    )
    status = django_filters.CharFilter(
        method="filter_status",
        label="政治面貌",
        help_text="一个或多个政治面貌，以逗号分隔；member 为全体党员（含预备党员）",
    )
    party_status = django_filters.ChoiceFilter(
        choices=PartyStatus.choices, label="政治面貌", help_text="政治面貌"
    )
    category = django_filters.ChoiceFilter(
        choices=PersonCategory.choices, label="人员类别", help_text="人员类别"
    )
    org = SubtreeFilter("primary_org", help_text="只列出该组织及其下级组织的人员")
    inactive = FlagFilter(
        method="filter_inactive", label="含已出党/转出", help_text="为 false 时只列出在册人员"
    )

    page_defaults = {"inactive": "false"}

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(selectors.person_search_q(value)) if value else queryset

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        statuses = value.split(",")
        if "member" in statuses:
            statuses += list(MEMBER_STATUSES)
        return queryset.filter(party_status__in=statuses)

    def filter_inactive(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset if value else queryset.filter(is_active=True)

    @property
    def shown(self) -> dict[str, Any]:
        """The filters the page's bar shows and its export link carries (the default of
        leaving out people no longer on the register goes without saying)."""
        active = dict(self.active)
        if not self.form.cleaned_data.get("inactive"):
            active.pop("inactive", None)
        return active


class IncludeDissolvedFilter(FlagFilter):
    """Dissolved organisations are left out unless asked for."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        return qs if value else qs.active()


class OrganisationFilter(ListFilterSet):
    """GET /api/v1/organisations/ and an organisation's subtree."""

    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, help_text="组织类型")
    category = django_filters.ChoiceFilter(choices=BranchCategory.choices, help_text="支部类别")
    parent = django_filters.NumberFilter(
        method="filter_parent", min_value=1, help_text="只列出该组织的直接下级"
    )
    q = django_filters.CharFilter(method="filter_q", max_length=100, help_text="按名称搜索")
    include_dissolved = IncludeDissolvedFilter(help_text="为 1 时包括已撤销的组织")

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_parent(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        parent = (
            Organisation.objects.visible_to(self.user)
            .filter(pk=value)
            .values_list("path", "depth")
            .first()
        )
        if parent is None:
            return queryset.none()
        return queryset.filter(path__startswith=parent[0], depth=parent[1] + 1)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class PositionFilter(ListFilterSet):
    """GET /api/v1/positions/."""

    person = django_filters.NumberFilter(min_value=1, help_text="人员编号")
    organisation = django_filters.NumberFilter(min_value=1, help_text="党组织编号")

    class Meta:
        model = Position
        fields: list[str] = []
