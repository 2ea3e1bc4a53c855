"""The filters of the development board, shared by the page, its export and the API."""

import django_filters
from django.db.models import QuerySet

from dangjian.core.filters import ListFilterSet, SubtreeFilter
from dangjian.development.models import OPEN_STATUSES, Case, CaseStatus, Stage

OPEN, ALL = "open", "all"


class CaseFilter(ListFilterSet):
    """The board: an organisation's subtree (out of scope: ignored on the page, 404 in the API),
    a status ("open" by default on the page, "all"), a step."""

    org = SubtreeFilter("organisation", out_of_scope="404", page_out_of_scope="ignore")
    # The API's name for `org` (kept for its clients).
    organisation = SubtreeFilter(
        "organisation", out_of_scope="404", page_out_of_scope="ignore", label="党组织（同 org）"
    )
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, "办理中"), *CaseStatus.choices, (ALL, "全部")],
        method="filter_status",
        label="状态",
    )
    stage = django_filters.TypedChoiceFilter(choices=Stage.choices, coerce=int, label="当前步骤")

    page_defaults = {"status": OPEN}

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_status(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == OPEN:
            return qs.filter(status__in=OPEN_STATUSES)
        if value in CaseStatus.values:
            return qs.filter(status=value)
        return qs

    def without(self, *names: str) -> QuerySet[Case]:
        """The rows with every filter but `names` (the board counts steps before the step)."""
        self.is_valid()
        qs = self.queryset.all()
        for name, value in getattr(self.form, "cleaned_data", {}).items():
            if name not in names and name not in self.form.errors:
                qs = self.filters[name].filter(qs, value)
        return qs
