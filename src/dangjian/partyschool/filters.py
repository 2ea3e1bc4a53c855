import django_filters

from dangjian.core.filters import (
    FlagFilter,
    IdFilter,
    ListFilterSet,
    SearchFilter,
    SubtreeFilter,
    YearFilter,
)
from dangjian.orglife.models import Training, TrainingKind
from dangjian.partyschool.models import ClassSession, ExamResult

KINDS = TrainingKind.choices


class ClassFilter(ListFilterSet):
    """The classes (orglife trainings) the Party school lists."""

    org = SubtreeFilter("organisation", label="组织单位（含下级）")
    kind = django_filters.ChoiceFilter(choices=KINDS, label="类别")
    year = YearFilter(field_name="starts_on__year")
    q = SearchFilter(fields=["title"], label="班级名称")

    class Meta:
        model = Training
        fields: list[str] = []


class SessionFilter(ListFilterSet):
    org = SubtreeFilter("training__organisation", label="组织单位（含下级）")
    training = IdFilter(field_name="training_id", label="培训班编号")
    kind = django_filters.ChoiceFilter(field_name="training__kind", choices=KINDS, label="类别")
    year = YearFilter(field_name="held_on__year")
    q = SearchFilter(fields=["topic", "training__title"], label="主题或班级")

    class Meta:
        model = ClassSession
        fields: list[str] = []


class ResultFilter(ListFilterSet):
    org = SubtreeFilter("training__organisation", label="组织单位（含下级）")
    training = IdFilter(field_name="training_id", label="培训班编号")
    kind = django_filters.ChoiceFilter(field_name="training__kind", choices=KINDS, label="类别")
    passed = FlagFilter(field_name="passed", label="合格")
    year = YearFilter(field_name="taken_on__year")
    q = SearchFilter(fields=["person__name", "training__title"], label="姓名或班级")

    class Meta:
        model = ExamResult
        fields: list[str] = []
