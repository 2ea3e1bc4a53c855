"""Scoped reads of organisations and people."""

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Case, Count, QuerySet, Value, When

from dangjian.core import access, aggregates
from dangjian.core.access import Actor
from dangjian.core.crypto import keyed_hash
from dangjian.core.models import User
from dangjian.core.scoping import ANONYMOUS, scope_for
from dangjian.org import counts, rules
from dangjian.org.models import Organisation, Person, Position, Unit, orgs_under
from dangjian.org.rules import MEMBER_STATUSES, OFFICER_TITLES, POSITION_ORDER, STATUS_ORDER


def scope_counts(user: User | AnonymousUser) -> dict[str, int]:
    """Key counts for the home page, over what the user may see (two queries; a scope over
    everything keeps them a while: core.aggregates)."""
    return aggregates.kept(
        user, ("org.scope_counts", scope_for(user).org_paths), lambda: _scope_counts(user)
    )


def _scope_counts(user: User | AnonymousUser) -> dict[str, int]:
    orgs = Counter(
        dict(
            Organisation.objects.visible_to(user)
            .active()
            .order_by()
            .values_list("kind")
            .annotate(n=Count("id"))
            .values_list("kind", "n")
        )
    )
    # From the count table (org.counts), never a count of the people.
    scope = scope_for(user)
    statuses = (
        counts.status_counts(scope, Person.objects.all()) if scope is not ANONYMOUS else Counter()
    )
    return {
        "general_branches": orgs["general_branch"],
        "branches": orgs["branch"],
        "groups": orgs["group"],
        "members": sum(statuses[s] for s in MEMBER_STATUSES),
        "full": statuses["full"],
        "probationary": statuses["probationary"],
        "pipeline": statuses["applicant"]
        + statuses["activist"]
        + statuses["candidate"]
        + statuses["target"],
        "masses": statuses["masses"],
        "people": sum(statuses.values()),
    }


def members_first() -> Case:
    """Full members first, then down the development pipeline, then the masses."""
    return rank_of("party_status", tuple(reversed(STATUS_ORDER)))


def subtree_member_counts(
    parent_path: str,
    nodes: list[Organisation],
    user: User | AnonymousUser | None = None,
    span: tuple[str, str | None] | None = None,
) -> dict[str, int]:
    """Active Party members under each node (a Party group counts its own members), by path,
    from the count table (org.counts): one grouped query per level, two when groups are among
    the nodes. Everyone under a node the user sees is in their scope: `user` changes nothing."""
    return counts.member_counts(parent_path, nodes, span=span)


def officer_roots(user: Actor) -> QuerySet[Organisation]:
    """The organisations the user's scope starts from (the tree browser's first level)."""
    scope = scope_for(user)
    qs = Organisation.objects.all()
    if scope.everything:
        return qs.filter(depth=1)
    return qs.filter(path__in=scope.org_paths)


def rank_of(field: str, order: tuple[str, ...]) -> Case:
    """An ORDER BY expression that sorts `field` in the given order of values."""
    whens = [When(**{field: value}, then=Value(i)) for i, value in enumerate(order)]
    return Case(*whens, default=Value(len(order)))


def current_officers(org: Organisation) -> QuerySet[Position]:
    return (
        Position.objects.current()
        .filter(organisation=org)
        .select_related("person")
        .order_by(rank_of("title", POSITION_ORDER), "starts_on")
    )


# A scope of at most this many organisations is also given to the database as a list of ids
# (narrowed): told only the scope's subquery, PostgreSQL cannot know a branch's scope is small,
# guesses a share of the whole table and walks a list's order index through millions of rows.
LITERAL_SCOPE_ORGS = 5000
_SCOPE_IDS_ATTR = "_dangjian_scope_org_ids"


