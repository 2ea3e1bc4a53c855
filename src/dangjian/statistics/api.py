"""REST API of the annual statistics: the stored runs in scope, and asking for a new one."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound

from dangjian.core.api_views import ScopedViewSet
from dangjian.org.models import Organisation
from dangjian.statistics import services
from dangjian.statistics.filters import StatisticsRunFilter
from dangjian.statistics.models import StatisticsRun
from dangjian.statistics.serializers import StatisticsRunCreateSerializer, StatisticsRunSerializer


class StatisticsRunViewSet(ScopedViewSet):
    """党内统计: each run's figures (one row per organisation counted), newest first."""

    model = StatisticsRun
    serializer_class = StatisticsRunSerializer
    filterset_class = StatisticsRunFilter

    def get_queryset(self):
        return super().get_queryset().select_related("organisation").order_by("-id")

    @extend_schema(summary="党内统计结果列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="党内统计结果")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=StatisticsRunCreateSerializer,
        responses={201: StatisticsRunSerializer},
        summary="重新统计",
    )
    def create(self, request):
        data = self.validated(StatisticsRunCreateSerializer)
        org = Organisation.objects.visible_to(request.user).filter(pk=data["organisation"]).first()
        if org is None:
            raise NotFound("党组织不存在或不在您的管理范围内")
        run = services.run_request(actor=request.user, organisation=org, cut_off=data["cut_off"])
        return self.respond(run, status.HTTP_201_CREATED)
