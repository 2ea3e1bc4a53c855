"""API serializers of the orglife app. Output serializers shape responses; input serializers
validate a payload that the view hands to a service. Choices are plain strings with their
Chinese label beside them (`*_display`)."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from dangjian.core.serializer_fields import (
    ChoiceLabel,
    ChoiceString,
    EditablePrimaryKeyField,
    RecordSerializer,
    VisiblePrimaryKeyField,
)
from dangjian.core.text_limits import TEXT_MINUTES
from dangjian.core.uploads import UploadSerializerField
from dangjian.org.models import Organisation, Person
from dangjian.orglife.models import (
    Attendance,
    AttendanceStatus,
    FrequencyRule,
    LeaveRequest,
    Meeting,
    MeetingFile,
    MeetingKind,
    MeetingState,
    Period,
    StudyCategory,
    StudyRecord,
    Training,
    TrainingKind,
)

# --- meetings ------------------------------------------------------------------------------


class AttendanceSerializer(RecordSerializer):
    role = serializers.CharField(
        read_only=True,
        help_text="member 应到 / observer 列席（支部委员会上非委员到会的人员，由系统判定）",
    )

    class Meta:
        model = Attendance
        fields = [
            "person",
            "person_name",
            "status",
            "status_display",
            "role",
            "role_display",
            "makeup_on",
            "note",
        ]
        read_only_fields = fields


class MeetingSerializer(RecordSerializer):
    attendance = AttendanceSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "state",
            "state_display",
            "kind",
            "kind_display",
            "topic",
            "held_on",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "place",
            "host",
            "host_name",
            "recorder",
            "recorder_name",
            "minutes",
            "study_hours",
            "integrity",
            "attendance",
            "created_at",
        ]
        read_only_fields = fields


class AttendanceInputSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="人员编号（本组织的党员）")
    status = ChoiceString(AttendanceStatus.choices)
    makeup_on = serializers.DateField(
        required=False, allow_null=True, help_text="请假或缺席后补课的日期"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class MeetingUpdateSerializer(serializers.Serializer):
    state = ChoiceString(
        MeetingState.choices,
        required=False,
        help_text="planned=计划召开（可为将来日期，应到人员记为未签到）；held=已召开；cancelled=已取消",
    )
    kind = ChoiceString(MeetingKind.choices, required=False)
    topic = serializers.CharField(max_length=120, required=False)
    held_on = serializers.DateField(required=False)
    starts_at = serializers.TimeField(required=False)
    ends_at = serializers.TimeField(required=False)
    place = serializers.CharField(max_length=100, required=False)
    host = VisiblePrimaryKeyField(Person, required=False, allow_null=True)
    recorder = VisiblePrimaryKeyField(Person, required=False, allow_null=True)
    minutes = serializers.CharField(max_length=TEXT_MINUTES, required=False, allow_blank=True)
    study_hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, required=False
    )
    integrity = serializers.BooleanField(required=False)
    attendance = AttendanceInputSerializer(
        many=True,
        required=False,
        help_text=(
            "出席名单（完整列表，替换原有名单）；新建时省略则应到人员全部记为出席"
            "（支部委员会为委员；非委员到会的自动记为列席，只能登记为出席）。"
        ),
    )

    def validate(self, attrs):
        starts, ends = attrs.get("starts_at"), attrs.get("ends_at")
        if starts and ends and ends <= starts:
            raise serializers.ValidationError({"ends_at": "结束时间应晚于开始时间。"})
        return attrs


class MeetingCreateSerializer(MeetingUpdateSerializer):
    organisation = EditablePrimaryKeyField(Organisation, help_text="党组织编号")
    kind = ChoiceString(MeetingKind.choices)
    topic = serializers.CharField(max_length=120)
    held_on = serializers.DateField()
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()
    place = serializers.CharField(max_length=100)


def attendance_rows(data: dict) -> list[dict] | None:
    rows = data.pop("attendance", None)
    if rows is None:
        return None
    return [
        {
            "person_id": row["person"],
            "status": row["status"],
            "makeup_on": row.get("makeup_on"),
            "note": row.get("note", ""),
        }
        for row in rows
    ]


# --- frequency rules and compliance --------------------------------------------------------


class FrequencyRuleSerializer(RecordSerializer):
    org_kind = serializers.CharField(read_only=True)
    kinds = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = FrequencyRule
        fields = [
            "id",
            "name",
            "org_kind",
            "org_kind_display",
            "branch_category",
            "kinds",
            "period",
            "period_display",
            "min_count",
            "min_minutes",
            "include_subtree",
            "source",
            "is_active",
            "display_order",
        ]
        read_only_fields = fields


class FrequencyRuleUpdateSerializer(serializers.Serializer):
    min_count = serializers.IntegerField(min_value=1, max_value=100, required=False)
    min_minutes = serializers.IntegerField(min_value=0, max_value=1440, required=False)
    include_subtree = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)


class ComplianceQuerySerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        required=False, help_text="党组织编号；省略则为本人管理范围的最上级组织"
    )
    period = ChoiceString(Period.choices, required=False, allow_blank=True)
    date = serializers.DateField(required=False, help_text="所查看周期内的任一日期，默认今天")


class RuleStatusSerializer(serializers.Serializer):
    rule = serializers.IntegerField(source="rule.pk")
    name = serializers.CharField(source="rule.name")
    period = serializers.CharField(source="rule.period")
    period_label = serializers.CharField()
    start = serializers.DateField(source="result.start")
    end = serializers.DateField(source="result.end")
    count = serializers.IntegerField(source="result.count")
    required = serializers.IntegerField(source="result.required")
    missing = serializers.IntegerField(source="result.missing")
    state = serializers.CharField(
        source="result.state",
        help_text="done=已完成；due=进行中；overdue=未完成；not_started=未开始",
    )
    state_display = serializers.CharField(source="result.label")
    message = serializers.CharField()


class OrgStatusSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="org.pk")
    organisation_name = serializers.CharField(source="org.name")
    kind = serializers.CharField(source="org.kind")
    category = serializers.CharField(source="org.category")
    overdue = serializers.IntegerField()
    due = serializers.IntegerField()
    done = serializers.IntegerField()
    rules = RuleStatusSerializer(source="rows", many=True)


# Answered by a `list` route, yet one object (not a page of them).
@extend_schema_serializer(many=False)
class FrequencyComplianceSerializer(serializers.Serializer):
    date = serializers.DateField()
    organisation = OrgStatusSerializer()
    below = OrgStatusSerializer(many=True)


# --- trainings, study records, hours -------------------------------------------------------


class TrainingSerializer(RecordSerializer):
    participants = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "kind",
            "kind_display",
            "title",
            "category",
            "category_display",
            "starts_on",
            "ends_on",
            "hours",
            "integrity",
            "organiser",
            "participants",
        ]
        read_only_fields = fields


class TrainingUpdateSerializer(serializers.Serializer):
    kind = ChoiceString(TrainingKind.choices, required=False)
    title = serializers.CharField(max_length=120, required=False)
    category = ChoiceString(StudyCategory.choices, required=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False)
    integrity = serializers.BooleanField(required=False)
    organiser = serializers.CharField(max_length=100, required=False, allow_blank=True)
    participants = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="参训人员编号列表"
    )


class TrainingCreateSerializer(TrainingUpdateSerializer):
    organisation = EditablePrimaryKeyField(Organisation, help_text="组织单位编号")
    title = serializers.CharField(max_length=120)
    category = ChoiceString(StudyCategory.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)


class StudyRecordSerializer(RecordSerializer):
    class Meta:
        model = StudyRecord
        fields = [
            "id",
            "person",
            "person_name",
            "studied_on",
            "title",
            "category",
            "category_display",
            "hours",
            "integrity",
            "training",
            "meeting",
        ]
        read_only_fields = fields


class StudyRecordCreateSerializer(serializers.Serializer):
    person = EditablePrimaryKeyField(Person, help_text="人员编号（本人管理范围内）")
    studied_on = serializers.DateField()
    title = serializers.CharField(max_length=120)
    category = ChoiceString(StudyCategory.choices)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    integrity = serializers.BooleanField(required=False, default=False)


class HoursQuerySerializer(serializers.Serializer):
    organisation = serializers.IntegerField(required=False, help_text="党组织编号（含下级）")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class HoursRowSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.name")
    organisation_name = serializers.CharField(
        source="person.primary_org.name", default=None, allow_null=True
    )
    category = serializers.CharField(source="person.category")
    total = serializers.DecimalField(max_digits=7, decimal_places=1)
    integrity = serializers.DecimalField(max_digits=7, decimal_places=1)
    required_total = serializers.DecimalField(
        source="requirement.total", max_digits=7, decimal_places=1, default=None, allow_null=True
    )
    required_integrity = serializers.DecimalField(
        source="requirement.integrity",
        max_digits=7,
        decimal_places=1,
        default=None,
        allow_null=True,
    )
    shortfall_total = serializers.DecimalField(
        source="shortfall.total", max_digits=7, decimal_places=1
    )
    shortfall_integrity = serializers.DecimalField(
        source="shortfall.integrity", max_digits=7, decimal_places=1
    )


# Answered by a `list` route, yet one object (not a page of them).
@extend_schema_serializer(many=False)
class HoursSummarySerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    year = serializers.IntegerField()
    rows = HoursRowSerializer(many=True)


class SignInSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text="签到二维码中的令牌")


class LeaveRequestInputSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(help_text="计划召开的会议编号（本人在应到名单中）")
    reason = serializers.CharField(max_length=200, help_text="请假事由")


class LeaveDecisionSerializer(serializers.Serializer):
    leave = serializers.IntegerField(help_text="请假申请编号")
    approve = serializers.BooleanField(help_text="true=批准（记为请假）；false=不批准")


class LeaveRequestSerializer(serializers.ModelSerializer):
    status_display = ChoiceLabel("status")

    class Meta:
        model = LeaveRequest
        fields = ["id", "meeting", "person", "reason", "status", "status_display", "asked_at"]
        read_only_fields = fields


class MeetingFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="file_name")
    url = serializers.CharField(source="file.url")

    class Meta:
        model = MeetingFile
        fields = ["id", "name", "file_size", "caption", "uploaded_at", "url"]


class MeetingFileInputSerializer(serializers.Serializer):
    file = UploadSerializerField(area="meetings")
    caption = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
