"""API serializers of the branches app. Output serializers shape responses; input serializers
validate a payload the view hands to a service. Choices are plain strings with their Chinese
label beside them (`*_display`), listed in the help text."""

from decimal import Decimal

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangjian.branches import rules
from dangjian.branches.models import (
    MAX_MEMBERS,
    BranchGrading,
    Criterion,
    CriterionGroup,
    Grade,
    GradingScore,
    GradingStandard,
    GradingState,
    GradingYear,
    PlanSource,
    PlanState,
    RectificationItem,
    RectificationPlan,
    Round,
)
from dangjian.core.serializer_fields import (
    ChoiceLabel,
    ChoiceString,
    RecordSerializer,
    VisiblePrimaryKeyField,
    choices_help,
)
from dangjian.org.models import Organisation, Person
from dangjian.orglife.models import Meeting

GRADE_HELP = choices_help(Grade.choices)
MAX_ID = 2**31 - 1  # ids in filters: a larger number is a 400, not a database overflow


class YearFilter(serializers.IntegerField):
    """An optional year in a query string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=rules.FIRST_YEAR, max_value=rules.LAST_YEAR, **kwargs)


class IdFilter(serializers.IntegerField):
    """An optional id in a query string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


# --- standards ------------------------------------------------------------------------------


class BranchesCriterionSerializer(RecordSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "order", "group", "group_display", "name", "guidance", "points"]
        read_only_fields = fields


class BranchesStandardSerializer(RecordSerializer):
    bands = serializers.JSONField(
        read_only=True,
        help_text="等次分数线：[[分数, 等次], …]，依次为先进、较好、一般；更低为后进",
    )
    bands_text = serializers.CharField(read_only=True)
    criteria = BranchesCriterionSerializer(many=True, read_only=True)

    class Meta:
        model = GradingStandard
        fields = [
            "id",
            "name",
            "applies_to",
            "applies_to_display",
            "bands",
            "bands_text",
            "is_active",
            "note",
            "criteria",
        ]
        read_only_fields = fields


class BranchesCriterionInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="已有评分项目的编号；不填为新增"
    )
    order = serializers.IntegerField(required=False, min_value=1, max_value=99)
    group = ChoiceString(CriterionGroup.choices)
    name = serializers.CharField(max_length=60)
    guidance = serializers.CharField(required=False, allow_blank=True, default="")
    points = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=Decimal("0.5"), max_value=100
    )


class BranchesStandardUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, required=False)
    bands = serializers.JSONField(
        required=False, help_text='如 [[90, "先进"], [75, "较好"], [60, "一般"]]'
    )
    is_active = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    criteria = BranchesCriterionInputSerializer(
        many=True, required=False, help_text="全部评分项目（整体替换，分值合计100）"
    )


# --- grading years --------------------------------------------------------------------------


class BranchesGradingYearSerializer(RecordSerializer):
    class Meta:
        model = GradingYear
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "year",
            "theme",
            *rules.TIMELINE_KEYS,
        ]
        read_only_fields = fields


class BranchesGradingYearUpdateSerializer(serializers.Serializer):
    theme = serializers.CharField(max_length=60, required=False)
    plans_due = serializers.DateField(
        required=False, help_text="实施方案、活动计划截止（默认3月29日）"
    )
    grading_due = serializers.DateField(required=False, help_text="分类定级截止（默认3月30日）")
    restructure_from = serializers.DateField(required=False, help_text="默认4月1日")
    restructure_to = serializers.DateField(required=False, help_text="默认5月31日")
    rectification_plans_due = serializers.DateField(
        required=False, help_text="整改提高方案截止（默认5月31日）"
    )
    regrading_from = serializers.DateField(required=False, help_text="默认6月1日")
    regrading_to = serializers.DateField(required=False, help_text="默认10月31日")
    items_due = serializers.DateField(required=False, help_text="整改事项完成截止（默认12月31日）")
    review_from = serializers.DateField(required=False, help_text="默认11月1日")
    review_to = serializers.DateField(required=False, help_text="默认12月31日")


class BranchesGradingYearCreateSerializer(BranchesGradingYearUpdateSerializer):
    organisation = VisiblePrimaryKeyField(Organisation, help_text="党委（或党总支）编号")
    year = serializers.IntegerField(min_value=rules.FIRST_YEAR, max_value=rules.LAST_YEAR)


# --- gradings -------------------------------------------------------------------------------


