from rest_framework import serializers

from dangjian.accounts.models import AccountBatch
from dangjian.core.serializer_fields import EditablePrimaryKeyField, RecordSerializer
from dangjian.org.models import Organisation


class BatchRequestSerializer(serializers.Serializer):
    organisation = EditablePrimaryKeyField(Organisation, help_text="党组织（含下级）")
    members_only = serializers.BooleanField(default=True)
    method = serializers.ChoiceField(choices=AccountBatch.Method.choices)
    dry_run = serializers.BooleanField(default=False, help_text="为真时只预览，不开通账号")


class PreviewLineSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    username = serializers.CharField(allow_null=True)
    refused = serializers.CharField(allow_blank=True, help_text="未开通的原因；开通时为空")


class CredentialSerializer(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.CharField()
    username = serializers.CharField()
    activation_url = serializers.CharField(allow_null=True)
    initial_password = serializers.CharField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)


class BatchSerializer(RecordSerializer):
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = AccountBatch
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "members_only",
            "method",
            "username_rule",
            "created_by_name",
            "created_at",
            "created_count",
            "refused_count",
        ]
        read_only_fields = fields

    def get_created_by_name(self, obj) -> str:
        user = obj.created_by
        if user is None:
            return ""
        return user.person.name if user.person_id else user.get_username()


class BatchResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    batch = BatchSerializer(allow_null=True)
    accounts = PreviewLineSerializer(many=True)
    credentials = CredentialSerializer(many=True, help_text="仅此一次返回，系统不保存明文")
