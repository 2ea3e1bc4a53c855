"""The API of 联述联评联考 (/api/v1/review/): the rounds' register (list, create, partial update,
delete, publish) and the secretaries' reports with their steps — the same filters, forms,
services and scoping as the pages."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.core import access
from dangjian.core.api_views import ScopedViewSet
from dangjian.review import filters, forms, selectors, services
from dangjian.review.models import SecretaryReport
from dangjian.review.permissions import RATE_REPORT, REVIEW_REPORT, SUBMIT_REPORT
from dangjian.review.views import ROUNDS
from dangjian.surveys import selectors as survey_selectors


class RoundViewSet(ROUNDS.viewset()):  # type: ignore[misc]
    """联述联评联考轮次: list, create, partial update, delete, and publish the results."""

    @extend_schema(request=None, summary="发布结果（全部述职评定后）")
    @action(detail=True, methods=["post"])
    def publish(self, request: Any, pk: Any = None) -> Response:
        round_ = self.get_editable_object()
        return self.respond(services.round_publish(actor=request.user, round=round_))


class SecretaryReportSerializer(serializers.ModelSerializer):
    round_title = serializers.CharField(source="round.title", read_only=True)
    year = serializers.IntegerField(source="round.year", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    secretary_name = serializers.CharField(source="secretary.name", read_only=True)
    attachment_url = serializers.SerializerMethodField()
    published = serializers.BooleanField(read_only=True)

    class Meta:
        model = SecretaryReport
        fields = [
            "id", "round", "round_title", "year", "organisation", "organisation_name", "secretary",
            "secretary_name", "state", "text", "attachment_name", "attachment_url", "submitted_on",
            "survey", "masses_score", "masses_responses", "review_score", "review_comment",
            "reviewed_on", "total", "grade", "published",
        ]  # fmt: skip

    def get_attachment_url(self, obj: SecretaryReport) -> str | None:
        return obj.attachment.url if obj.attachment else None


class SecretaryReportInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    attachment = serializers.FileField(required=False)


class ReviewRatingInputSerializer(serializers.Serializer):
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    min_responses = serializers.IntegerField(required=False)
    links = serializers.IntegerField(required=False)


class RatingProgressSerializer(serializers.Serializer):
    survey = serializers.IntegerField()
    responses = serializers.IntegerField()
    minimum = serializers.IntegerField()
    issued = serializers.IntegerField()
    visible = serializers.BooleanField()


class ReportReviewInputSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=4, decimal_places=1)
    comment = serializers.CharField()


def _form_data(form_class: Any, request: Any) -> dict[str, Any]:
    form = form_class(data=request.data, files=request.FILES or None, user=request.user)
    if not form.is_valid():
        raise DjangoValidationError(form.errors.as_data())
    return dict(form.cleaned_data)


class ReportViewSet(mixins.ListModelMixin, ScopedViewSet):
    """书记述职: the reports the user sees (a secretary: their own), and the steps — submit
    (联述), rating (联评, the level above), review (the level above)."""

    model = SecretaryReport
    serializer_class = SecretaryReportSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = filters.ReportFilter

    def get_queryset(self) -> Any:
        return selectors.reports_for(self.request.user).order_by(
            "-round__year", "-round_id", "organisation__path", "id"
        )

    def _acting(self, name: str) -> SecretaryReport:
        report = self.get_object()
        if not access.can(self.request.user, name, report):
            raise PermissionDenied(access.refusal(name))
        return report

    @extend_schema(
        request=SecretaryReportInputSerializer,
        responses=SecretaryReportSerializer,
        summary="提交述职报告（联述）",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Any, pk: Any = None) -> Response:
        report = self._acting(SUBMIT_REPORT)
        data = _form_data(forms.ReportForm, request)
        report = services.report_submit(
            actor=request.user, report=report, text=data["text"], attachment=data.get("attachment")
        )
        return self.respond(report)

    @extend_schema(
        request=ReviewRatingInputSerializer,
        responses=SecretaryReportSerializer,
        summary="组织党员和群众代表测评（联评）",
    )
    @action(detail=True, methods=["post"])
    def rating(self, request: Any, pk: Any = None) -> Response:
        report = self._acting(RATE_REPORT)
        data = _form_data(forms.RatingForm, request)
        services.rating_open(
            actor=request.user,
            report=report,
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            min_responses=data.get("min_responses"),
            links=data.get("links") or 0,
        )
        return self.respond(report)

    @extend_schema(responses=RatingProgressSerializer, summary="测评进度（回收份数与最少有效票数）")
    @rating.mapping.get
    def rating_progress(self, request: Any, pk: Any = None) -> Response:
        report = self._acting(RATE_REPORT)
        if report.survey is None:
            raise DjangoValidationError({"survey": "该述职尚未组织测评。"})
        res = survey_selectors.results([report.survey], counts_only=True)[report.survey.pk]
        return Response(
            {"survey": report.survey.pk, "responses": res.responses, "minimum": res.minimum,
             "issued": res.issued, "visible": res.visible}
        )  # fmt: skip

    @extend_schema(
        request=ReportReviewInputSerializer,
        responses=SecretaryReportSerializer,
        summary="上级党组织评定",
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Any, pk: Any = None) -> Response:
        report = self._acting(REVIEW_REPORT)
        data = _form_data(forms.ReviewForm, request)
        report = services.report_review(
            actor=request.user, report=report, score=data["score"], comment=data["comment"]
        )
        return self.respond(report)
