"""API serializers of the posts app. Output serializers shape responses; input serializers
validate a payload the view hands to a service. Choice fields are plain strings with their
Chinese label beside them (`*_display`), listed in the help text."""

from rest_framework import serializers

from dangjian.core import uploads
from dangjian.core.serializer_fields import (
    ChoiceString,
    EditablePrimaryKeyField,
    RecordSerializer,
    VisiblePrimaryKeyField,
    choices_help,
)
from dangjian.org.models import Organisation, Person
from dangjian.posts.models import (
    Commitment,
    CommitmentProgress,
    DutyCheck,
    DutyRecord,
    Post,
    PostAudience,
    PostGrade,
    PostType,
)

# --- catalogue -----------------------------------------------------------------------------


class PostTypeSerializer(RecordSerializer):
    class Meta:
        model = PostType
        fields = [
            "id",
            "name",
            "audience",
            "audience_display",
            "duties",
            "annual_tasks",
            "organisation",
            "organisation_name",
            "is_active",
            "display_order",
        ]
        read_only_fields = fields


class PostTypeUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=40, required=False)
    audience = ChoiceString(PostAudience.choices, required=False)
    duties = serializers.CharField(required=False)
    annual_tasks = serializers.CharField(required=False, allow_blank=True)
    display_order = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class PostTypeCreateSerializer(PostTypeUpdateSerializer):
    organisation = EditablePrimaryKeyField(
        Organisation,
        allow_null=True,
        required=False,
        default=None,
        help_text="设立的党总支编号；空为组织部示范岗位（仅组织部干事）。",
    )
    name = serializers.CharField(max_length=40)
    audience = ChoiceString(PostAudience.choices, default=PostAudience.ALL)
    duties = serializers.CharField()


# --- posts ---------------------------------------------------------------------------------


class PostSerializer(RecordSerializer):
    audience = serializers.CharField(
        source="post_type.audience", read_only=True, help_text=choices_help(PostAudience.choices)
    )

    class Meta:
        model = Post
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "post_type",
            "post_type_name",
            "audience",
            "year",
            "name",
            "duties",
            "targets",
            "holder",
            "holder_name",
            "state",
            "state_display",
            "claimed_by_self",
            "confirmed_on",
            "published_on",
            "progress",
            "score",
            "grade",
            "grade_display",
            "evaluation",
            "reward",
            "evaluated_on",
        ]
        read_only_fields = fields


class PostCreateSerializer(serializers.Serializer):
    organisation = EditablePrimaryKeyField(Organisation, help_text="设岗的党支部或党总支编号")
    post_type = VisiblePrimaryKeyField(PostType, help_text="岗位目录中的岗位编号")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    duties = serializers.CharField(required=False, allow_blank=True, default="")
    targets = serializers.CharField(required=False, allow_blank=True, default="")


class PostUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=40, required=False)
    duties = serializers.CharField(required=False)
    targets = serializers.CharField(required=False, allow_blank=True)
    progress = serializers.CharField(required=False, allow_blank=True)


class PostAssignSerializer(serializers.Serializer):
    holder = VisiblePrimaryKeyField(Person, help_text="履岗党员编号")


class PostDateSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="日期，默认今天")


class PostEvaluateSerializer(serializers.Serializer):
    score = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        default=None,
        help_text="可选：≥90优秀，≥80称职，60–79基本称职，<60不称职",
    )
    grade = ChoiceString(PostGrade.choices, required=False, allow_blank=True, default="")
    evaluation = serializers.CharField(help_text="考核评议")
    reward = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    evaluated_on = serializers.DateField(required=False, allow_null=True, default=None)


class PostRolloverSerializer(serializers.Serializer):
    organisation = EditablePrimaryKeyField(Organisation, help_text="党支部或党总支编号")
    year = serializers.IntegerField(min_value=2001, max_value=2100, help_text="新年度")


