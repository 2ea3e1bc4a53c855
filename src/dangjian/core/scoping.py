"""The one scoping idiom used by every page, export and API endpoint.

    Model.objects.visible_to(user)        rows the user may read
    Model.objects.editable_by(user)       rows the user may change
    get_for_user(qs, user, pk=...)        one visible row or 404

An officer (secretary or committee member) acts on the subtree of each organisation
where they hold a current officer position; the organisation department and system
administrators act on everything; a member reads only their own records.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldError
from django.db import models
from django.http import Http404

from dangjian.org.rules import OFFICER_TITLES, top_paths

SCOPE_CACHE_ATTR = "_dangjian_scope"


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    org_paths: tuple[str, ...] = ()
    person_id: int | None = None

    @property
    def is_officer(self) -> bool:
        return self.everything or bool(self.org_paths)

    def covers_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.org_paths)


ANONYMOUS = Scope()


def scope_for(user) -> Scope:
    """The user's scope, computed once per request object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, SCOPE_CACHE_ATTR, None)
    if cached is not None:
        return cached
    from dangjian.org.models import Position

    if user.admin_role == "audit":
        # 三员分立: the audit administrator reads the audit logs and no business data.
        scope = ANONYMOUS
    elif user.is_superuser or user.is_org_officer:
        scope = Scope(everything=True, person_id=user.person_id)
    elif user.person_id:
        paths = (
            Position.objects.current()
            .filter(
                person_id=user.person_id,
                title__in=OFFICER_TITLES,
                organisation__dissolved_on__isnull=True,
            )
            .values_list("organisation__path", flat=True)
        )
        scope = Scope(org_paths=tuple(top_paths(paths)), person_id=user.person_id)
    else:
        scope = ANONYMOUS
    setattr(user, SCOPE_CACHE_ATTR, scope)
    return scope


def is_department(user) -> bool:
    """Acts for the whole institution: the organisation department (and administrators), or an
    officer of a committee. Creates evaluation rounds and grading years, edits their templates."""
    scope = scope_for(user)
    if scope.everything:
        return True
    if not scope.org_paths:
        return False
    from dangjian.org.models import Organisation, OrgKind

    return Organisation.objects.filter(
        path__in=scope.org_paths, kind=OrgKind.COMMITTEE, dissolved_on__isnull=True
    ).exists()


def paths_q(field: str, paths: tuple[str, ...]) -> models.Q:
    """Rows whose materialised path starts with one of `paths` (index-friendly prefix match)."""
    q = models.Q(pk__in=[])
    for path in paths:
        q |= models.Q(**{f"{field}__startswith": path})
    return q


class ScopedQuerySet(models.QuerySet):
    """Subclasses say who sees a row (`scope_q`) and who may change it (`editable_q`)."""

    def scope_q(self, scope: Scope) -> models.Q:
        raise NotImplementedError

    def editable_q(self, scope: Scope) -> models.Q:
        return self.scope_q(scope)

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope is ANONYMOUS:
            return self.none()
        return self.filter(self.scope_q(scope))

    def editable_by(self, user):
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if not scope.org_paths:
            return self.none()
        return self.filter(self.editable_q(scope))


class OutOfScope(Http404):
    """A 404 for a row that exists but lies outside the user's scope: answered like any 404,
    recorded as a refusal (core.security_audit)."""


def get_for_user(queryset, user, **lookup):
    """One row the user may see, or 404 — out-of-scope rows do not exist for them."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        # The row exists (the caller's queryset may already be scoped: ask the table).
        if _exists(queryset.model, lookup):
            label = queryset.model._meta.verbose_name
            raise OutOfScope(f"超出管辖范围的{label}（{_lookup_text(lookup)}）") from exc
        raise Http404 from exc
    except ValueError as exc:
        raise Http404 from exc


def _exists(model, lookup: dict) -> bool:
    try:
        return model._base_manager.filter(**lookup).exists()
    except (FieldError, ValueError, TypeError):  # a lookup only the caller's queryset knows
        return False


def _lookup_text(lookup: dict) -> str:
    return "，".join(f"{key}={value}" for key, value in lookup.items())[:100]
