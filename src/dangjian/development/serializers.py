"""API serializers of the development pipeline: output serializers shape responses, input
serializers validate a transition's payload before the service checks the rules."""

from rest_framework import serializers

from dangjian.core.serializer_fields import (
    ChoiceString,
    EditablePrimaryKeyField,
    RecordSerializer,
    VisiblePrimaryKeyField,
)
from dangjian.core.text_limits import TEXT_LONG
from dangjian.development.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Notice,
    NoticePurpose,
    Objection,
    ProbationReport,
    ReportKind,
    Stage,
    StageDefinition,
    Vote,
    VotePurpose,
)
from dangjian.org.models import Person


def _help(choices) -> str:
    return "；".join(f"{value}={label}" for value, label in choices)


STAGE_HELP = _help(Stage.choices)


class StageDefinitionSerializer(serializers.ModelSerializer):
    stage = serializers.IntegerField(read_only=True, help_text=STAGE_HELP)

    class Meta:
        model = StageDefinition
        fields = ["id", "stage", "name", "description", "documents"]
        read_only_fields = fields


class CaseEventSerializer(serializers.ModelSerializer):
    stage = serializers.IntegerField(read_only=True, help_text=STAGE_HELP)

    class Meta:
        model = CaseEvent
        fields = ["id", "stage", "happened_on", "title", "note", "document"]
        read_only_fields = fields


class CaseSerializer(RecordSerializer):
    stage = serializers.IntegerField(read_only=True, help_text=STAGE_HELP)
    status = serializers.CharField(read_only=True, help_text=_help(CaseStatus.choices))
    cultivators = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sponsors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "person",
            "person_name",
            "organisation",
            "organisation_name",
            "stage",
            "stage_display",
            "status",
            "status_display",
            "applied_on",
            "activist_on",
            "exam_passed_on",
            "exam_score",
            "candidate_on",
            "cultivation_starts_on",
            "target_committee_on",
            "target_on",
            "admitted_on",
            "talk_on",
            "talker",
            "approved_on",
            "probation_ends_on",
            "conversion_applied_on",
            "conversion_late",
            "conversion_opinions_on",
            "conversion_committee_on",
            "conversion_reviewed_on",
            "extended_on",
            "extension_reason",
            "converted_on",
            "ended_on",
            "end_reason",
            "cultivators",
            "sponsors",
        ]
        read_only_fields = fields


class CaseCreateSerializer(serializers.Serializer):
    person = EditablePrimaryKeyField(Person)
    applied_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StepSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="办理日期")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CandidateSerializer(StepSerializer):
    exam_passed_on = serializers.DateField(help_text="党校考试合格日期")
    exam_score = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, default=None
    )


class CultivateSerializer(StepSerializer):
    cultivators = serializers.ListField(child=serializers.IntegerField(), help_text="培养人编号")


class TargetSerializer(StepSerializer):
    committee_on = serializers.DateField(help_text="支委会集体讨论评议日期")
    sponsors = serializers.ListField(
        child=serializers.IntegerField(), help_text="两名正式党员（入党介绍人）编号"
    )


class TalkSerializer(StepSerializer):
    talker = serializers.IntegerField(help_text="谈话人编号（党总支指派）")


class ConversionStepSerializer(StepSerializer):
    step = ChoiceString(
        [("opinions", "征求党内外意见"), ("committee", "支委会讨论"), ("review", "党总支审查")]
    )


class ExtendSerializer(serializers.Serializer):
    on = serializers.DateField()
    until = serializers.DateField(help_text="延长后的预备期满日期（最多延长一年）")
    reason = serializers.CharField(max_length=200)


class CancelSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class NoticeSerializer(RecordSerializer):
    purpose = serializers.CharField(read_only=True, help_text=_help(NoticePurpose.choices))
    objections = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "case",
            "purpose",
            "purpose_display",
            "starts_on",
            "ends_on",
            "channel",
            "objections",
        ]
        read_only_fields = fields

    def get_objections(self, obj) -> list[dict]:
        return ObjectionSerializer(obj.objections.all(), many=True).data


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "notice", "received_on", "content", "resolved_on", "resolution", "upheld"]
        read_only_fields = fields


class NoticeCreateSerializer(serializers.Serializer):
    case = VisiblePrimaryKeyField(Case)
    purpose = ChoiceString(NoticePurpose.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    channel = serializers.CharField(max_length=100, required=False, default="全体师生")


class ObjectionCreateSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    content = serializers.CharField()


class ObjectionResolveSerializer(serializers.Serializer):
    objection = serializers.IntegerField()
    resolved_on = serializers.DateField()
    resolution = serializers.CharField()
    upheld = serializers.BooleanField(default=False)


class VoteSerializer(RecordSerializer):
    purpose = serializers.CharField(read_only=True, help_text=_help(VotePurpose.choices))

    class Meta:
        model = Vote
        fields = [
            "id",
            "case",
            "purpose",
            "purpose_display",
            "held_on",
            "should_attend",
            "present",
            "in_favour",
            "against",
            "abstained",
            "passed",
            "failure",
            "note",
        ]
        read_only_fields = fields


class VoteCreateSerializer(serializers.Serializer):
    case = VisiblePrimaryKeyField(Case)
    purpose = ChoiceString(VotePurpose.choices)
    held_on = serializers.DateField()
    should_attend = serializers.IntegerField(min_value=1)
    present = serializers.IntegerField(min_value=0)
    in_favour = serializers.IntegerField(min_value=0)
    against = serializers.IntegerField(min_value=0, default=0)
    abstained = serializers.IntegerField(min_value=0, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ProbationReportSerializer(RecordSerializer):
    kind = serializers.CharField(read_only=True, help_text=_help(ReportKind.choices))

    class Meta:
        model = ProbationReport
        fields = ["id", "case", "kind", "kind_display", "submitted_on", "summary", "document"]
        read_only_fields = fields


class ProbationReportCreateSerializer(serializers.Serializer):
    case = VisiblePrimaryKeyField(Case)
    kind = ChoiceString(ReportKind.choices)
    submitted_on = serializers.DateField()
    summary = serializers.CharField(max_length=TEXT_LONG)
