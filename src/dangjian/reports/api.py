"""REST API for quarterly reports (/api/v1/quarterly-reports/), scoped exactly like the pages:
officers only; a report out of scope is a 404; workflow refusals are 400 (state) or 403
(who may act) with the rule in Chinese."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.core import api_views as core_api
from dangjian.core.api_views import ScopedViewSet
from dangjian.org.models import Organisation
from dangjian.reports import selectors, services
from dangjian.reports.models import QuarterlyReport
from dangjian.reports.serializers import (
    CoverageQuerySerializer,
    CoverageSerializer,
    QuarterlyReportSerializer,
    ReportCreateSerializer,
    ReportFilterSerializer,
    ReportNarrativeSerializer,
    ReturnSerializer,
    ReviewSerializer,
)


class OfficersOnly(core_api.OfficersOnly):
    message = "季报表仅供党组织书记、委员和组织部干事使用"


class QuarterlyReportViewSet(ScopedViewSet):
    """Quarterly progress reports (季报表, 《延伸提升168机制意见》附件5) in the user's scope."""

    model = QuarterlyReport
    serializer_class = QuarterlyReportSerializer
    permission_classes = [IsAuthenticated, OfficersOnly]

    def get_queryset(self):
        return selectors.reports_visible(self.request.user)

    @extend_schema(parameters=[ReportFilterSerializer], summary="季报表列表")
    def list(self, request):
        filters = self.query_filters(ReportFilterSerializer)
        queryset = self.get_queryset()
        for name, lookup in (
            ("year", "year"),
            ("quarter", "quarter"),
            ("organisation", "organisation_id"),
            ("status", "status"),
        ):
            if name in filters:
                queryset = queryset.filter(**{lookup: filters[name]})
        return self.paginated(queryset)

    @extend_schema(summary="季报表详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=ReportCreateSerializer,
        responses={201: QuarterlyReportSerializer},
        summary="生成季报表草稿（统计数据自动生成）",
    )
    def create(self, request):
        data = self.validated(ReportCreateSerializer)
        report = services.report_generate(actor=request.user, **data)
        return self.respond(report, status.HTTP_201_CREATED)

    @extend_schema(
        request=ReportNarrativeSerializer,
        responses=QuarterlyReportSerializer,
        summary="填写季报表（工作进展情况、特色做法和成效、存在问题、下一步工作打算）",
    )
    def partial_update(self, request, pk=None):
        report = self.get_object()
        data = self.validated(ReportNarrativeSerializer, instance=report, partial=True)
        report = services.report_update(actor=request.user, report=report, **data)
        return self.respond(report)

    @extend_schema(request=None, responses=QuarterlyReportSerializer, summary="更新统计数据")
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        report = services.report_refresh(actor=request.user, report=self.get_object())
        return self.respond(report)

    @extend_schema(
        request=None,
        responses=QuarterlyReportSerializer,
        summary="报送（党总支、党支部报上级党组织；党委报市委教育工委）",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = services.report_submit(actor=request.user, report=self.get_object())
        return self.respond(report)

    @extend_schema(
        request=ReviewSerializer, responses=QuarterlyReportSerializer, summary="上级审核通过"
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        report = self.get_object()
        data = self.validated(ReviewSerializer)
        report = services.report_accept(actor=request.user, report=report, **data)
        return self.respond(report)

    @extend_schema(
        request=ReturnSerializer, responses=QuarterlyReportSerializer, summary="上级退回修改"
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request, pk=None):
        report = self.get_object()
        data = self.validated(ReturnSerializer)
        report = services.report_return(actor=request.user, report=report, **data)
        return self.respond(report)

    @extend_schema(
        parameters=[CoverageQuerySerializer],
        responses=CoverageSerializer,
        summary="推广面（12月底前达到100%）",
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def coverage(self, request):
        query = self.query_filters(CoverageQuerySerializer)
        org = Organisation.objects.visible_to(request.user).filter(pk=query["organisation"]).first()
        if org is None:
            raise NotFound()
        today = timezone.localdate()
        year = query.get("year") or today.year
        cov = selectors.coverage_for([org], year, on=today)[org.pk]
        data = {
            "organisation": org.pk,
            "organisation_name": org.name,
            "year": year,
            "on": today,
            "branches": cov.total,
            "covered_branches": cov.covered,
            "percent": cov.percent,
            "target_met": cov.target_met,
            "verdict": cov.verdict,
            "label": cov.label,
        }
        return Response(CoverageSerializer(data).data)
