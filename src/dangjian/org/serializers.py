"""API serializers for organisations, people and positions.

Output serializers shape responses; input serializers only validate a payload, which the
view hands to a service in dangjian.org.services. Ids in a payload must name rows the
requesting user may edit (`Model.objects.editable_by(user)`).
"""

from rest_framework import serializers

from dangjian.core import access
from dangjian.core.serializer_fields import EditablePrimaryKeyField, RecordSerializer
from dangjian.org import rules
from dangjian.org.models import (
    BranchCategory,
    LeaveCause,
    Organisation,
    PartyStatus,
    Person,
    Position,
)
from dangjian.org.selectors import sees_full_identity
from dangjian.org.services import ORG_FIELDS, PERSON_FIELDS

# --- organisations ---------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    # `parent_id` is annotated by the view's queryset (one query for a whole page).
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    # Blank for organisations other than branches (DRF drops allow_blank on read-only fields).
    category = serializers.ChoiceField(
        choices=BranchCategory.choices, allow_blank=True, read_only=True, help_text="支部类别"
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "category",
            "code",
            "display_order",
            "founded_on",
            "dissolved_on",
            "activity_room_area",
            "note",
            "parent",
            "depth",
            "path",
        ]
        read_only_fields = fields


class OrganisationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class OrganisationUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ORG_FIELDS


class OrganisationCreateSerializer(OrganisationUpdateSerializer):
    parent = EditablePrimaryKeyField(
        Organisation,
        allow_null=True,
        help_text="上级组织编号；只有组织部干事或管理员可以新建顶层组织（null）。",
        error_messages={"does_not_exist": "上级组织不存在或不在您的管理范围内"},
    )

    class Meta(OrganisationUpdateSerializer.Meta):
        fields = ["parent", *OrganisationUpdateSerializer.Meta.fields]

    def validate_parent(self, value):
        user = self.context["request"].user
        if value is None and not access.can(user, "org.create_top_level"):
            raise serializers.ValidationError("只有组织部干事或管理员可以新建顶层党组织")
        return value


class OrganisationMoveSerializer(serializers.Serializer):
    new_parent = EditablePrimaryKeyField(
        Organisation,
        help_text="新的上级组织编号",
        error_messages={"does_not_exist": "新的上级组织不存在或不在您的管理范围内"},
    )


class OrganisationDissolveSerializer(serializers.Serializer):
    dissolved_on = serializers.DateField(help_text="撤销日期")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- people ------------------------------------------------------------------------------


class PersonSerializer(RecordSerializer):
    """A person; ID number and phone in full only for viewers whose role needs them."""

    id_number_masked = serializers.CharField(source="masked_id_number", read_only=True)
    phone_masked = serializers.CharField(source="masked_phone", read_only=True)
    id_number = serializers.CharField(
        read_only=True, allow_null=True, help_text="完整身份证号，仅组织部干事和管理员可见"
    )
    phone = serializers.CharField(
        read_only=True, allow_null=True, help_text="完整手机号，仅组织部干事和管理员可见"
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "staff_number",
            "gender",
            "ethnicity",
            "birth_date",
            "id_number_masked",
            "phone_masked",
            "id_number",
            "phone",
            "category",
            "unit",
            "unit_name",
            "party_status",
            "status_since",
            "applied_on",
            "joined_on",
            "probation_starts_on",
            "probation_ends_on",
            "primary_org",
            "primary_org_name",
            "group",
            "group_name",
            "is_active",
            "education",
            "degree",
            "professional_title",
            "title_level",
            "post",
            "native_place",
            "relation_held_here",
            "relation_held_at",
            "standing",
            "left_on",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not sees_full_identity(self.context["request"].user):
            data["id_number"] = None
            data["phone"] = None
        return data


class PersonUpdateSerializer(serializers.ModelSerializer):
    primary_org = EditablePrimaryKeyField(
        Organisation,
        allow_null=True,
        error_messages={"does_not_exist": "所在党组织不存在或不在您的管理范围内"},
    )
    group = EditablePrimaryKeyField(
        Organisation,
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": "党小组不存在或不在您的管理范围内"},
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS

    def _unmasked(self, name: str, value: str) -> str:
        """Who reads numbers only masked may send the mask back: that keeps the stored number."""
        person = self.instance
        if person is None or sees_full_identity(self.context["request"].user):
            return value
        stored = getattr(person, name)
        mask = rules.mask_id_number if name == "id_number" else rules.mask_phone
        return rules.replacement_value(value, stored, mask(stored or "")) or ""

    def validate_id_number(self, value):
        # Blank means "none": the column is unique, so store NULL rather than "".
        value = self._unmasked("id_number", (value or "").strip().upper())
        return value or None

    def validate_phone(self, value):
        return self._unmasked("phone", (value or "").strip())

    def validate_primary_org(self, value):
        # Officers of a branch must keep the person inside their own scope.
        user = self.context["request"].user
        if value is None and not access.can(user, "org.unassign_person"):
            raise serializers.ValidationError("请选择所在党组织")
        return value


class PersonCreateSerializer(PersonUpdateSerializer):
    party_status = serializers.ChoiceField(
        choices=PartyStatus.choices,
        required=False,
        default=PartyStatus.MASSES,
        help_text="登记时的政治面貌；此后的变更请用 status 接口",
    )

    class Meta(PersonUpdateSerializer.Meta):
        fields = [*PersonUpdateSerializer.Meta.fields, "party_status"]


class PersonStatusSerializer(serializers.Serializer):
    new_status = serializers.ChoiceField(choices=PartyStatus.choices, help_text="新的政治面貌")
    effective_on = serializers.DateField(help_text="生效日期")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PersonLeaveSerializer(serializers.Serializer):
    cause = serializers.ChoiceField(
        choices=LeaveCause.choices, help_text="事由：停止党籍、除名、开除党籍、退党、死亡、转出"
    )
    on = serializers.DateField(help_text="日期")
    reason = serializers.CharField(max_length=300, help_text="原因")


class PersonRestoreSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="恢复党籍的日期")
    reason = serializers.CharField(max_length=300, help_text="原因")


# --- positions ---------------------------------------------------------------------------


class PositionSerializer(RecordSerializer):
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Position
        fields = [
            "id",
            "person",
            "person_name",
            "organisation",
            "organisation_name",
            "title",
            "starts_on",
            "ends_on",
            "note",
            "is_current",
        ]
        read_only_fields = fields


class PositionCreateSerializer(serializers.ModelSerializer):
    person = EditablePrimaryKeyField(
        Person, error_messages={"does_not_exist": "人员不存在或不在您的管理范围内"}
    )
    organisation = EditablePrimaryKeyField(
        Organisation, error_messages={"does_not_exist": "党组织不存在或不在您的管理范围内"}
    )

    class Meta:
        model = Position
        fields = ["person", "organisation", "title", "starts_on", "ends_on", "note"]


class PositionEndSerializer(serializers.Serializer):
    ends_on = serializers.DateField(help_text="离任日期")
