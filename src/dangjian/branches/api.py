"""REST API of branch classification grading and rectification (/api/v1/branches/).

Reads start from the scoped querysets (out of scope = 404); the services check the rules (400
with Chinese field errors) and the rights (403 naming the rule — e.g. a branch secretary who
tries to grade their own branch).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.branches import selectors, services
from dangjian.branches.filters import ItemFilter
from dangjian.branches.models import (
    BranchGrading,
    GradingStandard,
    GradingYear,
    RectificationItem,
    RectificationPlan,
)
from dangjian.branches.serializers import (
    BranchesDecideSerializer,
    BranchesDiscussSerializer,
    BranchesDoneSerializer,
    BranchesGradingCreateSerializer,
    BranchesGradingFilterSerializer,
    BranchesGradingSerializer,
    BranchesGradingYearCreateSerializer,
    BranchesGradingYearSerializer,
    BranchesGradingYearUpdateSerializer,
    BranchesItemCreateSerializer,
    BranchesItemSerializer,
    BranchesItemUpdateSerializer,
    BranchesPlanCreateSerializer,
    BranchesPlanFilterSerializer,
    BranchesPlanSerializer,
    BranchesPlanUpdateSerializer,
    BranchesReasonSerializer,
    BranchesStandardSerializer,
    BranchesStandardUpdateSerializer,
    BranchesSummaryFilterSerializer,
    BranchesSummarySerializer,
    BranchesSurveySerializer,
    BranchesVerifySerializer,
)
from dangjian.core.api_views import OfficersOnly, ScopedViewSet


class StandardViewSet(ScopedViewSet):
    """分类定级评分参考标准 (《组织建设年实施方案》附件2、3): officers read; the department changes
    them."""

    model = GradingStandard
    serializer_class = BranchesStandardSerializer
    permission_classes = [IsAuthenticated, OfficersOnly]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("criteria").order_by("applies_to", "id")

    @extend_schema(summary="评分参考标准列表")
    def list(self, request):
        return self.paginated(self.get_queryset())

    @extend_schema(summary="评分参考标准详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=BranchesStandardUpdateSerializer,
        responses=BranchesStandardSerializer,
        summary="修改评分参考标准（党委组织部）",
    )
    def partial_update(self, request, pk=None):
        standard = self.get_object()
        data = self.validated(BranchesStandardUpdateSerializer, partial=True)
        standard = services.standard_update(actor=request.user, standard=standard, **data)
        return self.respond(standard)


class GradingYearViewSet(ScopedViewSet):
    """年度分类定级 (基层组织建设年) with the dates of 《组织建设年实施方案》附件1 二."""

    model = GradingYear
    serializer_class = BranchesGradingYearSerializer
    permission_classes = [IsAuthenticated, OfficersOnly]

    def get_queryset(self):
        return super().get_queryset().select_related("organisation").order_by("-id")

    @extend_schema(summary="年度分类定级列表")
    def list(self, request):
        return self.paginated(self.get_queryset())

    @extend_schema(summary="年度分类定级详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=BranchesGradingYearCreateSerializer,
        responses={201: BranchesGradingYearSerializer},
        summary="建立年度分类定级（党委组织部；日期不填按《组织建设年实施方案》附件1）",
    )
    def create(self, request):
        data = self.validated(BranchesGradingYearCreateSerializer)
        grading_year = services.grading_year_create(actor=request.user, **data)
        return self.respond(grading_year, status.HTTP_201_CREATED)

    @extend_schema(
        request=BranchesGradingYearUpdateSerializer,
        responses=BranchesGradingYearSerializer,
        summary="修改年度分类定级的日期",
    )
    def partial_update(self, request, pk=None):
        grading_year = self.get_object()
        data = self.validated(BranchesGradingYearUpdateSerializer, partial=True)
        grading_year = services.grading_year_update(
            actor=request.user, grading_year=grading_year, **data
        )
        return self.respond(grading_year)


class GradingViewSet(ScopedViewSet):
    """党支部调查摸底与分类定级: branches fill in the survey; the level above decides the grade."""

    model = BranchGrading
    serializer_class = BranchesGradingSerializer
    permission_classes = [IsAuthenticated, OfficersOnly]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("grading_year", "branch", "standard", "graded_by")
            .prefetch_related("scores")
            .order_by("-id")
        )

    @extend_schema(parameters=[BranchesGradingFilterSerializer], summary="分类定级列表")
    def list(self, request):
        filters = self.query_filters(BranchesGradingFilterSerializer)
        queryset = self.get_queryset()
        for name, lookup in (
            ("grading_year", "grading_year_id"),
            ("year", "grading_year__year"),
            ("branch", "branch_id"),
            ("round", "round"),
            ("state", "state"),
            ("grade", "grade"),
        ):
            if filters.get(name):
                queryset = queryset.filter(**{lookup: filters[name]})
        return self.paginated(queryset)

    @extend_schema(summary="分类定级详情（含各项评分）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=BranchesGradingCreateSerializer,
        responses={201: BranchesGradingSerializer},
        summary="开始调查摸底（初次定级或6月起复评定级）",
    )
    def create(self, request):
        data = self.validated(BranchesGradingCreateSerializer)
        grading = services.grading_create(actor=request.user, **data)
        return self.respond(grading, status.HTTP_201_CREATED)

    @extend_schema(
        request=BranchesSurveySerializer,
        responses=BranchesGradingSerializer,
        summary="填报调查摸底评分、存在问题、支部自评和群众评议",
    )
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        grading = self.get_object()
        data = self.validated(BranchesSurveySerializer)
        grading = services.grading_survey_save(actor=request.user, grading=grading, **data)
        return self.respond(grading)

    @extend_schema(
        request=BranchesDecideSerializer,
        responses=BranchesGradingSerializer,
        summary="定级（由党总支或党委组织部决定先进、较好、一般、后进）",
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        grading = self.get_object()
        data = self.validated(BranchesDecideSerializer)
        grading = services.grading_decide(actor=request.user, grading=grading, **data)
        return self.respond(grading)

    @extend_schema(
        request=BranchesReasonSerializer,
        responses=BranchesGradingSerializer,
        summary="退回重新调查摸底",
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        grading = self.get_object()
        data = self.validated(BranchesReasonSerializer)
        grading = services.grading_reopen(actor=request.user, grading=grading, **data)
        return self.respond(grading)


class RectificationPlanViewSet(ScopedViewSet):
    """整改提高方案 (《组织建设年实施方案》附件1 二(四)): discussed at a general meeting, then
    submitted."""

    model = RectificationPlan
    serializer_class = BranchesPlanSerializer
    permission_classes = [IsAuthenticated, OfficersOnly]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("branch")
            .prefetch_related("items__responsible", "items__plan__branch")
            .order_by("-id")
        )

    @extend_schema(parameters=[BranchesPlanFilterSerializer], summary="整改提高方案列表")
    def list(self, request):
        filters = self.query_filters(BranchesPlanFilterSerializer)
        queryset = self.get_queryset()
        for name, lookup in (
            ("branch", "branch_id"),
            ("year", "year"),
            ("state", "state"),
            ("source", "source"),
        ):
            if filters.get(name):
                queryset = queryset.filter(**{lookup: filters[name]})
        return self.paginated(queryset)

    @extend_schema(summary="整改提高方案详情（含整改事项）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=BranchesPlanCreateSerializer,
        responses={201: BranchesPlanSerializer},
        summary="制定整改提高方案",
    )
    def create(self, request):
        data = self.validated(BranchesPlanCreateSerializer)
        plan = services.rectification_plan_create(actor=request.user, **data)
        return self.respond(plan, status.HTTP_201_CREATED)

    @extend_schema(
        request=BranchesPlanUpdateSerializer,
        responses=BranchesPlanSerializer,
        summary="修改整改目标和原因",
    )
    def partial_update(self, request, pk=None):
        plan = self.get_object()
        data = self.validated(BranchesPlanUpdateSerializer, partial=True)
        plan = services.rectification_plan_update(actor=request.user, plan=plan, **data)
        return self.respond(plan)

    @extend_schema(
        request=BranchesDiscussSerializer,
        responses=BranchesPlanSerializer,
        summary="登记党员大会讨论整改提高方案",
    )
    @action(detail=True, methods=["post"])
    def discuss(self, request, pk=None):
        plan = self.get_object()
        data = self.validated(BranchesDiscussSerializer)
        plan = services.rectification_plan_discuss(actor=request.user, plan=plan, **data)
        return self.respond(plan)

    @extend_schema(
        request=None,
        responses=BranchesPlanSerializer,
        summary="提交整改提高方案（须经党员大会讨论）",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        plan = self.get_object()
        plan = services.rectification_plan_submit(actor=request.user, plan=plan)
        return self.respond(plan)


class RectificationItemViewSet(ScopedViewSet):
    """整改事项: the branch reports them done (officers or the responsible person); the level
    above verifies them (销号)."""

    model = RectificationItem
    serializer_class = BranchesItemSerializer
    filterset_class = ItemFilter
    member_actions = {"list", "retrieve", "done"}

    def get_permissions(self):
        if self.action in self.member_actions:
            return [IsAuthenticated()]
        return [IsAuthenticated(), OfficersOnly()]

    def get_queryset(self):
        return super().get_queryset().select_related("plan__branch", "responsible").order_by("-id")

    @extend_schema(summary="整改事项列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="整改事项详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=BranchesItemCreateSerializer,
        responses={201: BranchesItemSerializer},
        summary="增加整改事项",
    )
    def create(self, request):
        data = self.validated(BranchesItemCreateSerializer)
        item = services.rectification_item_create(actor=request.user, **data)
        return self.respond(item, status.HTTP_201_CREATED)

    @extend_schema(
        request=BranchesItemUpdateSerializer,
        responses=BranchesItemSerializer,
        summary="修改整改事项",
    )
    def partial_update(self, request, pk=None):
        item = self.get_object()
        data = self.validated(BranchesItemUpdateSerializer, partial=True)
        item = services.rectification_item_update(actor=request.user, item=item, **data)
        return self.respond(item)

    @extend_schema(summary="删除整改事项（方案提交前）")
    def destroy(self, request, pk=None):
        item = self.get_object()
        services.rectification_item_delete(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=BranchesDoneSerializer,
        responses=BranchesItemSerializer,
        summary="报告整改完成（支部书记、委员或责任人）",
    )
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        item = self.get_object()
        data = self.validated(BranchesDoneSerializer)
        item = services.rectification_item_done(actor=request.user, item=item, **data)
        return self.respond(item)

    @extend_schema(
        request=BranchesVerifySerializer,
        responses=BranchesItemSerializer,
        summary="核实销号或退回（上级党组织）",
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        item = self.get_object()
        data = self.validated(BranchesVerifySerializer)
        item = services.rectification_item_verify(actor=request.user, item=item, **data)
        return self.respond(item)


class SummaryViewSet(viewsets.GenericViewSet):
    """Per general branch: grades of both rounds and rectification progress of a year."""

    serializer_class = BranchesSummarySerializer
    permission_classes = [IsAuthenticated, OfficersOnly]
    pagination_class = None

    def get_queryset(self):
        return GradingYear.objects.visible_to(self.request.user)

    @extend_schema(
        parameters=[BranchesSummaryFilterSerializer],
        responses=BranchesSummarySerializer(many=True),
        summary="分类定级与整改汇总（按党总支）",
    )
    def list(self, request):
        filters = BranchesSummaryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        grading_year = (
            self.get_queryset()
            .select_related("organisation")
            .filter(pk=filters.validated_data["grading_year"])
            .first()
        )
        if grading_year is None:
            raise NotFound()
        rows = selectors.summary_api(request.user, grading_year)
        return Response(BranchesSummarySerializer(rows, many=True).data)