def scope_org_ids(user: Actor) -> list[int] | None:
    """The ids of the organisations in a scope below the whole tree, when there are at most
    LITERAL_SCOPE_ORGS of them (one query, kept on the request's user); None otherwise."""
    scope = scope_for(user)
    if scope.everything or not scope.org_paths:
        return None
    if hasattr(user, _SCOPE_IDS_ATTR):
        return getattr(user, _SCOPE_IDS_ATTR)
    ids: list[int] | None = list(
        orgs_under(scope.org_paths).values_list("pk", flat=True)[: LITERAL_SCOPE_ORGS + 1]
    )
    if ids is not None and len(ids) > LITERAL_SCOPE_ORGS:
        ids = None
    setattr(user, _SCOPE_IDS_ATTR, ids)
    return ids


def narrowed(
    qs: QuerySet, user: Actor, org_field: str, person_field: str | None = None
) -> QuerySet:
    """`qs` (already scoped by visible_to) with its scope repeated as literal ids, so the
    planner sees a small scope as small; the same rows (own rows by `person_field` kept)."""
    ids = scope_org_ids(user)
    if ids is None:
        return qs
    q = models.Q(**{f"{org_field}__in": ids})
    person_id = scope_for(user).person_id
    if person_field and person_id:
        q |= models.Q(**{person_field: person_id})
    return qs.filter(q)


def people_for_list(user: User | AnonymousUser) -> QuerySet[Person]:
    """The people the user sees, with what a list row shows (filtered by org.filters)."""
    return Person.objects.with_list_relations().visible_to(user)


# A search counts its matches up to this many ("more than" beyond): a common surname has tens
# of thousands of matches in a province, and nobody pages through them.
SEARCH_COUNT_LIMIT = 1000
# The filters the annual statistics drill down with (dangjian.statistics): a people list total
# with any of them counts the filtered people (org.selectors.people_total).
DRILL_FILTERS = (
    "gender",
    "ethnic",
    "education",
    "title_level",
    "standing",
    "age_band",
    "on_roll_at",
    "joined_from",
    "joined_to",
    "converted_from",
    "converted_to",
    "change_cause",
    "change_from",
    "change_to",
)
# A list filtered by a field of the record (gender, age band…) counts up to this many.
DRILL_COUNT_LIMIT = 100_000


def people_total(user: User | AnonymousUser, filters: Any, org: Organisation | None) -> int:
    """The people list's total: from the count table (org.counts) for the filters it keeps
    (status, category, organisation, register), else a count of the filtered people (a name
    or number search, which an index answers), up to SEARCH_COUNT_LIMIT + 1."""
    cleaned = getattr(filters.form, "cleaned_data", {})
    active = filters.active
    scope = scope_for(user)
    if scope is ANONYMOUS or filters.form.errors or active.get("q"):
        return filters.qs.order_by()[: SEARCH_COUNT_LIMIT + 1].count()
    if any(active.get(name) for name in DRILL_FILTERS):
        # The record's fields and the statistics' drill-downs: the count table does not
        # keep them, so the filtered people are counted (within the scope's organisations).
        return filters.qs.order_by()[: DRILL_COUNT_LIMIT + 1].count()
    if active.get("org") is not None and org is None:
        return 0  # an organisation out of scope lists no one
    statuses: set[str] | None = None
    if active.get("status"):
        statuses = set(active["status"].split(","))
        if "member" in statuses:
            statuses |= set(MEMBER_STATUSES)
    if active.get("party_status"):
        chosen = {active["party_status"]}
        statuses = chosen if statuses is None else statuses & chosen
    return counts.total(
        scope,
        filters.qs,
        statuses=statuses,
        category=active.get("category", ""),
        under=org,
        active_only=cleaned.get("inactive") is False,
    )


def person_search_q(q: str) -> models.Q:
    """A full name or its beginning (the surname: 王, 欧阳), a full 工号/学号, or a full ID
    number or phone number. Every form is answered from an index: the name by a prefix range
    on its index, the staff number exactly, the encrypted numbers by their keyed hash (so only
    a complete number matches). A part from the middle of a name (the given name alone) is not
    searched: no index answers it, and trigram indexes need three characters where most
    Chinese names have two or three."""
    kind = rules.search_kind(q)
    if kind == "id_number":
        return models.Q(id_number_hash=keyed_hash(q))
    if kind == "phone":
        return models.Q(phone_hash=keyed_hash(q))
    # `name >= q` gives the index scan in (name, id) order its starting point (a prefix sorts
    # before its extensions in any collation; LIKE alone gives one only under the C locale).
    name = models.Q(name__startswith=q, name__gte=q)
    if q.isascii() and q.isalnum():
        return models.Q(staff_number=q) | name
    return name


