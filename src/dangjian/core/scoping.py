"""The one scoping idiom used by every page, export and API endpoint.

    Model.objects.visible_to(user)        rows the user may read
    Model.objects.editable_by(user)       rows the user may change
    Model.objects.restrict(user, action)  rows on which the user may do a declared action
    get_for_user(qs, user, pk=...)        one visible row or 404

Who the user is (their Scope) and what each action needs are the access policy's
(core.access); this module applies it to querysets.
"""

from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.http import Http404

from dangjian.core import access
from dangjian.core.access import (  # noqa: F401 (the names every app imports from here)
    ANONYMOUS,
    Actor,
    Scope,
    is_department,
    paths_q,
    scope_for,
    set_scope_resolver,
)


class ScopedQuerySet(models.QuerySet[Any]):
    """Subclasses say who sees a row (`scope_q`) and who may change it (`editable_q`)."""

    def scope_q(self, scope: Scope) -> models.Q:
        raise NotImplementedError

    def editable_q(self, scope: Scope) -> models.Q:
        return self.scope_q(scope)

    def visible_to(self, user: Actor) -> "ScopedQuerySet":
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope is ANONYMOUS:
            return self.none()
        return self.filter(self.scope_q(scope))

    def restrict(self, user: Actor, action: str = "view") -> models.QuerySet[Any]:
        """Rows on which `user` may do `action` ("view", "change" or a declared action)."""
        return access.restrict(self, user, action)

    def editable_by(self, user: Actor) -> "ScopedQuerySet":
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if not scope.org_paths:
            return self.none()
        return self.filter(self.editable_q(scope))


class OutOfScope(Http404):
    """A 404 for a row that exists but lies outside the user's scope: answered like any 404,
    recorded as a refusal (core.security_audit)."""


def get_for_user(queryset: Any, user: Actor, **lookup: Any) -> Any:
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


def _exists(model: Any, lookup: dict[str, Any]) -> bool:
    try:
        return model._base_manager.filter(**lookup).exists()
    except (FieldError, ValueError, TypeError):  # a lookup only the caller's queryset knows
        return False


def _lookup_text(lookup: dict[str, Any]) -> str:
    return "，".join(f"{key}={value}" for key, value in lookup.items())[:100]
