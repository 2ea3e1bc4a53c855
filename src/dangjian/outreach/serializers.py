"""API serializers of the outreach app. Output serializers shape responses; input serializers
validate a payload the view hands to a service. Choice fields are plain strings with their
Chinese label beside them (`*_display`), listed in the help text."""

from rest_framework import serializers

from dangjian.core.serializer_fields import (
    ChoiceString,
    RecordSerializer,
    VisiblePrimaryKeyField,
    choices_help,
)
from dangjian.org.models import Person, Unit
from dangjian.outreach import rules
from dangjian.outreach.models import Contact, FocusGroup, Link, Visit, VisitKind, VisitMethod
from dangjian.outreach.selectors import LINK_KIND_CHOICES


class UnitField(VisiblePrimaryKeyField):
    """Units hold no personal data; any active unit (the service checks its kind)."""

    def get_queryset(self):
        return Unit.objects.active()


# --- contacts -----------------------------------------------------------------------------


class ContactSerializer(RecordSerializer):
    active = serializers.SerializerMethodField(help_text="联系中（未结束）")

    class Meta:
        model = Contact
        fields = [
            "id",
            "member",
            "member_name",
            "organisation",
            "organisation_name",
            "contact",
            "name",
            "relation",
            "since",
            "ended_on",
            "active",
            "note",
        ]
        read_only_fields = fields

    def get_active(self, obj) -> bool:
        return obj.ended_on is None


class ContactCreateSerializer(serializers.Serializer):
    member = VisiblePrimaryKeyField(Person, required=False, help_text="党员编号；不填为本人")
    contact = VisiblePrimaryKeyField(
        Person, required=False, allow_null=True, help_text="在册人员编号（须为党外群众），可不填"
    )
    name = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="联系对象姓名"
    )
    relation = serializers.CharField(max_length=30, help_text="关系，如：同事、学生、邻居")
    since = serializers.DateField(required=False, help_text="建立联系日期，默认今天")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False, help_text="结束日期，默认今天")


# --- links --------------------------------------------------------------------------------


class LinkSerializer(RecordSerializer):
    kind = serializers.CharField(read_only=True, help_text=choices_help(LINK_KIND_CHOICES))
    unit_name = serializers.SerializerMethodField()

    class Meta:
        model = Link
        fields = [
            "id",
            "visitor",
            "visitor_name",
            "organisation",
            "organisation_name",
            "kind",
            "kind_display",
            "unit",
            "unit_name",
            "target",
            "since",
            "ended_on",
        ]
        read_only_fields = fields

    def get_unit_name(self, obj) -> str | None:
        return obj.unit.full_name if obj.unit_id else None


class LinkCreateSerializer(serializers.Serializer):
    visitor = VisiblePrimaryKeyField(Person, help_text="联系人编号")
    kind = ChoiceString(LINK_KIND_CHOICES)
    unit = UnitField(Unit, required=False, allow_null=True, help_text="二级学院或班级编号")
    target = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="学生宿舍，如：3号楼学生宿舍"
    )
    since = serializers.DateField(required=False, help_text="开始日期，默认今天")


class ComplianceSerializer(LinkSerializer):
    period_label = serializers.SerializerMethodField()
    period_start = serializers.DateField(source="p_start", read_only=True)
    period_end = serializers.DateField(source="p_end", read_only=True)
    required = serializers.IntegerField(read_only=True, help_text="期间内要求的走访次数")
    done = serializers.IntegerField(read_only=True, help_text="期间内已走访次数")
    status = serializers.SerializerMethodField(
        help_text="done=已完成；due=进行中；overdue=逾期未完成"
    )
    status_display = serializers.SerializerMethodField()

    class Meta(LinkSerializer.Meta):
        fields = [
            *LinkSerializer.Meta.fields,
            "period_label",
            "period_start",
            "period_end",
            "required",
            "done",
            "status",
            "status_display",
        ]
        read_only_fields = fields

    def get_period_label(self, obj) -> str:
        return obj.period.label

    def get_status(self, obj) -> str:
        return obj.status

    def get_status_display(self, obj) -> str:
        return rules.STATUS_LABELS[obj.status]


# --- visits -------------------------------------------------------------------------------


class VisitSerializer(RecordSerializer):
    class Meta:
        model = Visit
        fields = [
            "id",
            "visitor",
            "visitor_name",
            "organisation",
            "organisation_name",
            "kind",
            "kind_display",
            "link",
            "visited_on",
            "unit",
            "interviewee",
            "focus_group",
            "focus_group_display",
            "method",
            "method_display",
            "content",
            "needs_follow_up",
        ]
        read_only_fields = fields


class VisitUpdateSerializer(serializers.Serializer):
    kind = ChoiceString(VisitKind.choices, required=False)
    link = VisiblePrimaryKeyField(
        Link, required=False, allow_null=True, help_text="走访人本人的联系点编号"
    )
    visited_on = serializers.DateField(required=False, help_text="走访日期，不能晚于今天")
    unit = UnitField(Unit, required=False, allow_null=True, help_text="走访的学院或班级编号")
    interviewee = serializers.CharField(max_length=100, required=False, allow_blank=True)
    focus_group = ChoiceString(FocusGroup.choices, required=False, allow_blank=True)
    method = ChoiceString(VisitMethod.choices, required=False)
    content = serializers.CharField(required=False)
    needs_follow_up = serializers.BooleanField(required=False)


class VisitCreateSerializer(VisitUpdateSerializer):
    visitor = VisiblePrimaryKeyField(Person, required=False, help_text="走访人编号；不填为本人")
    kind = ChoiceString(
        VisitKind.choices,
        required=False,
        help_text=("不填则取联系点的类别；" + choices_help(VisitKind.choices)),
    )
    visited_on = serializers.DateField(help_text="走访日期，不能晚于今天")
    content = serializers.CharField(help_text="走访内容及成效")

    def validate(self, attrs):
        if not attrs.get("kind") and not attrs.get("link"):
            raise serializers.ValidationError({"kind": "请选择走访类别。"})
        return attrs
