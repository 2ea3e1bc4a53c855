"""The position-based scope: an officer acts on the subtree of each organisation where they
hold a current officer position. Registered with core.scoping when the app is ready."""

from dangjian.core.scoping import ANONYMOUS, Scope
from dangjian.org.models import OrgKind, Position
from dangjian.org.rules import OFFICER_TITLES, top_paths


def scope_of_positions(user) -> Scope:
    rows = list(
        Position.objects.current()
        .filter(
            person_id=user.person_id,
            title__in=OFFICER_TITLES,
            organisation__dissolved_on__isnull=True,
        )
        .values_list("organisation__path", "organisation__kind")
    )
    if not rows and not user.person_id:
        return ANONYMOUS
    paths = tuple(top_paths(path for path, _ in rows))
    # An officer of a committee acts for the whole institution, as the department does.
    department = any(kind == OrgKind.COMMITTEE and path in paths for path, kind in rows)
    return Scope(org_paths=paths, person_id=user.person_id, department=department)
