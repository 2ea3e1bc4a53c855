"""REST API of the branch target-management assessment (/api/v1/assessment/).

Officers only, like the screens (a member has no row here: 403). Reads start from the scoped
querysets (out of scope = 404); every write is a service call that checks the rights (403 naming
the rule) and the rules (400 with Chinese field errors).
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.assessment import permissions, selectors, services
from dangjian.assessment.filters import RoundFilter
from dangjian.assessment.models import (
    AssessmentRound,
    BonusClaim,
    BranchAssessment,
    Item,
    ScoreSheetTemplate,
)
from dangjian.assessment.serializers import (
    AnswerSerializer,
    AppealCreateSerializer,
    AssessmentFilterSerializer,
    BranchAssessmentDetailSerializer,
    BranchAssessmentSerializer,
    ClaimCreateSerializer,
    ClaimReviewSerializer,
    ClaimSerializer,
    ClaimWithdrawSerializer,
    FundingRowSerializer,
    NotifySerializer,
    ReasonSerializer,
    RoundCreateSerializer,
    RoundSerializer,
    ScoresSerializer,
    SecretaryGradeSerializer,
    TemplateSerializer,
    VetoSerializer,
)
from dangjian.core import access
from dangjian.core.api_views import OfficersOnly, ScopedViewSet


class OfficersViewSet(ScopedViewSet):
    """The assessment is officers' work (考核领导小组 and the branches' 书记、委员)."""

    permission_classes = [IsAuthenticated, OfficersOnly]


class TemplateViewSet(OfficersViewSet):
    """考核评分表模板 (read): the seed-004 sheet and its versions."""

    model = ScoreSheetTemplate
    serializer_class = TemplateSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("indicators__items").order_by("-id")

    @extend_schema(summary="考核评分表列表")
    def list(self, request):
        return self.paginated(self.get_queryset())

    @extend_schema(summary="考核评分表详情（一级指标、二级指标、测评要素、评分方法、附加分标准）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class RoundViewSet(OfficersViewSet):
    """考核: created by the organisation department; seen by the officers it concerns."""

    model = AssessmentRound
    serializer_class = RoundSerializer
    filterset_class = RoundFilter

    def get_queryset(self):
        return super().get_queryset().select_related("template", "organisation").order_by("-id")

    @extend_schema(summary="考核列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="考核详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=RoundCreateSerializer,
        responses={201: RoundSerializer},
        summary="新建考核（为范围内每个党支部生成考核评分表；仅党委组织部）",
    )
    def create(self, request):
        access.require(request.user, permissions.CREATE_ROUND)
        data = self.validated(RoundCreateSerializer)
        round_ = services.round_create(actor=request.user, **data)
        return self.respond(round_, status.HTTP_201_CREATED)

    @extend_schema(
        responses=FundingRowSerializer(many=True), summary="党支部活动经费划拨（按考核结果）"
    )
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole list, unpaged
    def funding(self, request, pk=None):
        round_ = self.get_object()
        rows = selectors.funding_rows(request.user, round_)
        return Response(FundingRowSerializer(rows, many=True).data)

    @extend_schema(
        responses=SecretaryGradeSerializer(many=True), summary="党总支书记年度工作考核参考等级"
    )
    @action(detail=True, methods=["get"], url_path="secretary-grades", pagination_class=None)
    def secretary_grades(self, request, pk=None):
        round_ = self.get_object()
        rows = selectors.secretary_grades(request.user, round_)
        return Response(SecretaryGradeSerializer(rows, many=True).data)


class BranchAssessmentViewSet(OfficersViewSet):
    """党支部考核: the branch self-scores, submits and appeals; the assessment group (officers
    above the branch and the organisation department) scores, reviews claims, vetoes, notifies
    and answers."""

    model = BranchAssessment
    serializer_class = BranchAssessmentSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("branch", "round__template", "appeal")
            .order_by("-id")
        )

    def get_serializer_class(self):
        if self.action == "list":
            return BranchAssessmentSerializer
        return BranchAssessmentDetailSerializer

    def result_access(self) -> selectors.ResultAccess:
        """Who may see the group's result (one per request: the serializers read it per row)."""
        if not hasattr(self, "_result_access"):
            self._result_access = selectors.result_access(self.request.user)
        return self._result_access

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "result_access": self.result_access()}

    def respond(self, obj, status_code=status.HTTP_200_OK):
        obj = (
            self.get_queryset()
            .prefetch_related("scores__item", "claims__item")
            .filter(pk=obj.pk)
            .first()
        )
        if obj is None:
            raise NotFound()
        serializer = BranchAssessmentDetailSerializer(obj, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    @extend_schema(parameters=[AssessmentFilterSerializer], summary="党支部考核列表")
    def list(self, request):
        filters = self.query_filters(AssessmentFilterSerializer)
        queryset = self.get_queryset()
        lookups = {"round": "round_id", "branch": "branch_id", "state": "state"}
        for name, lookup in lookups.items():
            if filters.get(name):
                queryset = queryset.filter(**{lookup: filters[name]})
        if filters.get("grade"):
            # only among the results the user sees: the branch learns no grade by filtering
            queryset = queryset.filter(self.result_access().q(), grade=filters["grade"])
        return self.paginated(queryset)

    @extend_schema(summary="党支部考核详情（含逐项得分和附加分申报）")
    def retrieve(self, request, pk=None):
        return self.respond(self.get_object())

    def _items(self, assessment, payload) -> list:
        numbers = {
            i.pk: i
            for i in Item.objects.filter(
                indicator__template_id=assessment.round.template_id,
                pk__in=[s["item"] for s in payload],
            )
        }
        entries = []
        for row in payload:
            item = numbers.get(row["item"])
            if item is None:
                raise ValidationError({"scores": f"编号{row['item']}不是本考核评分表的指标。"})
            entries.append(
                services.ScoreEntry(item=item, score=row["score"], note=row.get("note", ""))
            )
        return entries

    @extend_schema(
        request=ScoresSerializer,
        responses=BranchAssessmentDetailSerializer,
        summary="填报支部自评（逐项得分和说明，可分次保存；本支部书记、委员）",
    )
    @action(detail=True, methods=["post"], url_path="self-scores")
    def self_scores(self, request, pk=None):
        assessment = self.get_object()
        data = self.validated(ScoresSerializer)
        services.self_scores_save(
            actor=request.user,
            assessment=assessment,
            entries=self._items(assessment, data["scores"]),
        )
        return self.respond(assessment)

    @extend_schema(request=None, responses=BranchAssessmentDetailSerializer, summary="提交自评")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        assessment = services.assessment_submit(actor=request.user, assessment=self.get_object())
        return self.respond(assessment)

    @extend_schema(
        request=ReasonSerializer,
        responses=BranchAssessmentDetailSerializer,
        summary="退回支部修改自评（考核组）",
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        data = self.validated(ReasonSerializer)
        assessment = services.assessment_reopen(
            actor=request.user, assessment=self.get_object(), reason=data["reason"]
        )
        return self.respond(assessment)

    @extend_schema(
        request=ScoresSerializer,
        responses=BranchAssessmentDetailSerializer,
        summary="考核组逐项评分（可分次保存）",
    )
    @action(detail=True, methods=["post"], url_path="group-scores")
    def group_scores(self, request, pk=None):
        assessment = self.get_object()
        data = self.validated(ScoresSerializer)
        services.group_scores_save(
            actor=request.user,
            assessment=assessment,
            entries=self._items(assessment, data["scores"]),
        )
        return self.respond(assessment)

    @extend_schema(
        request=None,
        responses=BranchAssessmentDetailSerializer,
        summary="完成评分（计算总分、等次和活动经费）",
    )
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        assessment = services.assessment_score(actor=request.user, assessment=self.get_object())
        return self.respond(assessment)

    @extend_schema(
        request=ClaimCreateSerializer,
        responses={201: ClaimSerializer},
        summary="申报附加分（评分表第17～20项；本支部书记、委员）",
    )
    @action(detail=True, methods=["post"], url_path="bonus-claims")
    def bonus_claims(self, request, pk=None):
        assessment = self.get_object()
        data = self.validated(ClaimCreateSerializer)
        item = Item.objects.filter(
            pk=data.pop("item"), indicator__template_id=assessment.round.template_id
        ).first()
        if item is None:
            raise ValidationError({"item": "请选择本考核评分表的附加分项目（第17～20项）。"})
        claim = services.bonus_claim_create(
            actor=request.user, assessment=assessment, item=item, **data
        )
        claim = BonusClaim.objects.select_related("item").get(pk=claim.pk)
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    def _claim(self, assessment, pk) -> BonusClaim:
        claim = BonusClaim.objects.filter(pk=pk, assessment=assessment).first()
        if claim is None:
            raise NotFound()
        return claim

    @extend_schema(
        request=ClaimReviewSerializer,
        responses=ClaimSerializer,
        summary="认定或不予认定附加分（考核组）",
    )
    @action(detail=True, methods=["post"], url_path="review-claim")
    def review_claim(self, request, pk=None):
        assessment = self.get_object()
        data = self.validated(ClaimReviewSerializer)
        claim = self._claim(assessment, data.pop("claim"))
        claim = services.bonus_claim_review(actor=request.user, claim=claim, **data)
        claim = BonusClaim.objects.select_related("item").get(pk=claim.pk)
        return Response(ClaimSerializer(claim).data)

    @extend_schema(
        request=ClaimWithdrawSerializer,
        responses={204: None},
        summary="撤回附加分申报（提交自评前）",
    )
    @action(detail=True, methods=["post"], url_path="withdraw-claim")
    def withdraw_claim(self, request, pk=None):
        assessment = self.get_object()
        data = self.validated(ClaimWithdrawSerializer)
        claim = self._claim(assessment, data["claim"])
        services.bonus_claim_delete(actor=request.user, claim=claim)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=VetoSerializer,
        responses=BranchAssessmentDetailSerializer,
        summary="一票否决（支部党员因违纪违法受到处分；考核组，书面通知前）",
    )
    @action(detail=True, methods=["post"])
    def veto(self, request, pk=None):
        data = self.validated(VetoSerializer)
        assessment = services.assessment_veto(
            actor=request.user, assessment=self.get_object(), **data
        )
        return self.respond(assessment)

    @extend_schema(
        request=NotifySerializer,
        responses=BranchAssessmentDetailSerializer,
        summary="书面通知考核结果（复核申请期限从通知之日起算）",
    )
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        data = self.validated(NotifySerializer)
        assessment = services.assessment_notify(
            actor=request.user, assessment=self.get_object(), **data
        )
        return self.respond(assessment)

    @extend_schema(
        request=AppealCreateSerializer,
        responses=BranchAssessmentDetailSerializer,
        summary="申请复核（接到通知之日起一周内；本支部书记、委员）",
    )
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        data = self.validated(AppealCreateSerializer)
        assessment = self.get_object()
        services.appeal_file(actor=request.user, assessment=assessment, **data)
        return self.respond(assessment)

    @extend_schema(
        request=AnswerSerializer,
        responses=BranchAssessmentDetailSerializer,
        summary="提出复核意见（接到申请后10日之内；考核组）",
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        data = self.validated(AnswerSerializer)
        assessment = self.get_object()
        services.appeal_answer(actor=request.user, assessment=assessment, **data)
        return self.respond(assessment)
