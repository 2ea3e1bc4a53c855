"""API serializers of the surveys app. Nothing here carries a ballot: no ballot id, no
ballot's link, no time a ballot was cast — only surveys, links handed out and aggregates."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangjian.core.serializer_fields import (
    ChoiceString,
    EditablePrimaryKeyField,
    RecordSerializer,
    choices_help,
)
from dangjian.org.models import Organisation, Person
from dangjian.surveys import rules, selectors
from dangjian.surveys.models import Rating, Survey, SurveyKind


class SurveySubjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="人员编号")
    name = serializers.CharField(help_text="姓名")


class SurveyBatchSerializer(serializers.Serializer):
    batch = serializers.IntegerField(source="number", help_text="发放批次")
    issued = serializers.IntegerField(help_text="本批链接数")
    used = serializers.IntegerField(
        allow_null=True,
        help_text="本批已回收份数（不显示哪个链接已使用）；有批次的链接数少于有效票数下限"
        f"（默认{rules.MIN_RESPONSES_FLOOR}个）时各批均为空，以免推断答卷人",
    )


class SurveySerializer(RecordSerializer):
    subjects = serializers.SerializerMethodField(help_text="测评对象（党员民意测评），仅姓名")
    issued = serializers.SerializerMethodField(help_text="已发放链接数")
    responses = serializers.SerializerMethodField(help_text="已回收份数")
    result_visible = serializers.SerializerMethodField(help_text="是否已达到最少有效票数")

    class Meta:
        model = Survey
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "kind",
            "kind_display",
            "title",
            "instructions",
            "opens_on",
            "closes_on",
            "min_responses",
            "state",
            "state_display",
            "subjects",
            "issued",
            "responses",
            "result_visible",
        ]
        read_only_fields = fields

    def _result(self, obj) -> selectors.SurveyResult:
        cache = self.context.setdefault("results", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.result(obj)
        return cache[obj.pk]

    @extend_schema_field(SurveySubjectSerializer(many=True))
    def get_subjects(self, obj) -> list[dict]:
        return [{"id": p.pk, "name": p.name} for p in obj.subjects.all()]

    def get_issued(self, obj) -> int:
        return self._result(obj).issued

    def get_responses(self, obj) -> int:
        return self._result(obj).responses

    def get_result_visible(self, obj) -> bool:
        return self._result(obj).visible


class SurveyDetailSerializer(SurveySerializer):
    batches = serializers.SerializerMethodField(help_text="各批链接数与回收份数")

    class Meta(SurveySerializer.Meta):
        fields = [*SurveySerializer.Meta.fields, "batches"]
        read_only_fields = fields

    @extend_schema_field(SurveyBatchSerializer(many=True))
    def get_batches(self, obj) -> list[dict]:
        return SurveyBatchSerializer(selectors.batches(obj), many=True).data


class SurveyCreateSerializer(serializers.Serializer):
    organisation = EditablePrimaryKeyField(Organisation, help_text="党组织编号")
    kind = ChoiceString(SurveyKind.choices)
    title = serializers.CharField(max_length=120)
    instructions = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, help_text="填写说明"
    )
    opens_on = serializers.DateField(help_text="开始日期")
    closes_on = serializers.DateField(help_text="截止日期（当天仍可提交）")
    min_responses = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=rules.MIN_RESPONSES_CEILING,
        help_text=f"最少有效票数，默认{rules.MIN_RESPONSES}，不少于{rules.MIN_RESPONSES_FLOOR}",
    )
    subjects = EditablePrimaryKeyField(
        Person, many=True, required=False, help_text="测评对象（党员编号），满意度测评不填"
    )


class SurveyIssueSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, help_text="本批发放的链接数（1～500）")


class SurveyLinkSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="本批序号")
    url = serializers.CharField(help_text="测评链接（一次性）")


class SurveyIssuedSerializer(serializers.Serializer):
    batch = serializers.IntegerField(help_text="发放批次")
    count = serializers.IntegerField()
    links = SurveyLinkSerializer(many=True)


class SurveyRatingCountSerializer(serializers.Serializer):
    rating = serializers.CharField(help_text=choices_help(Rating.choices))
    label = serializers.CharField()
    count = serializers.IntegerField()


class SurveySubjectResultSerializer(serializers.Serializer):
    subject = serializers.IntegerField(
        source="subject_id", allow_null=True, help_text="测评对象编号；满意度测评为空"
    )
    name = serializers.CharField(help_text="测评对象姓名或党组织名称")
    distribution = serializers.SerializerMethodField()
    count = serializers.IntegerField(help_text="有效评价数")
    score = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text="平均分"
    )
    grade = serializers.CharField(help_text="等次（党员民意测评）")
    satisfaction_rate = serializers.DecimalField(
        source="rate",
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text="满意度（%，满意度测评）",
    )

    @extend_schema_field(SurveyRatingCountSerializer(many=True))
    def get_distribution(self, obj) -> list[dict]:
        return [{"rating": v, "label": label, "count": n} for v, label, n in obj.counts]


class SurveyResultSerializer(serializers.Serializer):
    survey = serializers.IntegerField(source="survey_id")
    issued = serializers.IntegerField(help_text="已发放链接数")
    responses = serializers.IntegerField(help_text="已回收份数")
    minimum = serializers.IntegerField(help_text="最少有效票数")
    visible = serializers.BooleanField(help_text="达到最少有效票数后才有下列汇总结果")
    subjects = SurveySubjectResultSerializer(many=True, source="rows")
    satisfaction_rate = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text="满意度（%）"
    )
    comments = serializers.ListField(
        child=serializers.CharField(), help_text="意见建议（随机顺序，不含日期）"
    )


# --- public (no login) ---------------------------------------------------------------------


class SurveyBallotRatingSerializer(serializers.Serializer):
    subject = serializers.IntegerField(
        required=False, allow_null=True, help_text="测评对象编号；满意度测评不填或为空"
    )
    rating = ChoiceString(Rating.choices)


class SurveyBallotSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text="测评链接中的令牌")
    ratings = SurveyBallotRatingSerializer(many=True, help_text="对每位测评对象的评价")
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=rules.COMMENT_MAX_LENGTH,
        error_messages={"max_length": f"意见建议不能超过{rules.COMMENT_MAX_LENGTH}字。"},
        help_text=f"意见建议（选填，不超过{rules.COMMENT_MAX_LENGTH}字）",
    )

    def validate_ratings(self, value):
        subjects = [item.get("subject") for item in value]
        if len(set(subjects)) != len(subjects):
            raise serializers.ValidationError("每位测评对象只能评价一次。")
        return value


class SurveyReceiptSerializer(serializers.Serializer):
    detail = serializers.CharField()


class SurveyChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class SurveyPublicFormSerializer(serializers.Serializer):
    title = serializers.CharField()
    instructions = serializers.CharField()
    organisation_name = serializers.CharField()
    kind = serializers.CharField(help_text=choices_help(SurveyKind.choices))
    kind_display = serializers.CharField()
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    answerable = serializers.BooleanField(help_text="今天能否提交答卷")
    message = serializers.CharField(help_text="不能提交时的说明")
    subjects = SurveySubjectSerializer(many=True, help_text="测评对象（党员民意测评），仅姓名")
    ratings = SurveyChoiceSerializer(many=True, help_text="评价选项")
    comment_max_length = serializers.IntegerField()
