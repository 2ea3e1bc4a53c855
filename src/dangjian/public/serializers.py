"""API serializers of the public board and the suggestion box.

The public serializers are plain `Serializer`s over the whitelisted dicts of
`public.selectors` — they cannot reach any other field of a row. Input serializers only
validate; the view hands the data to a service in `public.services`.
"""

from rest_framework import serializers

from dangjian.core.serializer_fields import ChoiceLabel, EditablePrimaryKeyField, RecordSerializer
from dangjian.org.models import Person
from dangjian.public import rules
from dangjian.public.models import Suggestion, SuggestionCategory
from dangjian.targets.models import WorkItem

# --- Public board (no login) ---------------------------------------------------------------


class PublicOrganisationSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField()


class PublicBoardOrganisationSerializer(PublicOrganisationSerializer):
    kind = serializers.CharField(help_text="general_branch 党总支；branch 党支部")


class PublicPostSerializer(serializers.Serializer):
    """The six disclosures of a post (《168模式实施意见》§五(二)): 姓名、岗位（职责）、目标任务、
    工作进展、考核评议、奖惩结果."""

    id = serializers.IntegerField()
    year = serializers.IntegerField()
    holder_name = serializers.CharField(help_text="姓名")
    name = serializers.CharField(help_text="岗位")
    duties = serializers.CharField(help_text="职责")
    targets = serializers.CharField(help_text="目标任务")
    progress = serializers.CharField(help_text="工作进展")
    grade = serializers.CharField(help_text="考评等次代码（未评为空）")
    grade_label = serializers.CharField(help_text="考评等次")
    evaluation = serializers.CharField(help_text="考核评议")
    reward = serializers.CharField(help_text="奖惩结果")
    published_on = serializers.DateField(allow_null=True)
    evaluated_on = serializers.DateField(allow_null=True)


class PublicCommitmentAreaSerializer(serializers.Serializer):
    label = serializers.CharField()
    text = serializers.CharField()


class PublicCommitmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    person_name = serializers.CharField()
    areas = PublicCommitmentAreaSerializer(many=True)
    published_on = serializers.DateField()


class PublicTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    work_item_title = serializers.CharField()
    title = serializers.CharField()
    target = serializers.CharField()
    commitment = serializers.CharField()
    assignee_name = serializers.CharField()
    responsible_name = serializers.CharField()
    deadline = serializers.DateField()
    progress = serializers.IntegerField(help_text="完成进度（%）")
    completed_on = serializers.DateField(allow_null=True)
    published_on = serializers.DateField()


class PublicReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField()
    category_label = serializers.CharField()
    content = serializers.CharField()
    reply = serializers.CharField()
    replied_on = serializers.DateField()


class PublicGradeGroupSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="党支部")
    names = serializers.ListField(child=serializers.CharField())


class PublicGradeSerializer(serializers.Serializer):
    grade = serializers.CharField(help_text="等次")
    count = serializers.IntegerField()
    names = serializers.ListField(child=serializers.CharField(), help_text="该等次党员姓名")
    groups = PublicGradeGroupSerializer(many=True, help_text="按党支部分列的姓名")


class PublicAppraisalSerializer(serializers.Serializer):
    """考核评议公开: a published evaluation — names by grade only, no sub-scores."""

    title = serializers.CharField()
    published_on = serializers.DateField()
    grades = PublicGradeSerializer(many=True)
    count = serializers.IntegerField()


class PublicHonourSerializer(serializers.Serializer):
    """奖惩结果公开: an honour of the year."""

    id = serializers.IntegerField()
    year = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(help_text="荣誉")
    person_name = serializers.CharField()
    organisation_name = serializers.CharField(help_text="所在支部")
    awarded_on = serializers.DateField()


class PublicCommendationSerializer(serializers.Serializer):
    """奖惩结果公开: an award of a published honours round (两优一先)."""

    id = serializers.IntegerField()
    category = serializers.CharField()
    category_label = serializers.CharField(help_text="表彰类别")
    name = serializers.CharField(help_text="受表彰的党员或党组织")
    organisation_name = serializers.CharField(help_text="所在党组织")
    round_title = serializers.CharField()
    decision_number = serializers.CharField(help_text="表彰决定文号")
    published_on = serializers.DateField(allow_null=True)


class PublicSecretaryReviewSerializer(serializers.Serializer):
    """书记述职评议公开 (联述联评联考): a secretary's published grade of the year."""

    organisation_name = serializers.CharField(source="organisation__name")
    secretary_name = serializers.CharField(source="secretary__name")
    total = serializers.DecimalField(max_digits=4, decimal_places=1, help_text="综合得分")
    grade = serializers.CharField(help_text="综合等次")
    published_on = serializers.DateField(source="round__published_on")


