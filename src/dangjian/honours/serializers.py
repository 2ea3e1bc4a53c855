"""API input and output of honours rounds and model units. Inputs name rows by scoped ids
(another branch's person or organisation is a 400); the services check the rules."""

from rest_framework import serializers

from dangjian.core.serializer_fields import ChoiceString, EditablePrimaryKeyField, RecordSerializer
from dangjian.honours import rules
from dangjian.honours.models import (
    Category,
    CheckKind,
    HonourRound,
    Nomination,
    Objection,
    Quota,
    UnitCheck,
)
from dangjian.org.models import Organisation, Person


class HonourQuotaSerializer(RecordSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Quota
        fields = ["id", "organisation", "organisation_name", "category", "quota"]
        read_only_fields = fields


class HonourRoundSerializer(RecordSerializer):
    class Meta:
        model = HonourRound
        fields = [
            "id",
            "title",
            "year",
            "nomination_deadline",
            "notice_starts_on",
            "notice_ends_on",
            "decided_on",
            "decision_number",
            "published_on",
            "state",
            "note",
        ]
        read_only_fields = fields


class HonourRoundCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    nomination_deadline = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class HonourQuotaInputSerializer(serializers.Serializer):
    organisation = EditablePrimaryKeyField(
        Organisation, help_text="党总支（或党委直属党支部）的编号"
    )
    category = ChoiceString(Category.choices)
    quota = serializers.IntegerField(min_value=0, max_value=999)


class HonourNoticeSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class HonourDecideSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=60)


class HonourPublishSerializer(serializers.Serializer):
    published_on = serializers.DateField()


class HonourObjectionSerializer(RecordSerializer):
    class Meta:
        model = Objection
        fields = ["id", "received_on", "content", "resolved", "upheld", "resolution", "resolved_on"]
        read_only_fields = fields


class HonourNominationSerializer(RecordSerializer):
    nominee = serializers.CharField(source="nominee_name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "round",
            "category",
            "person",
            "organisation",
            "nominee",
            "organisation_name",
            "quota_holder",
            "deeds",
            "state",
            "nominated_on",
            "reviewed_on",
            "review_note",
        ]
        read_only_fields = fields


class HonourNominationCreateSerializer(serializers.Serializer):
    round = serializers.PrimaryKeyRelatedField(queryset=HonourRound.objects.all())
    category = ChoiceString(Category.choices)
    person = EditablePrimaryKeyField(Person, required=False, allow_null=True)
    organisation = EditablePrimaryKeyField(Organisation, required=False, allow_null=True)
    deeds = serializers.CharField(max_length=5000)

    def validate(self, attrs):
        category = attrs["category"]
        if category in rules.PERSON_CATEGORIES and not attrs.get("person"):
            raise serializers.ValidationError(
                {"person": "推荐优秀共产党员、优秀党务工作者须选择党员。"}
            )
        if category == rules.ADVANCED_ORG and not attrs.get("organisation"):
            raise serializers.ValidationError({"organisation": "推荐先进基层党组织须选择党组织。"})
        return attrs


class HonourReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class HonourObjectionInputSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    content = serializers.CharField(max_length=5000)


class HonourResolveSerializer(serializers.Serializer):
    objection = serializers.IntegerField(min_value=1)
    upheld = serializers.BooleanField()
    resolution = serializers.CharField(max_length=5000)


class HonourUnitCheckSerializer(RecordSerializer):
    class Meta:
        model = UnitCheck
        fields = ["id", "unit", "checked_on", "kind", "findings"]
        read_only_fields = fields


class HonourCheckInputSerializer(serializers.Serializer):
    checked_on = serializers.DateField()
    kind = ChoiceString(CheckKind.choices)
    findings = serializers.CharField(max_length=5000)


class HonourUnitReviewSerializer(serializers.Serializer):
    outcome = ChoiceString([(rules.CONFIRM, "确认"), (rules.WITHDRAW, "撤销")])
    reviewed_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
