"""API serializers of target management and the six-step work method.

Output serializers shape responses; input serializers only validate a payload, which the view
hands to a service in dangjian.targets.services. Ids in a payload must name rows in the
requesting user's scope.
"""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangjian.core import uploads
from dangjian.core.serializer_fields import (
    ChoiceLabel,
    EditablePrimaryKeyField,
    RecordSerializer,
    VisiblePrimaryKeyField,
)
from dangjian.org.models import Organisation, Person, Unit
from dangjian.targets import rules, selectors, services
from dangjian.targets.models import (
    AnnualPlan,
    Decision,
    Evaluation,
    GoalKind,
    HonourLevel,
    LongTermGoal,
    Opinion,
    OpinionCategory,
    Task,
    TaskProgress,
    WorkItem,
    WorkItemKind,
)


class NamedChoiceField(serializers.ChoiceField):
    """A choice field documented as its own named enum component. Field names such as `kind`
    and `category` carry other choice sets in other apps; a named component keeps the
    schema free of enum-naming collisions without a settings entry."""

    def __init__(self, enum_name: str, choices, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices=choices, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        values = list(self.target.choices)
        schema = {
            "type": "integer" if all(isinstance(v, int) for v in values) else "string",
            "enum": values,
            "description": "\n".join(
                f"* `{v}` - {label}" for v, label in self.target.choices.items()
            ),
        }
        component = ResolvedComponent(
            name=self.target.enum_name,
            type=ResolvedComponent.SCHEMA,
            schema=schema,
            object=self.target.enum_name,
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


def goal_kind(**kwargs):
    return NamedChoiceField("GoalKindEnum", GoalKind.choices, label="目标类别", **kwargs)


def honour_level(label, **kwargs):
    return NamedChoiceField("HonourLevelEnum", HonourLevel.choices, label=label, **kwargs)


def workitem_kind(**kwargs):
    return NamedChoiceField("WorkItemKindEnum", WorkItemKind.choices, label="类别", **kwargs)


def opinion_category(**kwargs):
    return NamedChoiceField("OpinionCategoryEnum", OpinionCategory.choices, label="分类", **kwargs)


def _editable(model, label):
    return {"error_messages": {"does_not_exist": f"{label}不存在或不在您的管理范围内"}}


# --- output ----------------------------------------------------------------------------------


class GoalSerializer(RecordSerializer):
    kind = goal_kind(read_only=True)
    current_level = honour_level("已获层级", read_only=True)
    target_level = honour_level("争创层级", read_only=True)

    class Meta:
        model = LongTermGoal
        fields = [
            "id",
            "organisation",
            "organisation_name",
            *services.GOAL_FIELDS,
            "achieved_on",
        ]
        read_only_fields = fields


class PlanSerializer(RecordSerializer):
    class Meta:
        model = AnnualPlan
        fields = ["id", "organisation", "organisation_name", *services.PLAN_FIELDS]
        read_only_fields = fields


class WorkItemSerializer(RecordSerializer):
    kind = workitem_kind(read_only=True)
    step_name = ChoiceLabel("step")

    class Meta:
        model = WorkItem
        fields = [
            "id",
            "organisation",
            "organisation_name",
            *services.WORKITEM_FIELDS,
            "step",
            "step_name",
            "created_at",
        ]
        read_only_fields = fields


class OpinionSerializer(serializers.ModelSerializer):
    category = opinion_category(read_only=True)
    suggestion_tracking_code = serializers.CharField(
        source="suggestion.tracking_code",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="来自意见箱时，意见箱的查询码",
    )

    class Meta:
        model = Opinion
        fields = ["id", "work_item", *services.OPINION_FIELDS, "suggestion_tracking_code"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "work_item", *services.DECISION_FIELDS]
        read_only_fields = fields


class TaskSerializer(RecordSerializer):
    assignee_name = serializers.SerializerMethodField(help_text="承担单位（个人）的名称")
    status = serializers.SerializerMethodField(help_text="open 进行中，overdue 已逾期，done 已完成")

    class Meta:
        model = Task
        fields = [
            "id",
            "work_item",
            *services.TASK_FIELDS,
            "assignee_name",
            "responsible_name",
            "commitment",
            "published_on",
            "progress",
            "completed_on",
            "status",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_assignee_name(self, obj) -> str:
        return selectors.assignee_name(obj)

    @extend_schema_field(
        serializers.ChoiceField(
            choices=[rules.STATUS_OPEN, rules.STATUS_OVERDUE, rules.STATUS_DONE]
        )
    )
    def get_status(self, obj) -> str:
        return rules.task_status(obj.deadline, obj.completed_on, timezone.localdate())


class TaskProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskProgress
        fields = ["id", "task", *services.PROGRESS_FIELDS, "evidence", "reported_by"]
        read_only_fields = fields


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "work_item", *services.EVALUATION_FIELDS, "published_on"]
        read_only_fields = fields


# --- input -----------------------------------------------------------------------------------


class GoalUpdateSerializer(serializers.ModelSerializer):
    kind = goal_kind()
    current_level = honour_level("已获层级", required=False, default=HonourLevel.NONE)
    target_level = honour_level("争创层级")
    start_year = serializers.IntegerField(min_value=2000, max_value=2100, label="起始年度")
    end_year = serializers.IntegerField(min_value=2000, max_value=2100, label="目标年度")

    class Meta:
        model = LongTermGoal
        fields = services.GOAL_FIELDS


class GoalCreateSerializer(GoalUpdateSerializer):
    organisation = EditablePrimaryKeyField(Organisation, **_editable(Organisation, "党组织"))

    class Meta(GoalUpdateSerializer.Meta):
        fields = ["organisation", *services.GOAL_FIELDS]


class GoalAchieveSerializer(serializers.Serializer):
    achieved_on = serializers.DateField(help_text="实现日期")


class PlanUpdateSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, label="年度")

    class Meta:
        model = AnnualPlan
        fields = services.PLAN_FIELDS
        validators: list = []  # one plan a year: checked by the service, in Chinese


class PlanCreateSerializer(PlanUpdateSerializer):
    organisation = EditablePrimaryKeyField(Organisation, **_editable(Organisation, "党组织"))

    class Meta(PlanUpdateSerializer.Meta):
        fields = ["organisation", *services.PLAN_FIELDS]


class WorkItemUpdateSerializer(serializers.ModelSerializer):
    plan = EditablePrimaryKeyField(
        AnnualPlan, allow_null=True, required=False, **_editable(AnnualPlan, "年度计划")
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100, label="年度")
    kind = workitem_kind()

    class Meta:
        model = WorkItem
        fields = services.WORKITEM_FIELDS


class WorkItemCreateSerializer(WorkItemUpdateSerializer):
    organisation = EditablePrimaryKeyField(Organisation, **_editable(Organisation, "党组织"))

    class Meta(WorkItemUpdateSerializer.Meta):
        fields = ["organisation", *services.WORKITEM_FIELDS]


class CloseStepErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField(), help_text="本步骤尚缺的记录")


