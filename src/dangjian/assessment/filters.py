"""The filters of the assessment lists, shared by each page, its export and the API."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from dangjian.assessment import rules
from dangjian.assessment.models import (
    RESULT_STATES,
    AssessmentRound,
    AssessmentState,
    BranchAssessment,
)
from dangjian.core.filters import IdFilter, ListFilterSet, SearchFilter, YearFilter
from dangjian.org.models import Organisation

FIXED = "fixed"  # the computed state 结果已确定
MAX_ID = 2**63 - 1  # ids are bigints


class RoundFilter(ListFilterSet):
    """考核: the year (the round list page and the API's round list)."""

    year = YearFilter(label="考核年度")

    class Meta:
        model = AssessmentRound
        fields: list[str] = []


class RoundAssessmentFilter(ListFilterSet):
    """The branches of one round (its page and its export): general branch, state (with the
    computed 结果已确定), grade (notified results only) and the branch's name."""

    gb = IdFilter(label="党总支", min_value=1, max_value=MAX_ID, method="filter_general_branch")
    state = django_filters.ChoiceFilter(
        label="状态",
        choices=[*AssessmentState.choices, (FIXED, "结果已确定")],
        method="filter_state",
    )
    grade = django_filters.ChoiceFilter(
        label="等次", choices=[(g, g) for g in rules.GRADES], method="filter_grade"
    )
    q = SearchFilter(fields=["branch__name"], label="党支部名称")

    class Meta:
        model = BranchAssessment
        fields: list[str] = []

    def filter_general_branch(
        self, qs: QuerySet[BranchAssessment], name: str, value: Any
    ) -> QuerySet[BranchAssessment]:
        # The rows are already the user's; the general branch itself need not be in scope (a
        # branch secretary filters by the general branch above their branch).
        path = Organisation.objects.filter(pk=value).values_list("path", flat=True).first()
        return qs.filter(branch__path__startswith=path) if path else qs.none()

    def filter_state(
        self, qs: QuerySet[BranchAssessment], name: str, value: str
    ) -> QuerySet[BranchAssessment]:
        today = timezone.localdate()
        if value == FIXED:
            return qs.filter(
                Q(state=AssessmentState.REVIEWED)
                | Q(state=AssessmentState.NOTIFIED, appeal_due__lt=today)
            )
        if value == AssessmentState.NOTIFIED:
            return qs.filter(state=AssessmentState.NOTIFIED, appeal_due__gte=today)
        return qs.filter(state=value)

    def filter_grade(
        self, qs: QuerySet[BranchAssessment], name: str, value: str
    ) -> QuerySet[BranchAssessment]:
        return qs.filter(grade=value, state__in=RESULT_STATES)