class PublicCommendationNoticeSerializer(serializers.Serializer):
    """公示: a nominee of an honours round whose notice runs today."""

    id = serializers.IntegerField()
    category = serializers.CharField()
    category_label = serializers.CharField(help_text="表彰类别")
    name = serializers.CharField(help_text="拟表彰的党员或党组织")
    organisation_name = serializers.CharField(help_text="所在党组织")
    round_title = serializers.CharField()
    notice_ends_on = serializers.DateField(help_text="公示截止日期")


class PublicBoardSerializer(serializers.Serializer):
    organisation = PublicBoardOrganisationSerializer()
    parent = PublicOrganisationSerializer(allow_null=True)
    children = PublicOrganisationSerializer(many=True)
    year = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField())
    posts = PublicPostSerializer(many=True)
    commitments = PublicCommitmentSerializer(many=True)
    tasks = PublicTaskSerializer(many=True)
    replies = PublicReplySerializer(many=True)
    appraisals = PublicAppraisalSerializer(many=True)
    honours = PublicHonourSerializer(many=True)
    commendations = PublicCommendationSerializer(many=True)
    secretary_reviews = PublicSecretaryReviewSerializer(many=True)
    commendation_notices = PublicCommendationNoticeSerializer(many=True)


class PublicSuggestionCreateSerializer(serializers.Serializer):
    organisation = serializers.CharField(
        max_length=40, help_text="党组织代码（公开栏地址中的代码）"
    )
    name = serializers.CharField(
        max_length=rules.NAME_MAX, required=False, allow_blank=True, default=""
    )
    contact = serializers.CharField(
        max_length=rules.CONTACT_MAX, required=False, allow_blank=True, default=""
    )
    category = serializers.ChoiceField(
        choices=SuggestionCategory.choices, default=SuggestionCategory.OTHER
    )
    content = serializers.CharField(help_text=f"不超过{rules.CONTENT_MAX}字")
    website = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="留空（防机器提交）"
    )

    def validate_content(self, value):
        error = rules.content_error(value)
        if error:
            raise serializers.ValidationError(error)
        return value


class PublicSuggestionReceiptSerializer(serializers.Serializer):
    tracking_code = serializers.CharField(help_text="查询码：请提交人保存")
    organisation = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_on = serializers.DateField()


class PublicTrackSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    organisation = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField()
    submitted_on = serializers.DateField()
    reply = serializers.CharField(help_text="答复（答复后才有）")
    replied_on = serializers.DateField(allow_null=True)


# --- Officers ------------------------------------------------------------------------------


class SuggestionSerializer(RecordSerializer):
    """A suggestion as officers see it (submitter's name and contact included; the address
    hash never)."""

    category_label = ChoiceLabel("category")
    status = serializers.CharField(read_only=True)
    status_label = ChoiceLabel("status")
    opinion = serializers.SerializerMethodField()

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "tracking_code",
            "organisation",
            "organisation_name",
            "name",
            "contact",
            "category",
            "category_label",
            "content",
            "status",
            "status_label",
            "assigned_to",
            "assigned_to_name",
            "reply",
            "reply_public",
            "replied_on",
            "replied_by",
            "created_at",
            "opinion",
        ]
        read_only_fields = fields

    def get_opinion(self, obj) -> int | None:
        """The id of the opinion (step 1 of a work item) made from this suggestion."""
        opinion = getattr(obj, "opinion", None)
        return opinion.pk if opinion is not None else None


class SuggestionClassifySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=SuggestionCategory.choices)


class SuggestionAssignSerializer(serializers.Serializer):
    assigned_to = EditablePrimaryKeyField(Person, help_text="承办人（人员编号）")


class SuggestionReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=rules.CONTENT_MAX)
    reply_public = serializers.BooleanField(default=False)
    replied_on = serializers.DateField(required=False, allow_null=True)


class VisibleWorkItemField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": "所选工作事项不存在或不在您的管理范围内",
        "incorrect_type": "应为整数编号",
    }

    def __init__(self, **kwargs):
        super().__init__(queryset=WorkItem.objects.all(), **kwargs)

    def get_queryset(self):
        return WorkItem.objects.visible_to(self.context["request"].user)


class SuggestionToOpinionSerializer(serializers.Serializer):
    work_item = VisibleWorkItemField(help_text="仍处于“征求意见”步骤的工作事项编号")
