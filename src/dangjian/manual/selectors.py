"""Reads of the manual: which chapter a user opens, which chapters they may read."""

from typing import Any

from dangjian.core.access import scope_for
from dangjian.manual import rules
from dangjian.org.models import Organisation

CACHE_ATTR = "_manual_chapter"


def role_chapter(user: Any) -> str:
    """The slug of the chapter written for the user's role (one query for an officer, kept on
    the user object for the request)."""
    cached = getattr(user, CACHE_ATTR, None)
    if cached is not None:
        return str(cached)
    signed_in = bool(user is not None and user.is_authenticated)
    scope = scope_for(user)
    kinds: frozenset[str] = frozenset()
    if signed_in and scope.org_paths and not scope.everything:
        kinds = frozenset(
            Organisation.objects.filter(path__in=scope.org_paths).values_list("kind", flat=True)
        )
    slug = rules.chapter_for(
        signed_in=signed_in,
        administrator=signed_in and (user.is_superuser or bool(user.admin_role)),
        department=scope.department,
        officer_kinds=kinds,
    )
    if user is not None:
        setattr(user, CACHE_ATTR, slug)
    return slug


def readable(user: Any, chapter: rules.Chapter) -> bool:
    """Public chapters are for anyone; the others for anyone signed in."""
    return chapter.public or bool(user is not None and user.is_authenticated)


def chapters_for(user: Any) -> list[rules.Chapter]:
    return [c for c in rules.CHAPTERS if readable(user, c)]