# --- commitments ---------------------------------------------------------------------------


class CommitmentProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommitmentProgress
        fields = ["id", "reported_on", "note"]
        read_only_fields = fields


class CommitmentSerializer(RecordSerializer):
    updates = CommitmentProgressSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "person",
            "person_name",
            "organisation",
            "organisation_name",
            "year",
            "political",
            "duties",
            "development",
            "pairing",
            "integrity",
            "org_life",
            "published_on",
            "updates",
        ]
        read_only_fields = fields


class CommitmentUpdateSerializer(serializers.Serializer):
    political = serializers.CharField(required=False, help_text="思想政治")
    duties = serializers.CharField(required=False, help_text="履行岗位职责")
    development = serializers.CharField(required=False, help_text="服务发展")
    pairing = serializers.CharField(required=False, help_text="结对帮带帮扶")
    integrity = serializers.CharField(required=False, help_text="廉政建设")
    org_life = serializers.CharField(required=False, help_text="参加组织生活")


class CommitmentCreateSerializer(CommitmentUpdateSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    political = serializers.CharField(help_text="思想政治")
    duties = serializers.CharField(help_text="履行岗位职责")
    development = serializers.CharField(help_text="服务发展")
    pairing = serializers.CharField(help_text="结对帮带帮扶")
    integrity = serializers.CharField(help_text="廉政建设")
    org_life = serializers.CharField(help_text="参加组织生活")


class CommitmentProgressInputSerializer(serializers.Serializer):
    reported_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(help_text="践诺情况")


# --- duty records and checks ---------------------------------------------------------------


class DutyRecordSerializer(RecordSerializer):
    checked = serializers.BooleanField(source="is_checked", read_only=True, help_text="已检查")

    class Meta:
        model = DutyRecord
        fields = [
            "id",
            "person",
            "person_name",
            "organisation",
            "organisation_name",
            "post",
            "post_name",
            "occurred_on",
            "place",
            "content",
            "effect",
            "attachment",
            "created_at",
            "checked",
            "duty_check",
        ]
        read_only_fields = fields


class OwnPostField(EditablePrimaryKeyField):
    """One of the requesting member's own posts."""

    default_error_messages = {
        "does_not_exist": "只能选择本人担任的岗位",
        "incorrect_type": "应为整数编号",
    }

    def get_queryset(self):
        return Post.objects.filter(holder_id=self.context["request"].user.person_id)


class DutyRecordUpdateSerializer(serializers.Serializer):
    occurred_on = serializers.DateField(required=False, help_text="活动日期，不能晚于今天")
    place = serializers.CharField(max_length=100, required=False)
    content = serializers.CharField(required=False)
    effect = serializers.CharField(required=False, allow_blank=True)
    post = OwnPostField(Post, required=False, allow_null=True)
    attachment = uploads.UploadSerializerField(required=False, allow_null=True, area="duty")


class DutyRecordCreateSerializer(DutyRecordUpdateSerializer):
    occurred_on = serializers.DateField(help_text="活动日期，不能晚于今天")
    place = serializers.CharField(max_length=100)
    content = serializers.CharField()


class DutyCheckSerializer(RecordSerializer):
    kind = serializers.CharField(read_only=True, help_text="monthly=月检查；quarterly=季度检查")

    class Meta:
        model = DutyCheck
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "kind",
            "kind_display",
            "period_start",
            "period_end",
            "checked_on",
            "records_checked",
            "findings",
            "circulated_on",
        ]
        read_only_fields = fields


class MonthlyCheckSerializer(serializers.Serializer):
    organisation = EditablePrimaryKeyField(Organisation, help_text="党支部编号")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    findings = serializers.CharField(help_text="检查情况")


class QuarterlyCheckSerializer(serializers.Serializer):
    organisation = EditablePrimaryKeyField(Organisation, help_text="党总支编号")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    findings = serializers.CharField(help_text="检查情况")