class BranchesScoreSerializer(RecordSerializer):
    """A score with the criterion as it was scored against: a decided grading keeps the name,
    group, guidance and points of the day it was graded; a draft's follow the standard."""

    criterion_name = serializers.CharField(source="name", read_only=True)

    class Meta:
        model = GradingScore
        fields = [
            "criterion",
            "order",
            "criterion_name",
            "group",
            "group_display",
            "points",
            "guidance",
            "score",
            "finding",
        ]
        read_only_fields = fields


class BranchesGradingSerializer(RecordSerializer):
    year = serializers.IntegerField(source="grading_year.year", read_only=True)
    self_grade = serializers.CharField(read_only=True, help_text=GRADE_HELP)
    suggested_grade = serializers.CharField(read_only=True, help_text=GRADE_HELP)
    suggested_grade_display = ChoiceLabel("suggested_grade")
    grade = serializers.CharField(read_only=True, help_text=GRADE_HELP)
    graded_by_name = serializers.SerializerMethodField()
    standard_name = serializers.CharField(
        read_only=True, help_text="评分参考标准名称（已定级的为定级时的名称）"
    )
    bands = serializers.JSONField(
        read_only=True,
        help_text="等次分数线 [[分数, 等次], …]：已定级的为定级时的分数线，调查中的为现行标准的",
    )
    bands_text = serializers.CharField(read_only=True)
    scores = BranchesScoreSerializer(many=True, read_only=True)

    class Meta:
        model = BranchGrading
        fields = [
            "id",
            "grading_year",
            "year",
            "branch",
            "branch_name",
            "round",
            "round_display",
            "standard",
            "standard_name",
            "bands",
            "bands_text",
            "members_count",
            "committee_complete",
            "committee_note",
            "activity_room_area",
            "annual_assessment",
            "problems",
            "self_grade",
            "masses_opinion",
            "total",
            "suggested_grade",
            "suggested_grade_display",
            "grade",
            "grade_display",
            "decision_reason",
            "graded_by_name",
            "graded_on",
            "state",
            "state_display",
            "scores",
        ]
        read_only_fields = fields

    def get_graded_by_name(self, obj) -> str | None:
        return str(obj.graded_by) if obj.graded_by_id else None


class BranchesGradingCreateSerializer(serializers.Serializer):
    grading_year = VisiblePrimaryKeyField(GradingYear, help_text="年度分类定级编号")
    branch = VisiblePrimaryKeyField(Organisation, help_text="党支部编号")
    round = ChoiceString(Round.choices, required=False, default=Round.INITIAL)


class BranchesGradingFilterSerializer(serializers.Serializer):
    grading_year = IdFilter()
    year = YearFilter()
    branch = IdFilter()
    round = ChoiceString(Round.choices, required=False)
    state = ChoiceString(GradingState.choices, required=False)
    grade = ChoiceString(Grade.choices, required=False)


class BranchesScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="评分项目编号")
    score = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, required=False, help_text="0至分值"
    )
    finding = serializers.CharField(required=False, allow_blank=True, help_text="存在问题及情况")


class BranchesSurveySerializer(serializers.Serializer):
    scores = BranchesScoreInputSerializer(many=True, required=False)
    members_count = serializers.IntegerField(required=False, min_value=0, max_value=MAX_MEMBERS)
    committee_complete = serializers.BooleanField(required=False)
    committee_note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    activity_room_area = serializers.DecimalField(
        max_digits=7, decimal_places=1, required=False, allow_null=True, min_value=0
    )
    annual_assessment = serializers.CharField(max_length=200, required=False, allow_blank=True)
    problems = serializers.CharField(required=False, allow_blank=True)
    self_grade = ChoiceString(Grade.choices, required=False, allow_blank=True)
    masses_opinion = serializers.CharField(required=False, allow_blank=True)


class BranchesDecideSerializer(serializers.Serializer):
    grade = ChoiceString(Grade.choices)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="与建议等次不同时必填"
    )
    graded_on = serializers.DateField(
        required=False, allow_null=True, help_text="定级日期（会议决定后补录时填写；默认今天）"
    )


class BranchesReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


# --- rectification plans --------------------------------------------------------------------


