"""REST API for organisations, people and positions (/api/v1/).

Thin views: every queryset starts from `Model.objects.visible_to(user)` (a row out of
scope is a 404), a write needs the row in `Model.objects.editable_by(user)` (else 403),
payloads are checked by an input serializer and the change is made by a service in
dangjian.org.services, whose ValidationErrors the core exception handler turns into 400.
"""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core import access
from dangjian.core.api import CursorPagination
from dangjian.core.api_views import ScopedViewSet as BaseScopedViewSet
from dangjian.org import services
from dangjian.org.filters import OrganisationFilter, PersonFilter, PositionFilter
from dangjian.org.models import Organisation, Person, Position
from dangjian.org.serializers import (
    OrganisationBriefSerializer,
    OrganisationCreateSerializer,
    OrganisationDissolveSerializer,
    OrganisationMoveSerializer,
    OrganisationSerializer,
    OrganisationUpdateSerializer,
    PersonCreateSerializer,
    PersonLeaveSerializer,
    PersonRestoreSerializer,
    PersonSerializer,
    PersonStatusSerializer,
    PersonUpdateSerializer,
    PositionCreateSerializer,
    PositionEndSerializer,
    PositionSerializer,
)


class PathCursorPagination(CursorPagination):
    ordering = "path"


class ScopedViewSet(BaseScopedViewSet):
    def get_restructurable_object(self):
        org = self.get_editable_object()
        access.require(self.request.user, "org.restructure", org)
        return org


def with_parent_id(queryset):
    """Annotate each organisation with its parent's id (a correlated subquery, no N+1).

    The parent may lie outside the user's scope; only its id is shown.
    """
    path = OuterRef("path")
    parent_path = Substr(path, 1, Length(path) - Organisation.steplen)
    parents = Organisation.objects.order_by().filter(path=parent_path).values("pk")[:1]
    return queryset.annotate(parent_id=Subquery(parents))


class OrganisationViewSet(ScopedViewSet):
    """Party organisations in the user's scope; lists leave out dissolved ones by default."""

    model = Organisation
    serializer_class = OrganisationSerializer
    pagination_class = PathCursorPagination
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return with_parent_id(super().get_queryset())

    @extend_schema(summary="党组织列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="党组织详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=OrganisationCreateSerializer,
        responses={201: OrganisationSerializer},
        summary="新建党组织",
    )
    def create(self, request):
        data = self.validated(OrganisationCreateSerializer)
        org = services.organisation_create(actor=request.user, **data)
        return self.respond(org, status.HTTP_201_CREATED)

    @extend_schema(
        request=OrganisationUpdateSerializer, responses=OrganisationSerializer, summary="修改党组织"
    )
    def partial_update(self, request, pk=None):
        org = self.get_editable_object()
        data = self.validated(OrganisationUpdateSerializer, instance=org, partial=True)
        org = services.organisation_update(actor=request.user, org=org, **data)
        return self.respond(org)

    @extend_schema(
        request=OrganisationMoveSerializer, responses=OrganisationSerializer, summary="调整隶属关系"
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        org = self.get_restructurable_object()
        data = self.validated(OrganisationMoveSerializer)
        org = services.organisation_move(actor=request.user, org=org, **data)
        return self.respond(org)

    @extend_schema(
        request=OrganisationDissolveSerializer,
        responses=OrganisationSerializer,
        summary="撤销党组织（含下级组织）",
    )
    @action(detail=True, methods=["post"])
    def dissolve(self, request, pk=None):
        org = self.get_restructurable_object()
        data = self.validated(OrganisationDissolveSerializer)
        org = services.organisation_dissolve(actor=request.user, org=org, **data)
        return self.respond(org)

    @extend_schema(responses=OrganisationSerializer(many=True), summary="下级组织（全部层级）")
    @action(detail=True, methods=["get"])
    def subtree(self, request, pk=None):
        org = self.get_object()
        descendants = self.get_queryset().filter(path__startswith=org.path, depth__gt=org.depth)
        return self.paginated(self.filter_queryset(descendants))

    @extend_schema(
        responses=OrganisationBriefSerializer(many=True), summary="上级组织（从顶层到直接上级）"
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def ancestors(self, request, pk=None):
        org = self.get_object()
        # Ancestors may lie outside the user's scope: only id, name and kind are shown.
        return Response(
            OrganisationBriefSerializer(Organisation.objects.get_ancestors(org), many=True).data
        )


class PersonViewSet(ScopedViewSet):
    """People in the user's scope (a member sees only themself). ID and phone numbers are
    masked unless the user is an organisation-department officer or an administrator."""

    model = Person
    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return super().get_queryset().with_list_relations()

    @extend_schema(summary="人员列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()).narrow_pages())

    @extend_schema(summary="人员详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=PersonCreateSerializer, responses={201: PersonSerializer}, summary="登记人员"
    )
    def create(self, request):
        data = self.validated(PersonCreateSerializer)
        person = services.person_create(actor=request.user, **data)
        return self.respond(person, status.HTTP_201_CREATED)

    @extend_schema(request=PersonUpdateSerializer, responses=PersonSerializer, summary="修改人员")
    def partial_update(self, request, pk=None):
        person = self.get_editable_object()
        data = self.validated(PersonUpdateSerializer, instance=person, partial=True)
        person = services.person_update(actor=request.user, person=person, **data)
        return self.respond(person)

    @extend_schema(
        request=PersonStatusSerializer, responses=PersonSerializer, summary="变更政治面貌"
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        person = self.get_editable_object()
        data = self.validated(PersonStatusSerializer)
        person = services.person_change_status(actor=request.user, person=person, **data)
        return self.respond(person)

    @extend_schema(
        request=PersonLeaveSerializer,
        responses=PersonSerializer,
        summary="党籍变动：停止党籍、出党、死亡、转出",
    )
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        person = self.get_editable_object()
        data = self.validated(PersonLeaveSerializer)
        person = services.person_leave(actor=request.user, person=person, **data)
        return self.respond(person)

    @extend_schema(request=PersonRestoreSerializer, responses=PersonSerializer, summary="恢复党籍")
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        person = self.get_editable_object()
        data = self.validated(PersonRestoreSerializer)
        person = services.person_restore(actor=request.user, person=person, **data)
        return self.respond(person)


class PositionViewSet(ScopedViewSet):
    """Offices held in organisations of the user's scope (a member sees their own)."""

    model = Position
    serializer_class = PositionSerializer
    filterset_class = PositionFilter

    def get_queryset(self):
        return super().get_queryset().select_related("person", "organisation")

    @extend_schema(summary="职务列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="职务详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=PositionCreateSerializer, responses={201: PositionSerializer}, summary="任职"
    )
    def create(self, request):
        data = self.validated(PositionCreateSerializer)
        position = services.position_create(actor=request.user, **data)
        return self.respond(position, status.HTTP_201_CREATED)

    @extend_schema(request=PositionEndSerializer, responses=PositionSerializer, summary="离任")
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        position = self.get_editable_object()
        data = self.validated(PositionEndSerializer)
        position = services.position_end(actor=request.user, position=position, **data)
        return self.respond(position)
