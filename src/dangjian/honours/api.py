"""REST API of honours rounds (两优一先) and model units (/api/v1/honours/).

Reads start from the scoped querysets (out of scope = 404); each step calls the same service as
its page, which checks the rights (403 naming the rule) and the rules (400 in Chinese).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from dangjian.core.api_views import ScopedViewSet
from dangjian.honours import selectors, services
from dangjian.honours import serializers as s
from dangjian.honours.filters import NominationFilter
from dangjian.honours.models import HonourRound, ModelUnit, Nomination, Objection
from dangjian.honours.views import UNITS


class RoundViewSet(mixins.ListModelMixin, ScopedViewSet):
    """评选表彰 rounds: every officer reads them; the department runs them."""

    model = HonourRound
    serializer_class = s.HonourRoundSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("-year", "-id")

    @extend_schema(request=s.HonourRoundCreateSerializer, responses={201: s.HonourRoundSerializer})
    def create(self, request):
        data = self.validated(s.HonourRoundCreateSerializer)
        return self.respond(
            services.round_create(actor=request.user, **data), status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=s.HonourQuotaSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=s.HonourQuotaSerializer)
    def quotas(self, request, pk=None):
        round_ = self.get_object()
        rows = [row.quota for row in selectors.quota_table(round_)]
        return Response(s.HonourQuotaSerializer(rows, many=True).data)

    @extend_schema(request=s.HonourQuotaInputSerializer, responses=s.HonourQuotaSerializer)
    @action(detail=True, methods=["post"], url_path="set-quota")
    def set_quota(self, request, pk=None):
        round_ = self.get_object()
        quota = services.quota_set(
            actor=request.user, round=round_, **self.validated(s.HonourQuotaInputSerializer)
        )
        return Response(s.HonourQuotaSerializer(quota).data)

    @extend_schema(request=s.HonourNoticeSerializer, responses=s.HonourRoundSerializer)
    @action(detail=True, methods=["post"])
    def notice(self, request, pk=None):
        data = self.validated(s.HonourNoticeSerializer)
        return self.respond(
            services.notice_post(actor=request.user, round=self.get_object(), **data)
        )

    @extend_schema(request=s.HonourDecideSerializer, responses=s.HonourRoundSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = self.validated(s.HonourDecideSerializer)
        return self.respond(
            services.round_decide(actor=request.user, round=self.get_object(), **data)
        )

    @extend_schema(request=s.HonourPublishSerializer, responses=s.HonourRoundSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        data = self.validated(s.HonourPublishSerializer)
        return self.respond(
            services.round_publish(actor=request.user, round=self.get_object(), **data)
        )


class NominationViewSet(mixins.ListModelMixin, ScopedViewSet):
    """推荐对象: nominated by branches and general branches, reviewed by the level above."""

    model = Nomination
    serializer_class = s.HonourNominationSerializer
    filterset_class = NominationFilter

    def get_queryset(self):
        return selectors.nominations(self.request.user).order_by(
            "category", "organisation__path", "id"
        )

    @extend_schema(
        request=s.HonourNominationCreateSerializer, responses={201: s.HonourNominationSerializer}
    )
    def create(self, request):
        data = dict(self.validated(s.HonourNominationCreateSerializer))
        round_ = data.pop("round")
        if not HonourRound.objects.visible_to(request.user).filter(pk=round_.pk).exists():
            raise NotFound()
        row = services.nomination_create(actor=request.user, round=round_, **data)
        return self.respond(row, status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        services.nomination_withdraw(actor=request.user, nomination=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.HonourReviewSerializer, responses=s.HonourNominationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = self.validated(s.HonourReviewSerializer)
        row = services.nomination_review(actor=request.user, nomination=self.get_object(), **data)
        return self.respond(row)

    @extend_schema(
        request=s.HonourObjectionInputSerializer, responses={201: s.HonourObjectionSerializer}
    )
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        data = self.validated(s.HonourObjectionInputSerializer)
        row = services.objection_record(actor=request.user, nomination=self.get_object(), **data)
        return Response(s.HonourObjectionSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.HonourResolveSerializer, responses=s.HonourObjectionSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        nomination = self.get_object()
        data = dict(self.validated(s.HonourResolveSerializer))
        objection = Objection.objects.filter(
            nomination=nomination, pk=data.pop("objection")
        ).first()
        if objection is None:
            raise NotFound()
        row = services.objection_resolve(actor=request.user, objection=objection, **data)
        return Response(s.HonourObjectionSerializer(row).data)


class UnitViewSet(UNITS.viewset()):  # type: ignore[misc,valid-type]
    """示范单位培育: the register, its checks and its review."""

    @extend_schema(
        request=s.HonourCheckInputSerializer, responses={201: s.HonourUnitCheckSerializer}
    )
    @action(detail=True, methods=["post"])
    def checks(self, request, pk=None):
        unit = self.get_editable_object()
        row = services.check_record(
            actor=request.user, unit=unit, **self.validated(s.HonourCheckInputSerializer)
        )
        return Response(s.HonourUnitCheckSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.HonourUnitReviewSerializer, responses=UNITS.viewset().serializer_class)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        unit = self.get_editable_object()
        row = services.unit_review(
            actor=request.user, unit=unit, **self.validated(s.HonourUnitReviewSerializer)
        )
        return self.respond(row)


UnitViewSet.model = ModelUnit
