"""API serializers of member duty evaluation. Output serializers shape responses (choices as
plain strings with their Chinese label beside them); input serializers validate a payload the
view hands to a service."""

from rest_framework import serializers

from dangjian.appraisal.models import (
    BranchRating,
    CycleKind,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    HonourKind,
    MemberRectification,
    Population,
    RectificationState,
    SelfReport,
)
from dangjian.core.serializer_fields import (
    ChoiceString,
    EditablePrimaryKeyField,
    RecordSerializer,
    VisiblePrimaryKeyField,
    choices_help,
)
from dangjian.core.text_limits import TEXT_LONG
from dangjian.org.models import Organisation, Person
from dangjian.orglife.models import Meeting

SCORE = {"max_digits": 4, "decimal_places": 1, "min_value": 0, "max_value": 100}
WEIGHT = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}
# --- cycles --------------------------------------------------------------------------------


class CycleSerializer(RecordSerializer):
    period_label = serializers.CharField(read_only=True, help_text="考评期间，如 2026年第三季度")
    period_start = serializers.DateField(read_only=True)
    period_end = serializers.DateField(read_only=True)
    bands = serializers.JSONField(
        read_only=True, help_text="等次分数线 [[分数线, 等次], …]，从高到低，最后一档从0分起"
    )

    class Meta:
        model = EvaluationCycle
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "kind",
            "kind_display",
            "year",
            "period",
            "period_label",
            "period_start",
            "period_end",
            "title",
            "population",
            "population_display",
            "starts_on",
            "ends_on",
            "weight_self",
            "weight_masses",
            "weight_branch",
            "bands",
            "min_responses",
            "state",
            "state_display",
            "surveys",
            "computed_at",
            "published_on",
            "created_at",
        ]
        read_only_fields = fields


class CycleCreateSerializer(serializers.Serializer):
    organisation = EditablePrimaryKeyField(Organisation, help_text="组织考评的党组织编号")
    kind = ChoiceString(CycleKind.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    period = serializers.IntegerField(
        min_value=1, max_value=4, required=False, default=1, help_text="一季一评的季度（1～4）"
    )
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    population = ChoiceString(Population.choices, required=False, default="all")
    starts_on = serializers.DateField(required=False, help_text="述岗评议开始日期")
    ends_on = serializers.DateField(required=False, help_text="述岗评议截止日期")
    weight_self = serializers.DecimalField(**WEIGHT, required=False, help_text="述岗自评权重（%）")
    weight_masses = serializers.DecimalField(
        **WEIGHT, required=False, help_text="民意测评权重（%），0为不组织民意测评"
    )
    weight_branch = serializers.DecimalField(
        **WEIGHT, required=False, help_text="综合评定权重（%），三项合计须为100"
    )
    min_responses = serializers.IntegerField(
        min_value=1, max_value=1000, required=False, help_text="民意测评最少有效票数"
    )


class SurveyProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    responses = serializers.IntegerField(help_text="已回收票数")
    minimum = serializers.IntegerField(help_text="最少有效票数")
    issued = serializers.IntegerField(help_text="已发放链接数")
    enough = serializers.BooleanField(help_text="已达到最少有效票数")


class ProgressRowSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation__name")
    members = serializers.IntegerField(help_text="考评对象人数")
    reported = serializers.IntegerField(help_text="已提交述岗自评人数")
    rated = serializers.IntegerField(help_text="已作综合评定人数")
    survey = SurveyProgressSerializer(required=False, allow_null=True, default=None)


class ProgressTotalsSerializer(serializers.Serializer):
    members = serializers.IntegerField()
    reported = serializers.IntegerField()
    rated = serializers.IntegerField()
    surveys = serializers.IntegerField()
    surveys_enough = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    rows = ProgressRowSerializer(many=True)
    totals = ProgressTotalsSerializer()
    blockers = serializers.ListField(
        child=serializers.CharField(), help_text="尚不能计算的原因（为空则可以计算）"
    )


# --- results -------------------------------------------------------------------------------


class ResultSerializer(RecordSerializer):
    cycle_title = serializers.CharField(source="cycle.title", read_only=True)

    class Meta:
        model = EvaluationResult
        fields = [
            "id",
            "cycle",
            "cycle_title",
            "person",
            "person_name",
            "organisation",
            "organisation_name",
            "self_score",
            "self_missing",
            "masses_score",
            "masses_responses",
            "branch_score",
            "raters",
            "final_score",
            "grade",
            "computed_at",
            "note",
        ]
        read_only_fields = fields


# --- self-reports ------------------------------------------------------------------------


class SelfReportSerializer(RecordSerializer):
    posts = serializers.JSONField(
        read_only=True, help_text="提交时本年度的岗位 [{name, organisation, state}]"
    )

    class Meta:
        model = SelfReport
        fields = [
            "id",
            "cycle",
            "person",
            "person_name",
            "organisation",
            "report",
            "self_score",
            "posts",
            "duty_records",
            "submitted_at",
            "updated_at",
        ]
        read_only_fields = fields


class SelfReportCreateSerializer(serializers.Serializer):
    cycle = VisiblePrimaryKeyField(EvaluationCycle, help_text="考评编号（本人为考评对象）")
    report = serializers.CharField(
        max_length=TEXT_LONG, help_text="述岗报告：履职情况、承诺兑现、存在不足"
    )
    self_score = serializers.DecimalField(**SCORE, help_text="自评分（0～100）")


class SelfReportUpdateSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=TEXT_LONG, required=False)
    self_score = serializers.DecimalField(**SCORE, required=False)


