"""REST API of contacts with the masses, 三联二访 links, visits and compliance (/api/v1/outreach/).

Reads start from the scoped querysets (out of scope = 404); members write their own contacts
and visits, officers those of their subtree; the services check the rules (400 with Chinese
field errors) and the rights (403 naming the rule).
"""

from datetime import date

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.core.api_views import OfficersOnly, OwnWritesViewSet, ScopedViewSet
from dangjian.core.params import parse_date
from dangjian.outreach import selectors, services
from dangjian.outreach.filters import ComplianceFilter, ContactFilter, LinkFilter, VisitFilter
from dangjian.outreach.models import Contact, Link, Visit
from dangjian.outreach.serializers import (
    ComplianceSerializer,
    ContactCreateSerializer,
    ContactSerializer,
    EndSerializer,
    LinkCreateSerializer,
    LinkSerializer,
    VisitCreateSerializer,
    VisitSerializer,
    VisitUpdateSerializer,
)


class ContactViewSet(OwnWritesViewSet):
    """党员联系党外群众 (1–3 each, 《基层组织建设实施意见》§四(二)4(2))."""

    model = Contact
    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    member_actions = {"create", "end"}

    def get_queryset(self):
        return super().get_queryset().select_related("member", "organisation").order_by("-id")

    @extend_schema(summary="联系群众列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="联系群众详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=ContactCreateSerializer,
        responses={201: ContactSerializer},
        summary="登记联系对象（每个党员1～3名党外群众）",
    )
    def create(self, request):
        data = self.validated(ContactCreateSerializer)
        contact = services.contact_create(actor=request.user, **data)
        return self.respond(contact, status.HTTP_201_CREATED)

    @extend_schema(request=EndSerializer, responses=ContactSerializer, summary="结束联系")
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        contact = self.get_object()
        data = self.validated(EndSerializer)
        contact = services.contact_end(actor=request.user, contact=contact, **data)
        return self.respond(contact)


class LinkViewSet(ScopedViewSet):
    """三联二访联系点: set and ended by officers (school leaders by the department)."""

    model = Link
    serializer_class = LinkSerializer
    filterset_class = LinkFilter

    def get_queryset(self):
        return selectors.with_link_relations(super().get_queryset()).order_by("-id")

    @extend_schema(summary="联系点列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="联系点详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=LinkCreateSerializer, responses={201: LinkSerializer}, summary="设置联系点"
    )
    def create(self, request):
        data = self.validated(LinkCreateSerializer)
        link = services.link_create(actor=request.user, **data)
        return self.respond(link, status.HTTP_201_CREATED)

    @extend_schema(request=EndSerializer, responses=LinkSerializer, summary="结束联系点")
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        link = self.get_object()  # the service checks the right (a 403 naming the rule)
        data = self.validated(EndSerializer)
        link = services.link_end(actor=request.user, link=link, **data)
        return self.respond(link)


class VisitViewSet(OwnWritesViewSet):
    """走访记录 (三联二访, 两访两创): visitors record their own; officers read their subtree."""

    model = Visit
    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    member_actions = {"create", "partial_update", "destroy"}

    def get_queryset(self):
        return selectors.with_visit_relations(super().get_queryset()).order_by("-id")

    @extend_schema(summary="走访记录列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="走访记录详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=VisitCreateSerializer, responses={201: VisitSerializer}, summary="登记走访"
    )
    def create(self, request):
        data = self.validated(VisitCreateSerializer)
        data.setdefault("kind", "")
        visit = services.visit_create(actor=request.user, **data)
        return self.respond(visit, status.HTTP_201_CREATED)

    @extend_schema(request=VisitUpdateSerializer, responses=VisitSerializer, summary="修改走访记录")
    def partial_update(self, request, pk=None):
        visit = self.get_object()
        data = self.validated(VisitUpdateSerializer, partial=True)
        visit = services.visit_update(actor=request.user, visit=visit, **data)
        return self.respond(visit)

    @extend_schema(summary="删除走访记录")
    def destroy(self, request, pk=None):
        visit = self.get_object()
        services.visit_delete(actor=request.user, visit=visit)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ComplianceViewSet(viewsets.GenericViewSet):
    """三联二访落实情况: each link in scope for the period of its kind containing `on`."""

    serializer_class = ComplianceSerializer
    permission_classes = [IsAuthenticated, OfficersOnly]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ComplianceFilter

    def day(self) -> date:
        today = timezone.localdate()
        return parse_date(self.request.query_params.get("on"), today) or today

    def get_queryset(self):
        return selectors.compliance(self.request.user, self.day())

    @extend_schema(summary="三联二访落实情况")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).order_by("-id"))
        selectors.decorate(page, self.day())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class LeaderPointSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.name")
    roles = serializers.ListField(child=serializers.CharField(), help_text="领导班子职务")
    points = serializers.SerializerMethodField(help_text="联系点及本期走访次数")
    missing = serializers.IntegerField(help_text="尚缺的联系点个数")
    status = serializers.CharField(help_text="none 未确定联系点, done, due, overdue")
    status_label = serializers.CharField()

    def get_points(self, row) -> list[dict]:
        return [
            {
                "link": p.pk,
                "target": p.unit.full_name if p.unit_id else p.target,
                "done": p.done,
                "required": p.required,
                "status": p.status,
            }
            for p in row["points"]
        ]


class LeaderPointViewSet(viewsets.GenericViewSet):
    """领导班子成员联系点 (《延伸提升168机制意见》§五): each member of the leadership in scope,
    their points and this period's visits; `on` picks the period."""

    serializer_class = LeaderPointSerializer
    permission_classes = [IsAuthenticated, OfficersOnly]

    @extend_schema(summary="领导班子成员联系点落实情况")
    def list(self, request):
        today = timezone.localdate()
        day = parse_date(request.query_params.get("on"), today) or today
        rows = selectors.leader_points(request.user, day, today)
        return Response(
            {
                "summary": selectors.leader_points_summary(rows),
                "results": self.get_serializer(rows, many=True).data,
            }
        )
