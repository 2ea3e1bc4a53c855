"""API serializers for quarterly reports: output shapes and input validation only; the view
hands validated data to dangjian.reports.services."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangjian.core.serializer_fields import EditablePrimaryKeyField, RecordSerializer
from dangjian.org.models import Organisation
from dangjian.reports import rules, selectors
from dangjian.reports.models import QuarterlyReport, ReportStatus
from dangjian.reports.services import NARRATIVE_FIELDS


class QuarterlyReportSerializer(RecordSerializer):
    organisation_kind = serializers.CharField(source="organisation.kind", read_only=True)
    due_date = serializers.SerializerMethodField(help_text="报送截止日期（季度第三个月20日）")
    deadline_state = serializers.SerializerMethodField(
        help_text="pending 未到截止日期 / on_time 按时报送 / late 逾期报送 / overdue 逾期未报"
    )
    overdue = serializers.SerializerMethodField(help_text="已过截止日期仍未报送")
    needs_review = serializers.SerializerMethodField(
        help_text="是否由上级党组织审核（党委季报表报送市委教育工委，系统内不审核）"
    )

    class Meta:
        model = QuarterlyReport
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "organisation_kind",
            "year",
            "quarter",
            "status",
            "status_display",
            "due_date",
            "deadline_state",
            "overdue",
            "needs_review",
            "figures",
            *NARRATIVE_FIELDS,
            "submitted_at",
            "reviewed_at",
            "review_note",
        ]
        read_only_fields = fields

    def _state(self, obj) -> str:
        due = rules.due_date(obj.year, obj.quarter)
        return rules.deadline_state(due, selectors.submitted_on(obj), timezone.localdate())

    @extend_schema_field(OpenApiTypes.DATE)
    def get_due_date(self, obj):
        return rules.due_date(obj.year, obj.quarter)

    @extend_schema_field(serializers.ChoiceField(choices=list(rules.DEADLINE_LABELS)))
    def get_deadline_state(self, obj):
        return self._state(obj)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, obj):
        return self._state(obj) == "overdue"

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_needs_review(self, obj):
        return rules.needs_review(obj.organisation.kind)


class ReportCreateSerializer(serializers.Serializer):
    organisation = EditablePrimaryKeyField(
        Organisation,
        help_text="填报党组织编号（党委、党总支或党支部）",
        error_messages={"does_not_exist": "党组织不存在或不在您的管理范围内"},
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="年度")
    quarter = serializers.ChoiceField(choices=[1, 2, 3, 4], help_text="季度（1–4）")


class ReportNarrativeSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuarterlyReport
        fields = NARRATIVE_FIELDS


class ReviewSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text="审核意见"
    )


class ReturnSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="审核意见（退回时必填）",
    )


class ReportFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="年度"
    )
    quarter = serializers.ChoiceField(choices=[1, 2, 3, 4], required=False, help_text="季度")
    organisation = serializers.IntegerField(
        required=False, min_value=1, help_text="党组织编号（只列出该组织的季报表）"
    )
    status = serializers.ChoiceField(choices=ReportStatus.choices, required=False, help_text="状态")


class CoverageQuerySerializer(serializers.Serializer):
    organisation = serializers.IntegerField(min_value=1, help_text="党组织编号")
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="年度（默认今年）"
    )


class CoverageSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    organisation_name = serializers.CharField()
    year = serializers.IntegerField()
    on = serializers.DateField(help_text="判断日期")
    branches = serializers.IntegerField(help_text="党支部数（未撤销）")
    covered_branches = serializers.IntegerField(help_text="已实行“168”机制的党支部数")
    percent = serializers.FloatField(help_text="推广面（%）")
    target_met = serializers.BooleanField(
        allow_null=True, help_text="是否达到12月底前100%的目标；12月31日前未达到时为 null（推进中）"
    )
    verdict = serializers.ChoiceField(choices=list(rules.COVERAGE_LABELS))
    label = serializers.CharField()