def sees_full_identity(user: User | AnonymousUser) -> bool:
    """The one place that says who reads full ID numbers and phone numbers (pages, forms,
    exports, API): the organisation department and administrators. Everyone else sees them
    masked, their own included, and may only replace them."""
    return access.can(user, "org.read_full_identity")


# --- Administrative units -------------------------------------------------------------------

# Deeper than any real unit tree (institution → college → grade → class); a guard against
# a cycle typed in the admin site.
MAX_UNIT_DEPTH = 8


def unit_tree(roots: list[Unit], qs: QuerySet[Unit]) -> list[Unit]:
    """`roots` and the units below them from `qs`, parents before children, each with
    `.depth` (0 for a root) and `.child_count`: one query per level of the tree."""
    children: dict[int | None, list[Unit]] = {}
    level = [u.pk for u in roots]
    for _ in range(MAX_UNIT_DEPTH):
        if not level:
            break
        batch = list(qs.filter(parent_id__in=level))
        for unit in batch:
            children.setdefault(unit.parent_id, []).append(unit)
        level = [u.pk for u in batch]
    rows: list[Unit] = []

    def walk(unit: Unit, depth: int) -> None:
        unit.depth = depth
        unit.child_count = len(children.get(unit.pk, ()))
        rows.append(unit)
        if depth < MAX_UNIT_DEPTH:
            for child in children.get(unit.pk, ()):
                walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return rows


def unit_subtree_ids(unit: Unit) -> set[int]:
    """The unit and every unit below it (one query per level)."""
    ids = {unit.pk}
    level = [unit.pk]
    for _ in range(MAX_UNIT_DEPTH):
        below = Unit.objects.filter(parent_id__in=level).values_list("pk", flat=True)
        level = [pk for pk in below if pk not in ids]
        if not level:
            break
        ids.update(level)
    return ids


def annotate_units(units: list[Unit]) -> list[Unit]:
    """Attach to each unit its active people (`people_count`) and the active Party
    organisations covering it (`party_org_list`): two queries whatever the number of units.
    In a tree (units carrying `.depth`), `subtree_people` adds up the units shown below."""
    ids = [u.pk for u in units]
    counts = dict(
        Person.objects.filter(unit_id__in=ids, is_active=True)
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    orgs: dict[int, list[Organisation]] = {}
    links = (
        Organisation.covered_units.through.objects.filter(
            unit_id__in=ids, organisation__dissolved_on__isnull=True
        )
        .select_related("organisation")
        .order_by("organisation__path")
    )
    for link in links:
        orgs.setdefault(link.unit_id, []).append(link.organisation)
    for unit in units:
        unit.people_count = counts.get(unit.pk, 0)
        unit.party_org_list = orgs.get(unit.pk, [])
        unit.subtree_people = unit.people_count
    # Subtree totals: walk the tree rows bottom-up, adding each unit into its parent.
    by_pk: dict[int | None, Unit] = {u.pk: u for u in units}
    for unit in reversed(units):
        parent = by_pk.get(unit.parent_id)
        if parent is not None and hasattr(unit, "depth"):
            parent.subtree_people += unit.subtree_people
    return units


def officers_of(org_ids: Iterable[int]) -> dict[int, list[int]]:
    """Person ids of the current secretaries, deputies and committee members of each
    organisation (who must act on an organisation's deadlines)."""
    result: dict[int, list[int]] = {}
    rows = (
        Position.objects.current()
        .filter(organisation_id__in=list(org_ids), title__in=OFFICER_TITLES)
        .values_list("organisation_id", "person_id")
    )
    for org_id, person_id in rows:
        result.setdefault(org_id, []).append(person_id)
    return result
