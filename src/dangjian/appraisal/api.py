"""REST API of member duty evaluation (/api/v1/appraisal/).

Reads start from the scoped querysets (out of scope = 404): officers read their subtree, a
member reads the cycles they are evaluated in, their own self-reports, honours and
rectifications, and their own results once published. Writes go through the services, which
check the rules (400 with Chinese field errors) and the rights (403 naming the rule).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.appraisal import filters, selectors, services
from dangjian.appraisal.models import (
    BranchRating,
    CycleState,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    MemberRectification,
    SelfReport,
)
from dangjian.appraisal.serializers import (
    CompleteSerializer,
    CycleCreateSerializer,
    CycleSerializer,
    ExplainSerializer,
    HonourCreateSerializer,
    HonourSerializer,
    PostsEvaluatedSerializer,
    ProgressSerializer,
    RatingBulkSerializer,
    RatingSerializer,
    RectificationSerializer,
    ResultSerializer,
    SelfReportCreateSerializer,
    SelfReportSerializer,
    SelfReportUpdateSerializer,
    VerifySerializer,
)
from dangjian.core import access
from dangjian.core.api_views import OwnWritesViewSet, ScopedViewSet


class CycleViewSet(OwnWritesViewSet):
    """党员考评（一季一评、半年初评、年终总评、民主评议党员）."""

    model = EvaluationCycle
    serializer_class = CycleSerializer
    filterset_class = filters.CycleFilter
    officer_reads = {"progress"}

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organisation")
            .prefetch_related("surveys")
            .order_by("-id")
        )

    @extend_schema(summary="考评列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="考评详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=CycleCreateSerializer,
        responses={201: CycleSerializer},
        summary="创建考评（生成考评对象和各党支部的党员民意测评）",
    )
    def create(self, request):
        data = self.validated(CycleCreateSerializer)
        cycle = services.cycle_create(actor=request.user, **data)
        return self.respond(cycle, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CycleSerializer, summary="计算考评结果")
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        cycle = services.cycle_compute(actor=request.user, cycle=self.get_object())
        return self.respond(cycle)

    @extend_schema(request=None, responses=CycleSerializer, summary="公布考评结果")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        cycle = services.cycle_publish(actor=request.user, cycle=self.get_object())
        return self.respond(cycle)

    @extend_schema(
        request=None,
        responses=PostsEvaluatedSerializer,
        summary="用于年度评岗（年终总评、民主评议）",
    )
    @action(detail=True, methods=["post"], url_path="evaluate-posts")
    def evaluate_posts(self, request, pk=None):
        outcome = services.cycle_evaluate_posts(actor=request.user, cycle=self.get_object())
        return Response(PostsEvaluatedSerializer(outcome).data)

    @extend_schema(
        responses=ProgressSerializer, summary="考评进度（各党支部述岗自评、综合评定、民意测评）"
    )
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        cycle = self.get_object()
        data = selectors.progress(request.user, cycle)
        editable = access.can(request.user, "appraisal.manage_cycle", cycle)
        data["blockers"] = (
            selectors.blockers(cycle) if editable and cycle.state != CycleState.PUBLISHED else []
        )
        return Response(ProgressSerializer(data).data)


class ResultViewSet(ScopedViewSet):
    """考评结果: officers read their subtree; a member reads their own once published."""

    model = EvaluationResult
    serializer_class = ResultSerializer
    filterset_class = filters.ResultFilter

    def get_queryset(self):
        return (
            super().get_queryset().select_related("cycle", "person", "organisation").order_by("-id")
        )

    @extend_schema(summary="考评结果列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="考评结果详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class SelfReportViewSet(OwnWritesViewSet):
    """述岗自评: the member writes their own; officers read their subtree."""

    model = SelfReport
    serializer_class = SelfReportSerializer
    filterset_class = filters.SelfReportFilter
    member_actions = {"create", "partial_update"}

    def get_queryset(self):
        return super().get_queryset().select_related("person").order_by("-id")

    @extend_schema(summary="述岗自评列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="述岗自评详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=SelfReportCreateSerializer,
        responses={201: SelfReportSerializer, 200: SelfReportSerializer},
        summary="提交本人述岗自评（已提交的则修改）",
    )
    def create(self, request):
        data = self.validated(SelfReportCreateSerializer)
        existed = SelfReport.objects.filter(
            cycle=data["cycle"], person_id=request.user.person_id
        ).exists()
        report = services.self_report_submit(actor=request.user, **data)
        return self.respond(report, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        request=SelfReportUpdateSerializer,
        responses=SelfReportSerializer,
        summary="修改本人述岗自评",
    )
    def partial_update(self, request, pk=None):
        report = self.get_object()
        data = self.validated(SelfReportUpdateSerializer, partial=True)
        report = services.self_report_submit(
            actor=request.user,
            cycle=report.cycle,
            person=report.person,
            report=data.get("report", report.report),
            self_score=data.get("self_score", report.self_score),
        )
        return self.respond(report)


class RatingViewSet(OwnWritesViewSet):
    """综合评定: officers of the member's branch or above; the mean is the branch score."""

    model = BranchRating
    serializer_class = RatingSerializer
    filterset_class = filters.RatingFilter
    officer_reads = {"list", "retrieve"}

    def get_queryset(self):
        return super().get_queryset().select_related("ratee", "rater").order_by("-id")

    @extend_schema(summary="综合评定列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="综合评定详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=RatingBulkSerializer,
        responses=RatingSerializer(many=True),
        summary="批量保存本人的综合评定",
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        data = self.validated(RatingBulkSerializer)
        saved = services.ratings_save(
            actor=request.user,
            cycle=data["cycle"],
            ratings=[(i["ratee"], i["score"], i["comment"]) for i in data["ratings"]],
        )
        rows = self.get_queryset().filter(pk__in=[r.pk for r in saved])
        return Response(self.get_serializer(rows, many=True).data)


class HonourViewSet(ScopedViewSet):
    """党员荣誉: awarded from a result graded 优秀 (《延伸提升168机制意见》§三)."""

    model = Honour
    serializer_class = HonourSerializer
    filterset_class = filters.HonourFilter

    def get_queryset(self):
        return super().get_queryset().select_related("person", "organisation").order_by("-id")

    @extend_schema(summary="党员荣誉列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="党员荣誉详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=HonourCreateSerializer, responses={201: HonourSerializer}, summary="授予荣誉"
    )
    def create(self, request):
        data = self.validated(HonourCreateSerializer)
        honour = services.honour_award(actor=request.user, **data)
        return self.respond(honour, status.HTTP_201_CREATED)

    @extend_schema(summary="撤销荣誉")
    def destroy(self, request, pk=None):
        services.honour_revoke(actor=request.user, honour=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class RectificationViewSet(OwnWritesViewSet):
    """限期整改: explained at the branch general meeting, done by a deadline, verified."""

    model = MemberRectification
    serializer_class = RectificationSerializer
    filterset_class = filters.RectificationFilter
    member_actions = {"complete"}

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "organisation", "result")
            .order_by("deadline", "id")
        )

    @extend_schema(summary="限期整改列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()).order_by("-id"))

    @extend_schema(summary="限期整改详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=ExplainSerializer,
        responses=RectificationSerializer,
        summary="登记在党员大会上的说明",
    )
    @action(detail=True, methods=["post"])
    def explain(self, request, pk=None):
        data = self.validated(ExplainSerializer)
        item = services.rectification_explain(
            actor=request.user,
            rectification=self.get_object(),
            meeting=data.get("meeting"),
            explained_on=data.get("explained_on"),
            explanation=data.get("explanation", ""),
        )
        return self.respond(item)

    @extend_schema(
        request=CompleteSerializer, responses=RectificationSerializer, summary="登记整改完成"
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = self.validated(CompleteSerializer)
        item = services.rectification_complete(
            actor=request.user, rectification=self.get_object(), **data
        )
        return self.respond(item)

    @extend_schema(request=VerifySerializer, responses=RectificationSerializer, summary="验收整改")
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        data = self.validated(VerifySerializer)
        item = services.rectification_verify(
            actor=request.user, rectification=self.get_object(), **data
        )
        return self.respond(item)