class BranchesItemSerializer(RecordSerializer):
    branch = serializers.IntegerField(source="plan.branch_id", read_only=True)
    branch_name = serializers.CharField(source="plan.branch.name", read_only=True)
    year = serializers.IntegerField(source="plan.year", read_only=True)
    status = serializers.SerializerMethodField(
        help_text=choices_help(list(rules.ITEM_STATUS_LABELS.items()))
    )
    status_display = serializers.SerializerMethodField()

    class Meta:
        model = RectificationItem
        fields = [
            "id",
            "plan",
            "branch",
            "branch_name",
            "year",
            "order",
            "problem",
            "measures",
            "responsible",
            "responsible_name",
            "deadline",
            "long_term",
            "state",
            "status",
            "status_display",
            "done_on",
            "result",
            "verified_on",
            "verify_note",
        ]
        read_only_fields = fields

    def get_status(self, obj) -> str:
        return obj.status(timezone.localdate())

    def get_status_display(self, obj) -> str:
        return rules.ITEM_STATUS_LABELS[obj.status(timezone.localdate())]


class BranchesPlanSerializer(RecordSerializer):
    items = BranchesItemSerializer(many=True, read_only=True)

    class Meta:
        model = RectificationPlan
        fields = [
            "id",
            "branch",
            "branch_name",
            "year",
            "grading",
            "source",
            "source_display",
            "reason",
            "goals",
            "discussed_on",
            "meeting",
            "discussion_note",
            "state",
            "state_display",
            "submitted_on",
            "completed_on",
            "items",
        ]
        read_only_fields = fields


class BranchesPlanCreateSerializer(serializers.Serializer):
    branch = VisiblePrimaryKeyField(Organisation, help_text="党支部编号")
    year = serializers.IntegerField(min_value=rules.FIRST_YEAR, max_value=rules.LAST_YEAR)
    source = ChoiceString(PlanSource.choices, required=False, default=PlanSource.GRADING)
    grading = VisiblePrimaryKeyField(
        BranchGrading, required=False, allow_null=True, help_text="依据的分类定级；不填取本年度定级"
    )
    goals = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class BranchesPlanUpdateSerializer(serializers.Serializer):
    goals = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class BranchesPlanFilterSerializer(serializers.Serializer):
    branch = IdFilter()
    year = YearFilter()
    state = ChoiceString(PlanState.choices, required=False)
    source = ChoiceString(PlanSource.choices, required=False)


class BranchesDiscussSerializer(serializers.Serializer):
    meeting = VisiblePrimaryKeyField(
        Meeting, required=False, allow_null=True, help_text="本支部党员大会编号"
    )
    discussed_on = serializers.DateField(required=False, help_text="不填则取党员大会日期")
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- rectification items --------------------------------------------------------------------


class BranchesItemUpdateSerializer(serializers.Serializer):
    order = serializers.IntegerField(required=False, min_value=1, max_value=999)
    problem = serializers.CharField(required=False)
    measures = serializers.CharField(required=False)
    responsible = VisiblePrimaryKeyField(Person, required=False, help_text="本支部在册人员编号")
    deadline = serializers.DateField(required=False, help_text="除长期性项目外不晚于12月31日")
    long_term = serializers.BooleanField(required=False)


class BranchesItemCreateSerializer(BranchesItemUpdateSerializer):
    plan = VisiblePrimaryKeyField(RectificationPlan, help_text="整改提高方案编号")
    problem = serializers.CharField(help_text="存在问题")
    measures = serializers.CharField(help_text="整改措施")
    responsible = VisiblePrimaryKeyField(Person, help_text="本支部在册人员编号")
    deadline = serializers.DateField(help_text="除长期性项目外不晚于12月31日")


class BranchesDoneSerializer(serializers.Serializer):
    result = serializers.CharField(help_text="整改成效")
    done_on = serializers.DateField(required=False, help_text="完成日期，默认今天")


class BranchesVerifySerializer(serializers.Serializer):
    approve = serializers.BooleanField(required=False, default=True, help_text="false 为退回")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    verified_on = serializers.DateField(
        required=False, allow_null=True, help_text="销号日期（现场核实后补录时填写；默认今天）"
    )


# --- summary ----------------------------------------------------------------------------------


class BranchesSummaryFilterSerializer(serializers.Serializer):
    grading_year = IdFilter(required=True, help_text="年度分类定级编号")


class BranchesSummarySerializer(serializers.Serializer):
    general_branch = serializers.CharField(help_text="党总支")
    branches = serializers.IntegerField(help_text="党支部数")
    initial = serializers.SerializerMethodField(help_text="初次定级各等次支部数")
    regrade = serializers.SerializerMethodField(help_text="复评定级各等次支部数")
    items_total = serializers.IntegerField()
    items_done = serializers.IntegerField()
    items_open = serializers.IntegerField()
    items_overdue = serializers.IntegerField()

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_initial(self, obj) -> dict:
        return obj["initial"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_regrade(self, obj) -> dict:
        return obj["regrade"]
