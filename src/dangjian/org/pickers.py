"""Type-ahead pickers: the organisations and people a user may pick, a few at a time.

A `<select>` of every organisation or person in scope is 62,783 options for the department of a
province (3.6 MB of HTML); a picker asks for the first matches of what was typed instead. The
candidates are scoped with `visible_to`; the form that receives the chosen id still validates it
against its own scoped queryset, so a picker never widens what may be chosen."""

import functools

from django.db import connections
from django.db.models import Q, QuerySet

from dangjian.core.access import Actor
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.org.rules import MEMBER_STATUSES

# Matches answered for one request.
LIMIT = 20
# Sorts after any character a name may continue with (byte order: C collation, SQLite).
NAME_BOUND = "\U0010ffff"
# The longest text searched for.
MAX_QUERY = 50


def organisation_label(org: Organisation, committees: dict[str, str]) -> str:
    """The organisation's name, with its committee's when it is not one (names such as
    “学生第一党支部” repeat in every institution)."""
    top = committees.get(org.path[: Organisation.steplen])
    return f"{org.name}（{top}）" if top and org.depth > 1 else org.name


def pick_organisations(user: Actor, q: str, kinds: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """(id, label) of the first active organisations in scope whose name contains `q`, in tree
    order: two queries (the matches, their committees' names)."""
    q = q.strip()[:MAX_QUERY]
    qs: QuerySet[Organisation] = Organisation.objects.visible_to(user).active()
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code=q))
    orgs = list(qs.only("id", "name", "path", "depth").order_by("path")[:LIMIT])
    tops = {o.path[: Organisation.steplen] for o in orgs if o.depth > 1}
    committees = dict(
        Organisation.objects.filter(path__in=tops, depth=1).values_list("path", "name")
        if tops
        else []
    )
    return [(o.pk, organisation_label(o, committees)) for o in orgs]


@functools.cache
def names_in_byte_order(alias: str) -> bool:
    """Whether the database sorts text by code point (SQLite; PostgreSQL with the C collation),
    asked once per process."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        return True
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        row = cursor.fetchone()
    collation = str(row[0]) if row else ""
    return collation in ("C", "POSIX") or collation.startswith("C.")


def person_label(person: Person) -> str:
    return f"{person.name}（{person.primary_org.name}）" if person.primary_org_id else person.name


def pick_people(user: Actor, q: str, members_only: bool = False) -> list[tuple[int, str]]:
    """(id, label) of the first active people in scope whose name starts with `q`, or whose
    工号/学号 is `q` (an indexed prefix match and an equality, both on indexes; officers type
    the surname first), by name: one query."""
    q = q.strip()[:MAX_QUERY]
    if not q:
        return []
    qs = Person.objects.visible_to(user).filter(is_active=True)
    if members_only:
        qs = qs.filter(party_status__in=MEMBER_STATUSES)
    match = Q(name__startswith=q)
    if names_in_byte_order(qs.db):
        # The prefix as a range too: with a bound on both sides the database walks only the
        # names that start with `q` on the name index (a bare LIKE walked 162,000 names for
        # “王”). Only where names sort by code point: under a language's collation the bound
        # may sort anywhere.
        match &= Q(name__gte=q, name__lt=q + NAME_BOUND)
    if q.isascii() and q.isalnum():
        match |= Q(staff_number=q)
    people = (
        qs.filter(match)
        .select_related("primary_org")
        .only("id", "name", "primary_org__name")
        .order_by("name", "id")[:LIMIT]
    )
    return [(p.pk, person_label(p)) for p in people]


ORG_KINDS: tuple[str, ...] = tuple(OrgKind.values)