# --- ratings -------------------------------------------------------------------------------


class RatingSerializer(RecordSerializer):
    class Meta:
        model = BranchRating
        fields = [
            "id",
            "cycle",
            "ratee",
            "ratee_name",
            "rater",
            "rater_name",
            "organisation",
            "score",
            "comment",
            "rated_at",
        ]
        read_only_fields = fields


class RatingItemSerializer(serializers.Serializer):
    ratee = VisiblePrimaryKeyField(Person, help_text="被评定党员编号")
    score = serializers.DecimalField(**SCORE, help_text="评定分（0～100）")
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RatingBulkSerializer(serializers.Serializer):
    cycle = VisiblePrimaryKeyField(EvaluationCycle, help_text="考评编号")
    ratings = RatingItemSerializer(many=True, help_text="本人对各党员的评定；已有的评定被更新")

    def validate_ratings(self, value):
        if not value:
            raise serializers.ValidationError("请至少评定一名党员。")
        ids = [item["ratee"].pk for item in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("同一党员只能评定一次。")
        return value


# --- honours ------------------------------------------------------------------------------


class HonourSerializer(RecordSerializer):
    class Meta:
        model = Honour
        fields = [
            "id",
            "person",
            "person_name",
            "organisation",
            "organisation_name",
            "kind",
            "kind_display",
            "year",
            "cycle",
            "awarded_on",
            "note",
        ]
        read_only_fields = fields


class HonourCreateSerializer(serializers.Serializer):
    result = VisiblePrimaryKeyField(EvaluationResult, help_text="考评结果编号（等次须为优秀）")
    kind = ChoiceString(HonourKind.choices)
    awarded_on = serializers.DateField(required=False, help_text="授予日期，默认今天")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# --- rectification -----------------------------------------------------------------------


class RectificationSerializer(RecordSerializer):
    cycle = serializers.IntegerField(source="result.cycle_id", read_only=True)
    state = serializers.CharField(
        read_only=True, help_text=choices_help(RectificationState.choices)
    )

    class Meta:
        model = MemberRectification
        fields = [
            "id",
            "result",
            "cycle",
            "person",
            "person_name",
            "organisation",
            "organisation_name",
            "reason",
            "explain_meeting",
            "explained_on",
            "explanation",
            "measures",
            "deadline",
            "state",
            "state_display",
            "done_on",
            "verified_on",
        ]
        read_only_fields = fields


class ExplainSerializer(serializers.Serializer):
    meeting = VisiblePrimaryKeyField(
        Meeting, required=False, allow_null=True, help_text="作出说明的党员大会编号"
    )
    explained_on = serializers.DateField(required=False, help_text="说明日期（未登记会议时）")
    explanation = serializers.CharField(required=False, allow_blank=True, default="")


class CompleteSerializer(serializers.Serializer):
    measures = serializers.CharField(help_text="整改措施及完成情况")
    done_on = serializers.DateField(required=False, help_text="完成日期，默认今天")


class VerifySerializer(serializers.Serializer):
    verified_on = serializers.DateField(required=False, help_text="验收日期，默认今天")


class PostsEvaluatedSerializer(serializers.Serializer):
    evaluated = serializers.IntegerField(help_text="本次评岗的岗位数")
    already = serializers.IntegerField(help_text="此前已评岗、未改动的岗位数")
    not_performing = serializers.IntegerField(help_text="尚未履岗（无履职记实）、未评岗的岗位数")
    unmapped = serializers.IntegerField(help_text="考评等次不在岗位等次中、未评岗的岗位数")
