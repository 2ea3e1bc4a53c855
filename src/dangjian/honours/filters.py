import django_filters

from dangjian.core.filters import IdFilter, ListFilterSet, SearchFilter, SubtreeFilter
from dangjian.honours.models import (
    Category,
    ModelUnit,
    Nomination,
    NominationState,
    UnitKind,
    UnitState,
)


class NominationFilter(ListFilterSet):
    round = IdFilter("round", label="评选表彰")
    org = SubtreeFilter("organisation", label="党组织（含下级）")
    category = django_filters.ChoiceFilter(choices=Category.choices, label="类别")
    state = django_filters.ChoiceFilter(choices=NominationState.choices, label="状态")
    q = SearchFilter(fields=["person__name", "organisation__name"], label="姓名或党组织")

    class Meta:
        model = Nomination
        fields: list[str] = []


class ModelUnitFilter(ListFilterSet):
    org = SubtreeFilter("organisation", label="培育单位（含下级）")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label="类型")
    state = django_filters.ChoiceFilter(choices=UnitState.choices, label="状态")
    q = SearchFilter(
        fields=["organisation__name", "feature", "leader__name"], label="单位、类别或联系领导"
    )

    class Meta:
        model = ModelUnit
        fields: list[str] = []
