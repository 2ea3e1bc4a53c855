"""REST API of the surveys of the masses (/api/v1/surveys/).

Officers (scoped to their subtree, members refused with 403): list, create and read surveys,
issue a batch of one-time links, close a survey, read its aggregate result (below the
minimum only the counts).

Public, no login and no credentials read (so no session and no CSRF): the answer sheet of a
link (`forms/<token>/`) and casting a ballot (`ballots/`), both throttled per address. No
response anywhere carries a ballot id, a ballot's link or the time a ballot was cast.
"""

from types import SimpleNamespace

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.core import api_views as core_api
from dangjian.core.api_views import ScopedViewSet
from dangjian.org.models import Person
from dangjian.surveys import rules, selectors, services
from dangjian.surveys.filters import SurveyFilter
from dangjian.surveys.models import Survey
from dangjian.surveys.serializers import (
    SurveyBallotSerializer,
    SurveyCreateSerializer,
    SurveyDetailSerializer,
    SurveyIssuedSerializer,
    SurveyIssueSerializer,
    SurveyPublicFormSerializer,
    SurveyReceiptSerializer,
    SurveyResultSerializer,
    SurveySerializer,
)
from dangjian.surveys.throttles import SurveyPublicThrottle

RECEIPT = "答卷已提交，谢谢您的参与！本次测评为匿名测评，答卷不记录您的身份、所用的链接和提交时间。"


def with_subjects(queryset):
    """Subjects by name, fetched in one query for the whole page."""
    return queryset.prefetch_related(
        Prefetch("subjects", queryset=Person.objects.only("id", "name").order_by("name", "id"))
    )


class OfficersOnly(core_api.OfficersOnly):
    message = "仅党组织书记、委员和组织部干事可以组织民意测评。"


class SurveyViewSet(ScopedViewSet):
    """民意测评 of the officer's subtree."""

    model = Survey
    serializer_class = SurveySerializer
    permission_classes = [IsAuthenticated, OfficersOnly]
    lookup_value_regex = r"\d+"
    filterset_class = SurveyFilter

    def get_queryset(self):
        return with_subjects(super().get_queryset().select_related("organisation"))

    def get_serializer_class(self):
        if self.action in ("retrieve", "create", "close"):
            return SurveyDetailSerializer
        return SurveySerializer

    @extend_schema(summary="民意测评列表")
    def list(self, request):
        # A bad filter is a 400; an organisation out of scope lists nothing.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        context["results"] = selectors.results(page, counts_only=True)
        return self.get_paginated_response(SurveySerializer(page, many=True, context=context).data)

    @extend_schema(summary="民意测评详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=SurveyCreateSerializer,
        responses={201: SurveyDetailSerializer},
        summary="新建民意测评（党员民意测评或党支部工作满意度测评）",
    )
    def create(self, request):
        data = self.validated(SurveyCreateSerializer)
        survey = services.survey_create(actor=request.user, **data)
        return self.respond(survey, status.HTTP_201_CREATED)

    @extend_schema(
        request=SurveyIssueSerializer,
        responses={201: SurveyIssuedSerializer},
        summary="发放一批一次性测评链接",
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        survey = self.get_editable_object()
        data = self.validated(SurveyIssueSerializer)
        tokens = services.tokens_issue(actor=request.user, survey=survey, count=data["count"])
        links = [
            {
                "number": index,
                "url": request.build_absolute_uri(reverse("surveys:answer", args=[t.token])),
            }
            for index, t in enumerate(tokens, start=1)
        ]
        payload = {"batch": tokens[0].batch, "count": len(tokens), "links": links}
        return Response(SurveyIssuedSerializer(payload).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=SurveyDetailSerializer, summary="结束测评")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        survey = self.get_editable_object()
        survey = services.survey_close(actor=request.user, survey=survey)
        return self.respond(survey)

    @extend_schema(
        responses=SurveyResultSerializer,
        summary="汇总结果（未达最少有效票数时只有份数）",
    )
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        survey = self.get_object()
        res = selectors.result(survey)
        payload = SimpleNamespace(
            survey_id=survey.pk,
            issued=res.issued,
            responses=res.responses,
            minimum=res.minimum,
            visible=res.visible,
            rows=selectors.result_rows(survey, res),
            satisfaction_rate=res.satisfaction_rate if res.visible else None,
            comments=selectors.comments(survey) if res.visible else [],
        )
        return Response(SurveyResultSerializer(payload).data)


# --- public -----------------------------------------------------------------------------------


class PublicSurveyView(APIView):
    """No login, no credentials read: every visitor is the same anonymous visitor."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SurveyPublicThrottle]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response


class PublicFormView(PublicSurveyView):
    @extend_schema(
        summary="测评答卷内容（凭一次性链接，无需登录）",
        responses={
            200: SurveyPublicFormSerializer,
            404: OpenApiResponse(description="链接无效"),
            410: OpenApiResponse(description="链接已提交过答卷"),
        },
        tags=["public"],
    )
    def get(self, request, token):
        row = selectors.token_row(token)
        if row is None:
            raise NotFound(services.TOKEN_INVALID)
        state = selectors.answer_state(row, timezone.localdate())
        if state == "used":
            return Response({"detail": services.TOKEN_USED}, status=status.HTTP_410_GONE)
        survey = row.survey
        message = {rules.NOT_OPEN: services.NOT_OPEN, rules.CLOSED: services.CLOSED}.get(
            state or "", ""
        )
        payload = {
            "title": survey.title,
            "instructions": survey.instructions,
            "organisation_name": survey.organisation.name,
            "kind": survey.kind,
            "kind_display": survey.get_kind_display(),
            "opens_on": survey.opens_on,
            "closes_on": survey.closes_on,
            "answerable": state is None,
            "message": message,
            "subjects": [
                {"id": pk, "name": name} for pk, name in selectors.answer_subjects(survey)
            ],
            "ratings": [
                {"value": v, "label": label} for v, label in selectors.rating_choices(survey.kind)
            ],
            "comment_max_length": rules.COMMENT_MAX_LENGTH,
        }
        return Response(SurveyPublicFormSerializer(payload).data)


class PublicBallotView(PublicSurveyView):
    @extend_schema(
        summary="提交测评答卷（凭一次性链接，无需登录，每个链接只能提交一次）",
        request=SurveyBallotSerializer,
        responses={201: SurveyReceiptSerializer},
        tags=["public"],
    )
    def post(self, request):
        serializer = SurveyBallotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.ballot_cast(
            token=data["token"],
            ratings={item.get("subject"): item["rating"] for item in data["ratings"]},
            comment=data["comment"],
        )
        return Response({"detail": RECEIPT}, status=status.HTTP_201_CREATED)
