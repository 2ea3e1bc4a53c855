"""API serializers of the assessment app. Output serializers shape responses; input serializers
validate a payload the view hands to a service. Choices are plain strings with their Chinese
label beside them (`*_display`)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangjian.assessment import rules
from dangjian.assessment.models import (
    Appeal,
    AssessmentRound,
    AssessmentState,
    BonusClaim,
    BranchAssessment,
    Indicator,
    Item,
    ItemReference,
    ItemScore,
    RoundKind,
    ScoreSheetTemplate,
)
from dangjian.assessment.selectors import ResultAccess
from dangjian.core import uploads
from dangjian.core.serializer_fields import (
    ChoiceString,
    RecordSerializer,
    VisiblePrimaryKeyField,
    choices_help,
)
from dangjian.core.text_limits import TEXT_LONG
from dangjian.org.models import Organisation

SCORE = {"max_digits": 4, "decimal_places": 1, "coerce_to_string": False}
TOTAL = {"max_digits": 6, "decimal_places": 1, "coerce_to_string": False}
# An id of a row: a bigint, so that a huge number is a 400 and never reaches the database.
ID = {"min_value": 1, "max_value": 2**63 - 1}


# --- templates ----------------------------------------------------------------------------


class ElementSerializer(serializers.Serializer):
    name = serializers.CharField()
    points = serializers.FloatField(allow_null=True)


class BonusOptionSerializer(serializers.Serializer):
    option = serializers.CharField(help_text="类别，如：国家级")
    points = serializers.FloatField(help_text="每项分值")


class ItemSerializer(serializers.ModelSerializer):
    points = serializers.DecimalField(**SCORE, allow_null=True, read_only=True)
    elements = ElementSerializer(many=True, read_only=True, help_text="测评要素")
    bonus_rule = serializers.SerializerMethodField(help_text="附加分项的类别及每项分值")
    reference = serializers.CharField(
        read_only=True, help_text=choices_help(ItemReference.choices[1:]) + "；空=无"
    )

    class Meta:
        model = Item
        fields = [
            "id",
            "number",
            "content",
            "points",
            "elements",
            "methods",
            "bonus_rule",
            "reference",
        ]
        read_only_fields = fields

    @extend_schema_field(BonusOptionSerializer(many=True))
    def get_bonus_rule(self, obj) -> list:
        return [{"option": k, "points": float(v)} for k, v in obj.bonus_options.items()]


class IndicatorSerializer(serializers.ModelSerializer):
    points = serializers.DecimalField(**SCORE, allow_null=True, read_only=True)
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "order", "name", "points", "is_bonus", "items"]
        read_only_fields = fields


class TemplateSerializer(serializers.ModelSerializer):
    bands = serializers.ListField(
        child=serializers.ListField(), read_only=True, help_text="[分数线, 等次]，从高到低"
    )
    bonus_cap = serializers.DecimalField(**SCORE, allow_null=True, read_only=True)
    veto_rules = serializers.ListField(child=serializers.CharField(), read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = ScoreSheetTemplate
        fields = [
            "id",
            "name",
            "note",
            "bands",
            "bonus_cap",
            "veto_rules",
            "is_active",
            "copied_from",
            "created_at",
            "indicators",
        ]
        read_only_fields = fields


# --- rounds -------------------------------------------------------------------------------


class RoundSerializer(RecordSerializer):
    class Meta:
        model = AssessmentRound
        fields = [
            "id",
            "template",
            "template_name",
            "year",
            "title",
            "kind",
            "kind_display",
            "organisation",
            "organisation_name",
            "self_due",
            "finish_by",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class RoundCreateSerializer(serializers.Serializer):
    template = VisiblePrimaryKeyField(ScoreSheetTemplate, help_text="考核评分表编号")
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="考核年度")
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    kind = ChoiceString(RoundKind.choices, required=False)
    organisation = VisiblePrimaryKeyField(
        Organisation, help_text="考核范围：该党组织下的全部党支部参加考核"
    )
    self_due = serializers.DateField(help_text="自评截止日期")
    finish_by = serializers.DateField(
        required=False, allow_null=True, help_text="考核完成日期，默认考核年度12月15日"
    )
    note = serializers.CharField(required=False, allow_blank=True)


class FundingRowSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(source="assessment.pk")
    branch = serializers.IntegerField(source="assessment.branch_id")
    branch_name = serializers.CharField(source="assessment.branch.name")
    general_branch = serializers.CharField(help_text="党总支")
    staff = serializers.IntegerField(help_text="教职工党员数（含离退休）")
    students = serializers.IntegerField(help_text="学生党员数")
    base = serializers.DecimalField(
        source="funding.base", max_digits=12, decimal_places=2, coerce_to_string=False
    )
    grade = serializers.CharField(help_text="等次；未出结果为空")
    factor = serializers.DecimalField(
        source="funding.factor", max_digits=4, decimal_places=2, coerce_to_string=False
    )
    amount = serializers.DecimalField(
        source="funding.amount", max_digits=12, decimal_places=2, coerce_to_string=False
    )
    estimated = serializers.BooleanField(help_text="尚未出结果：按现有党员数和系数1预估")


class SecretaryGradeSerializer(serializers.Serializer):
    general_branch = serializers.IntegerField(source="general_branch.pk")
    general_branch_name = serializers.CharField(source="general_branch.name")
    secretaries = serializers.ListField(child=serializers.CharField())
    branches = serializers.IntegerField()
    with_result = serializers.IntegerField()
    average = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text="已出结果党支部总分的平均值（保留两位小数，不进位）",
    )
    failed = serializers.IntegerField(help_text="不合格支部数")
    grade = serializers.CharField(allow_null=True, help_text="参考等级")
    review = serializers.CharField(help_text="党总支书记本年度述职评议（联述联评联考）已发布的结果")


# --- branch assessments -------------------------------------------------------------------


class AppealSerializer(RecordSerializer):
    original_total = serializers.DecimalField(**TOTAL, allow_null=True, read_only=True)
    revised_total = serializers.DecimalField(**TOTAL, allow_null=True, read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "filed_on",
            "reason",
            "answer_due",
            "state",
            "state_display",
            "answered_on",
            "answer",
            "original_total",
            "original_grade",
            "revised_total",
            "answered_late",
        ]
        read_only_fields = fields


def result_access(serializer) -> ResultAccess:
    """The request's ResultAccess, put in the context once by the view (a list asks no more per
    row); without it nothing the branch has not been notified of is shown."""
    access = serializer.context.get("result_access")
    return access if access is not None else ResultAccess(None)


# What the group decided: null (or empty) while the viewer is on the branch side and the branch
# has not been notified in writing (《支部考核办法》四(一)(二)).
GROUP_RESULT_FIELDS = {
    "base_total": None,
    "bonus_raw": None,
    "bonus_total": None,
    "total": None,
    "grade": "",
    "vetoed": None,
    "veto_reason": "",
    "staff_members": None,
    "student_members": None,
    "funding": None,
}
HIDDEN_HELP = "；本支部未收到书面通知前不显示（为空）"


class BranchAssessmentSerializer(RecordSerializer):
    round_title = serializers.CharField(source="round.title", read_only=True)
    result_fixed = serializers.SerializerMethodField(
        help_text="结果已确定：已复核，或已书面通知且复核申请期限已过"
    )
    result_visible = serializers.SerializerMethodField(
        help_text=(
            "false：本支部尚未收到书面通知，考核组的逐项评分和意见、附加分认定、总分、等次、"
            f"一票否决和活动经费不显示。{rules.NOTICE_RULE}"
        )
    )
    self_total = serializers.DecimalField(**TOTAL, allow_null=True, read_only=True)
    base_total = serializers.DecimalField(
        **TOTAL, allow_null=True, read_only=True, help_text="考评基本分" + HIDDEN_HELP
    )
    bonus_raw = serializers.DecimalField(
        **TOTAL, allow_null=True, read_only=True, help_text="认定的附加分" + HIDDEN_HELP
    )
    bonus_total = serializers.DecimalField(
        **TOTAL, allow_null=True, read_only=True, help_text="计入总分的附加分" + HIDDEN_HELP
    )
    total = serializers.DecimalField(
        **TOTAL, allow_null=True, read_only=True, help_text="总分" + HIDDEN_HELP
    )
    grade = serializers.CharField(read_only=True, help_text="等次" + HIDDEN_HELP)
    vetoed = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="一票否决" + HIDDEN_HELP
    )
    veto_reason = serializers.CharField(read_only=True, help_text="否决事由" + HIDDEN_HELP)
    staff_members = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="评分时的教职工党员数" + HIDDEN_HELP
    )
    student_members = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="评分时的学生党员数" + HIDDEN_HELP
    )
    funding = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        read_only=True,
        help_text="活动经费（元）" + HIDDEN_HELP,
    )
    appeal = serializers.SerializerMethodField()

    class Meta:
        model = BranchAssessment
        fields = [
            "id",
            "round",
            "round_title",
            "branch",
            "branch_name",
            "state",
            "state_display",
            "result_fixed",
            "result_visible",
            "submitted_on",
            "self_total",
            "base_total",
            "bonus_raw",
            "bonus_total",
            "total",
            "grade",
            "vetoed",
            "veto_reason",
            "staff_members",
            "student_members",
            "funding",
            "scored_on",
            "notice_on",
            "notice_text",
            "appeal_due",
            "appeal",
        ]
        read_only_fields = fields

    def get_result_fixed(self, obj) -> bool:
        return obj.is_fixed(timezone.localdate())

    def get_result_visible(self, obj) -> bool:
        return result_access(self).sees(obj)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not data["result_visible"]:
            data.update(GROUP_RESULT_FIELDS)
        return data

    @extend_schema_field(AppealSerializer(allow_null=True))
    def get_appeal(self, obj):
        try:
            appeal = obj.appeal
        except BranchAssessment.appeal.RelatedObjectDoesNotExist:
            return None
        return AppealSerializer(appeal).data


class ItemScoreSerializer(serializers.ModelSerializer):
    item_number = serializers.IntegerField(source="item.number", read_only=True)
    self_score = serializers.DecimalField(**SCORE, allow_null=True, read_only=True)
    group_score = serializers.DecimalField(**SCORE, allow_null=True, read_only=True)
    evidence = serializers.FileField(read_only=True, allow_null=True)

    class Meta:
        model = ItemScore
        fields = [
            "item",
            "item_number",
            "self_score",
            "self_note",
            "evidence",
            "group_score",
            "group_note",
        ]
        read_only_fields = fields


class ClaimSerializer(serializers.ModelSerializer):
    item_number = serializers.IntegerField(source="item.number", read_only=True)
    points = serializers.DecimalField(**TOTAL, read_only=True)
    evidence = serializers.FileField(read_only=True, allow_null=True)

    class Meta:
        model = BonusClaim
        fields = [
            "id",
            "item",
            "item_number",
            "option",
            "description",
            "count",
            "points",
            "evidence",
            "accepted",
            "group_note",
        ]
        read_only_fields = fields


class BranchAssessmentDetailSerializer(BranchAssessmentSerializer):
    scores = ItemScoreSerializer(
        many=True,
        read_only=True,
        help_text="逐项得分；本支部未收到书面通知前，考核组评分为空、考评意见为空串",
    )
    claims = ClaimSerializer(
        many=True,
        read_only=True,
        help_text="附加分申报；本支部未收到书面通知前，认定为空、认定意见为空串",
    )

    class Meta(BranchAssessmentSerializer.Meta):
        fields = [*BranchAssessmentSerializer.Meta.fields, "scores", "claims"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not data["result_visible"]:
            for score in data["scores"]:
                score.update(group_score=None, group_note="")
            for claim in data["claims"]:
                claim.update(accepted=None, group_note="")
        return data


class AssessmentFilterSerializer(serializers.Serializer):
    round = serializers.IntegerField(required=False, **ID, help_text="考核编号")
    branch = serializers.IntegerField(required=False, **ID, help_text="党支部编号")
    state = ChoiceString(AssessmentState.choices, required=False)
    grade = serializers.CharField(required=False, max_length=10, help_text="等次，如：优秀")


class ScoreInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(**ID, help_text="二级指标编号（基本分项目）")
    score = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="得分，0.5分为单位"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ScoresSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True, allow_empty=False)


class ClaimCreateSerializer(serializers.Serializer):
    item = serializers.IntegerField(**ID, help_text="附加分项目（第17～20项）的编号")
    option = serializers.CharField(max_length=30, help_text="类别，如：国家级、公开发表论文")
    description = serializers.CharField(max_length=200, help_text="荣誉名称、报道标题、论文题目")
    count = serializers.IntegerField(min_value=1, max_value=50, required=False, default=1)
    evidence = uploads.UploadSerializerField(required=False, allow_null=True, area="assessment")


class ClaimReviewSerializer(serializers.Serializer):
    claim = serializers.IntegerField(**ID, help_text="附加分申报编号")
    accepted = serializers.BooleanField(help_text="认定或不予认定")
    group_note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="不予认定须写理由"
    )


class ClaimWithdrawSerializer(serializers.Serializer):
    claim = serializers.IntegerField(**ID, help_text="附加分申报编号")


class VetoSerializer(serializers.Serializer):
    vetoed = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class NotifySerializer(serializers.Serializer):
    notice_on = serializers.DateField(required=False, allow_null=True, help_text="默认今天")
    notice_text = serializers.CharField(
        max_length=TEXT_LONG,
        required=False,
        allow_blank=True,
        default="",
        help_text="不填按考核结果生成",
    )


class AppealCreateSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="复核理由")
    filed_on = serializers.DateField(
        required=False, allow_null=True, help_text="申请复核日期（书面申请补录时填写；默认今天）"
    )


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(help_text="复核意见")
    answered_on = serializers.DateField(
        required=False, allow_null=True, help_text="复核意见日期（书面意见补录时填写；默认今天）"
    )
    revised_total = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, help_text="复核后总分"
    )
