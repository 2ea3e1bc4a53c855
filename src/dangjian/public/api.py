"""REST API of the public board and the suggestion box (/api/v1/).

Anonymous endpoints (`public/…`) take no credentials at all (no session, no token, so no
CSRF and no difference between visitors) and answer only from the whitelists of
`public.selectors`. The officers' `suggestions` endpoints are scoped like every other API:
out of scope is 404, members are refused (403).
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.core import api_views as core_api
from dangjian.core.api import CursorPagination
from dangjian.core.api_views import ScopedViewSet
from dangjian.core.params import parse_year
from dangjian.core.web import client_address
from dangjian.org.models import Organisation
from dangjian.public import selectors, services
from dangjian.public.filters import SuggestionFilter
from dangjian.public.models import Suggestion
from dangjian.public.serializers import (
    PublicBoardSerializer,
    PublicSuggestionCreateSerializer,
    PublicSuggestionReceiptSerializer,
    PublicTrackSerializer,
    SuggestionAssignSerializer,
    SuggestionClassifySerializer,
    SuggestionReplySerializer,
    SuggestionSerializer,
    SuggestionToOpinionSerializer,
)

TRACK_NOT_FOUND = "没有找到该查询码对应的意见建议，请核对后重新输入。"


class PublicAPIView(APIView):
    """No login, no credentials read: every visitor is the same anonymous visitor."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


class PublicBoardView(PublicAPIView):
    @extend_schema(
        summary="公开栏（六公开）",
        parameters=[
            OpenApiParameter("year", int, required=False, description="年度，默认当年"),
        ],
        responses={200: PublicBoardSerializer, 404: OpenApiResponse(description="无此公开栏")},
        tags=["public"],
    )
    def get(self, request, code):
        org = selectors.board_organisation(code)
        if org is None:
            raise NotFound(selectors.BOARD_NOT_FOUND)
        requested = parse_year(request.query_params.get("year"))
        year, years = selectors.board_years(org, requested)
        data = selectors.board(org, year)
        data["years"] = years
        return Response(PublicBoardSerializer(data).data)


class PublicSuggestionCreateView(PublicAPIView):
    @extend_schema(
        summary="提交意见建议（意见箱，无需登录）",
        request=PublicSuggestionCreateSerializer,
        responses={201: PublicSuggestionReceiptSerializer},
        tags=["public"],
    )
    def post(self, request):
        serializer = PublicSuggestionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        org = (
            Organisation.objects.active()
            .filter(code=data["organisation"])
            .only("id", "kind", "dissolved_on", "path")
            .first()
        )
        if org is None:
            return Response(
                {"organisation": ["没有找到该党组织。"]}, status=status.HTTP_400_BAD_REQUEST
            )
        suggestion = services.suggestion_submit(
            organisation=org,
            name=data["name"],
            contact=data["contact"],
            category=data["category"],
            content=data["content"],
            honeypot=data["website"],
            client_address=client_address(request),
        )
        receipt = selectors.tracking_view(suggestion)
        return Response(
            PublicSuggestionReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED
        )


class PublicTrackView(PublicAPIView):
    @extend_schema(
        summary="凭查询码查询办理情况",
        responses={200: PublicTrackSerializer, 404: OpenApiResponse(description="查询码不存在")},
        tags=["public"],
    )
    def get(self, request, code):
        suggestion = selectors.find_by_code(code)
        if suggestion is None:
            raise NotFound(TRACK_NOT_FOUND)
        return Response(PublicTrackSerializer(selectors.tracking_view(suggestion)).data)


class NewestFirstPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class OfficersOnly(core_api.OfficersOnly):
    message = "仅党组织书记、委员和组织部干事可以访问意见箱"


class SuggestionViewSet(ScopedViewSet):
    """Suggestions of the organisations in the officer's subtree and their handling."""

    model = Suggestion
    serializer_class = SuggestionSerializer
    permission_classes = [IsAuthenticated, OfficersOnly]
    pagination_class = NewestFirstPagination
    filterset_class = SuggestionFilter

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organisation", "assigned_to", "opinion")
            .defer("client_hash")
        )

    @extend_schema(summary="意见建议列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="意见建议详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=SuggestionClassifySerializer, responses=SuggestionSerializer, summary="分类"
    )
    def partial_update(self, request, pk=None):
        suggestion = self.get_editable_object()
        data = self.validated(SuggestionClassifySerializer)
        suggestion = services.suggestion_classify(actor=request.user, suggestion=suggestion, **data)
        return self.respond(suggestion)

    @extend_schema(
        request=SuggestionAssignSerializer,
        responses=SuggestionSerializer,
        summary="交办（状态转为办理中）",
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        suggestion = self.get_editable_object()
        data = self.validated(SuggestionAssignSerializer)
        suggestion = services.suggestion_assign(actor=request.user, suggestion=suggestion, **data)
        return self.respond(suggestion)

    @extend_schema(
        request=SuggestionReplySerializer,
        responses=SuggestionSerializer,
        summary="答复（状态转为已答复）",
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        suggestion = self.get_editable_object()
        data = self.validated(SuggestionReplySerializer)
        suggestion = services.suggestion_reply(actor=request.user, suggestion=suggestion, **data)
        return self.respond(suggestion)

    @extend_schema(request=None, responses=SuggestionSerializer, summary="办结")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        suggestion = self.get_editable_object()
        suggestion = services.suggestion_close(actor=request.user, suggestion=suggestion)
        return self.respond(suggestion)

    @extend_schema(
        request=SuggestionToOpinionSerializer,
        responses={201: SuggestionSerializer},
        summary="转入征求意见（六步工作法第一步）",
    )
    @action(detail=True, methods=["post"], url_path="to-opinion")
    def to_opinion(self, request, pk=None):
        suggestion = self.get_editable_object()
        data = self.validated(SuggestionToOpinionSerializer)
        services.suggestion_to_opinion(actor=request.user, suggestion=suggestion, **data)
        return self.respond(suggestion, status.HTTP_201_CREATED)
