"""REST API of dues and the activity fund (/api/v1/finance/): scoped like the pages.

Standards and payments are read by the officers who keep them and by the member (their own
rows only); the month's payments of a branch are written in one batch (each row's result);
statistics per organisation; the fund ledger's lines are the record type's API."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.core.api_views import OfficersOnly, ScopedViewSet
from dangjian.finance import selectors, services
from dangjian.finance.filters import DuesPaymentFilter, DuesStandardFilter
from dangjian.finance.models import DuesPayment, DuesStandard
from dangjian.org.models import Organisation, OrgKind


class DuesStandardSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = DuesStandard
        fields = [
            "id",
            "person",
            "person_name",
            "organisation",
            "year",
            "kind",
            "base",
            "monthly",
            "set_at",
        ]


class DuesPaymentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = DuesPayment
        fields = [
            "id",
            "person",
            "person_name",
            "organisation",
            "year",
            "month",
            "due",
            "paid",
            "paid_on",
            "state",
            "note",
        ]


class DuesStandardViewSet(mixins.ListModelMixin, ScopedViewSet):
    """党费标准: the officers who keep them (the base is personal data) and the member's own."""

    model = DuesStandard
    serializer_class = DuesStandardSerializer
    filterset_class = DuesStandardFilter

    def get_queryset(self):
        return (
            DuesStandard.objects.visible_to(self.request.user)
            .select_related("person")
            .order_by("-year", "person__name", "id")
        )


class DuesPaymentViewSet(mixins.ListModelMixin, ScopedViewSet):
    """党费收缴: one row per member and month."""

    model = DuesPayment
    serializer_class = DuesPaymentSerializer
    filterset_class = DuesPaymentFilter

    def get_queryset(self):
        return (
            DuesPayment.objects.visible_to(self.request.user)
            .select_related("person")
            .order_by("-period", "person__name", "id")
        )


class PaymentRowInput(serializers.Serializer):
    person = serializers.IntegerField()
    paid = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    paid_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class PaymentBatchInput(serializers.Serializer):
    organisation = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    rows = PaymentRowInput(many=True, allow_empty=False, max_length=2000)


class RowResultSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField()
    saved = serializers.BooleanField()
    errors = serializers.DictField(child=serializers.CharField())


class PaymentBatchView(APIView):
    """A branch's payments of one month in one request; each row's result (a row with an
    error is not saved, the others are)."""

    permission_classes = [IsAuthenticated, OfficersOnly]

    @extend_schema(request=PaymentBatchInput, responses={200: RowResultSerializer(many=True)})
    def post(self, request):
        data = PaymentBatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        branch = (
            Organisation.objects.visible_to(request.user)
            .filter(pk=given["organisation"], kind=OrgKind.BRANCH)
            .first()
        )
        if branch is None:
            raise NotFound("党支部不存在或不在您的管理范围内")
        rows = [
            services.PaymentRow(
                person_id=r["person"],
                paid=r.get("paid"),
                paid_on=r.get("paid_on"),
                note=r.get("note", ""),
            )
            for r in given["rows"]
        ]
        results = services.payments_save(
            actor=request.user, branch=branch, year=given["year"], month=given["month"], rows=rows
        )
        body = RowResultSerializer(results, many=True).data
        return Response(body, status=status.HTTP_200_OK)


class StatisticsQuery(serializers.Serializer):
    org = serializers.IntegerField(required=False)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    month = serializers.IntegerField(min_value=1, max_value=12, required=False)


class StatRowSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation.pk")
    name = serializers.CharField(source="organisation.name")
    due = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)
    arrears = serializers.IntegerField()
    late = serializers.IntegerField()


class StatisticsView(APIView):
    """党费统计: the organisation and each one below it (subtree roll-up)."""

    permission_classes = [IsAuthenticated, OfficersOnly]

    @extend_schema(parameters=[StatisticsQuery], responses=StatRowSerializer(many=True))
    def get(self, request):
        query = StatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        root = selectors.statistics_root(request.user, given.get("org"))
        if root is None:
            raise NotFound("党组织不存在或不在您的管理范围内")
        year = given.get("year") or timezone.localdate().year
        rows = selectors.statistics(root, year, given.get("month"))
        return Response(StatRowSerializer(rows, many=True).data)
