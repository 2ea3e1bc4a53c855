"""Base classes of every app's REST views: scoped querysets, editable checks, validation.

Thin views: every queryset starts from `Model.objects.visible_to(user)` (a row out of
scope is a 404), a write needs the row in `Model.objects.editable_by(user)` (else 403),
payloads are checked by an input serializer and the change is made by a service, whose
ValidationErrors the core exception handler turns into 400.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from dangjian.core.scoping import OutOfScope, scope_for


class OfficersWrite(BasePermission):
    """Anyone signed in may read (their scope); only officers may write at all."""

    message = "只有党组织书记、委员或组织部干事可以修改数据"

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or scope_for(request.user).is_officer


def in_subtree(queryset, user, org_id, field: str = "organisation"):
    """Rows of `queryset` under an organisation the user sees (an API filter); none when the
    organisation is out of their scope."""
    first, *rest = field.split("__")
    model = queryset.model._meta.get_field(first).related_model
    for name in rest:
        model = model._meta.get_field(name).related_model
    path = model.objects.visible_to(user).filter(pk=org_id).values_list("path", flat=True).first()
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{field}__path__startswith": path})


class OfficersOnly(BasePermission):
    """Management endpoints are officers' work; members have only their own records."""

    message = "仅党组织书记、委员和组织部干事可以访问。"

    def has_permission(self, request, view):
        return scope_for(request.user).is_officer


class ScopedViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Shared plumbing: scoped querysets, the editable check, input and filter validation."""

    model: type = None
    permission_classes = [IsAuthenticated, OfficersWrite]
    # A list declares `filterset_class` (core.filters.ListFilterSet, shared with its page):
    # a bad value is a 400 naming the field.
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def filter_queryset(self, queryset):
        # A list's filters narrow the list; the row a URL names is found by its id alone (a
        # filter's default, such as "active only", must not hide it).
        if getattr(self, "_finding_one", False):
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        # Out-of-scope rows do not exist for the user: the same 404 as an unknown id,
        # with DRF's translated message instead of Django's English one.
        self._finding_one = True
        try:
            return super().get_object()
        except Http404:
            # A row that exists outside the scope is still a 404, recorded as a refusal.
            model = self.get_queryset().model
            value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            try:
                exists = model._base_manager.filter(**{self.lookup_field: value}).exists()
            except (ValueError, TypeError, DjangoValidationError):
                exists = False
            if exists:
                label = model._meta.verbose_name
                raise OutOfScope(f"超出管辖范围的{label}（{self.lookup_field}={value}）") from None
            raise NotFound() from None
        finally:
            self._finding_one = False

    def get_editable_object(self):
        obj = self.get_object()  # 404 when not visible
        if not self.model.objects.editable_by(self.request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied("您无权修改该记录")
        return obj

    def validated(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def query_filters(self, serializer_class) -> dict:
        serializer = serializer_class(
            data=self.request.query_params, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def in_subtree(self, queryset, org_id, field: str = "organisation"):
        return in_subtree(queryset, self.request.user, org_id, field)

    def paginated(self, queryset):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def respond(self, obj, status_code=status.HTTP_200_OK):
        # Read the row again through the list queryset (relations, annotations).
        obj = self.get_queryset().filter(pk=obj.pk).first()
        if obj is None:
            raise NotFound()
        return Response(self.get_serializer(obj).data, status=status_code)


class OwnWritesViewSet(ScopedViewSet):
    """Members write their own rows (the services check whose they are): `member_actions` are
    open to any signed-in user, `officer_reads` to officers only."""

    member_actions: set[str] = set()
    officer_reads: set[str] = set()

    def get_permissions(self):
        if self.action in self.member_actions:
            return [IsAuthenticated()]
        if self.action in self.officer_reads:
            return [IsAuthenticated(), OfficersOnly()]
        return super().get_permissions()