class OpinionUpdateSerializer(serializers.ModelSerializer):
    category = opinion_category()

    class Meta:
        model = Opinion
        fields = services.OPINION_FIELDS


class OpinionCreateSerializer(OpinionUpdateSerializer):
    work_item = EditablePrimaryKeyField(WorkItem, **_editable(WorkItem, "工作事项"))

    class Meta(OpinionUpdateSerializer.Meta):
        fields = ["work_item", *services.OPINION_FIELDS]


class DecisionUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = services.DECISION_FIELDS


class DecisionCreateSerializer(DecisionUpdateSerializer):
    work_item = EditablePrimaryKeyField(WorkItem, **_editable(WorkItem, "工作事项"))

    class Meta(DecisionUpdateSerializer.Meta):
        fields = ["work_item", *services.DECISION_FIELDS]


class TaskUpdateSerializer(serializers.ModelSerializer):
    assignee_org = VisiblePrimaryKeyField(
        Organisation, allow_null=True, required=False, **_editable(Organisation, "承担党组织")
    )
    assignee_unit = VisiblePrimaryKeyField(
        Unit, allow_null=True, required=False, **_editable(Unit, "承担单位")
    )
    assignee_person = EditablePrimaryKeyField(
        Person, allow_null=True, required=False, **_editable(Person, "承担人")
    )
    responsible = EditablePrimaryKeyField(Person, **_editable(Person, "责任人"))

    class Meta:
        model = Task
        fields = services.TASK_FIELDS


class TaskCreateSerializer(TaskUpdateSerializer):
    work_item = EditablePrimaryKeyField(WorkItem, **_editable(WorkItem, "工作事项"))

    class Meta(TaskUpdateSerializer.Meta):
        fields = ["work_item", *services.TASK_FIELDS]


class TaskPublishSerializer(serializers.Serializer):
    commitment = serializers.CharField(help_text="承诺内容")
    published_on = serializers.DateField(help_text="公开日期")


class TaskProgressInputSerializer(serializers.Serializer):
    reported_on = serializers.DateField(help_text="报告日期")
    percent = serializers.IntegerField(min_value=0, max_value=100, help_text="完成进度（%）")
    note = serializers.CharField(help_text="进展情况")
    evidence = uploads.UploadSerializerField(required=False, allow_null=True, area="evidence")


class EvaluationUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = services.EVALUATION_FIELDS


class EvaluationCreateSerializer(EvaluationUpdateSerializer):
    work_item = EditablePrimaryKeyField(WorkItem, **_editable(WorkItem, "工作事项"))

    class Meta(EvaluationUpdateSerializer.Meta):
        fields = ["work_item", *services.EVALUATION_FIELDS]

    def validate_work_item(self, value):
        if Evaluation.objects.filter(work_item=value).exists():
            raise serializers.ValidationError("该工作事项已登记考评结果，请修改原记录")
        return value


class EvaluationPublishSerializer(serializers.Serializer):
    published_on = serializers.DateField(help_text="公布日期")


# --- filters ---------------------------------------------------------------------------------
