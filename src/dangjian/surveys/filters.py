"""The filters of the survey list, shared by its page, its export and the API."""

import django_filters

from dangjian.core.filters import ListFilterSet, SubtreeFilter, YearFilter
from dangjian.surveys.models import Survey, SurveyKind, SurveyState


def choice_filter(choices: list[tuple[str, str]], label: str) -> django_filters.ChoiceFilter:
    """A choice whose bad value is refused in the API's words (core.serializer_fields)."""
    valid = "、".join(value for value, _label in choices)
    return django_filters.ChoiceFilter(
        choices=choices,
        label=label,
        error_messages={"invalid_choice": f"无效的取值“%(value)s”，可选：{valid}"},
    )


class SurveyFilter(ListFilterSet):
    """民意测评: organisation (with its subtree), kind, state, the year it opens."""

    org = SubtreeFilter("organisation", label="党组织编号（含下级）")
    kind = choice_filter(SurveyKind.choices, "测评类型")
    state = choice_filter(SurveyState.choices, "状态")
    year = YearFilter(field_name="opens_on__year", label="开始日期所在年度")

    class Meta:
        model = Survey
        fields: list[str] = []


class SurveyPageFilter(SurveyFilter):
    """On the page and its export an organisation out of scope is a 404, as an unknown id."""

    org = SubtreeFilter("organisation", out_of_scope="404", label="党组织编号（含下级）")
