"""People counts per organisation (org.models.PeopleCount), kept in step with the people.

Every change of a person passes through `Person.save()` or a delete (services, imports one
by one, the admin site, development conversions through `person_change_status`): the
signals connected here add the difference to the count rows in the same transaction. Bulk
writers (the Excel import, the demo loader) call `adjust` or `rebuild` themselves;
`dangjian recount` rebuilds the table and says what it corrected.

Pages read subtree totals by summing count rows whose organisation lies under a path: at
most one row per organisation, status, category and register status, never a scan of the
people.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.db.models.signals import post_delete, post_save, pre_save

from dangjian.core.scoping import Scope, paths_q
from dangjian.org.models import (
    InSubquery,
    Organisation,
    PeopleCount,
    Person,
    count_key,
    in_orgs,
    orgs_under,
)
from dangjian.org.rules import MEMBER_STATUSES

Key = tuple[int, str, str, bool]

# Set while a bulk writer (the demo loader, its reset) changes people row by row without
# wanting a count update per row: it rebuilds the table when done.
_paused: ContextVar[bool] = ContextVar("org_counts_paused", default=False)


@contextmanager
def paused() -> Iterator[None]:
    """Leave the count table alone for a while; the caller calls `rebuild()` afterwards."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


# --- keeping the table in step --------------------------------------------------------------


def adjust(deltas: dict[Key, int]) -> None:
    """Add `deltas` to the count rows (an upsert per key, PostgreSQL and SQLite alike)."""
    rows = [(*key, n) for key, n in deltas.items() if n]
    if not rows or _paused.get():
        return
    table = connection.ops.quote_name(PeopleCount._meta.db_table)
    sql = (
        f"INSERT INTO {table} (organisation_id, party_status, category, is_active, n) "
        "VALUES (%s, %s, %s, %s, %s) "
        "ON CONFLICT (organisation_id, party_status, category, is_active) "
        f"DO UPDATE SET n = {table}.n + excluded.n"
    )
    with connection.cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(sql, rows[0])
        else:
            cursor.executemany(sql, rows)


def add_people(people: Iterable[Person]) -> None:
    """Count people written without save() (bulk_create)."""
    deltas: Counter[Key] = Counter()
    for person in people:
        key = count_key(person)
        if key is not None:
            deltas[key] += 1
    adjust(deltas)


def _stored_key(pk: Any) -> Key | None:
    row = (
        Person._base_manager.filter(pk=pk)
        .values_list("primary_org_id", "party_status", "category", "is_active")
        .first()
    )
    return None if row is None else (row[0] or 0, row[1], row[2], bool(row[3]))


def _before_save(sender, instance: Person, raw: bool = False, **kwargs: Any) -> None:
    if _paused.get():
        return
    if instance.pk is None:
        instance._count_key = None
    elif getattr(instance, "_count_key", None) is None:
        # Not loaded from the database (or loaded in part): ask it what is counted now.
        instance._count_key = _stored_key(instance.pk)


def _after_save(sender, instance: Person, created: bool, raw: bool = False, **kwargs: Any) -> None:
    old = None if created else getattr(instance, "_count_key", None)
    new = count_key(instance) or _stored_key(instance.pk)
    if old != new:
        deltas: Counter[Key] = Counter()
        if old is not None:
            deltas[old] -= 1
        if new is not None:
            deltas[new] += 1
        adjust(deltas)
    instance._count_key = new


def _after_delete(sender, instance: Person, **kwargs: Any) -> None:
    key = getattr(instance, "_count_key", None) or count_key(instance)
    if key is not None:
        adjust({key: -1})
    instance._count_key = None


def connect() -> None:
    pre_save.connect(_before_save, sender=Person, dispatch_uid="org.counts.pre_save")
    post_save.connect(_after_save, sender=Person, dispatch_uid="org.counts.post_save")
    post_delete.connect(_after_delete, sender=Person, dispatch_uid="org.counts.post_delete")


def expected() -> dict[Key, int]:
    """The counts as they should be, counted from the people (the repair command's truth)."""
    rows = (
        Person._base_manager.order_by()
        .values_list("primary_org_id", "party_status", "category", "is_active")
        .annotate(n=Count("id"))
    )
    result: Counter[Key] = Counter()
    for org_id, status, category, active, n in rows:
        result[(org_id or 0, status, category, bool(active))] += n
    return dict(result)


def stored() -> dict[Key, int]:
    rows = PeopleCount.objects.exclude(n=0).values_list(
        "organisation_id", "party_status", "category", "is_active", "n"
    )
    return {(org, status, category, bool(active)): n for org, status, category, active, n in rows}


@transaction.atomic
def rebuild() -> int:
    """Count the people again and replace the table (idempotent). Returns how many keys had
    a different count before."""
    before = stored()
    table = connection.ops.quote_name(PeopleCount._meta.db_table)
    people = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        # Holds off concurrent changes of people while counting (PostgreSQL; SQLite's
        # writer lock is taken by the DELETE).
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {people} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            f"INSERT INTO {table} (organisation_id, party_status, category, is_active, n) "
            "SELECT COALESCE(primary_org_id, 0), party_status, category, is_active, COUNT(*) "
            f"FROM {people} GROUP BY COALESCE(primary_org_id, 0), party_status, category, "
            "is_active"
        )
    after = stored()
    return sum(1 for key in before.keys() | after.keys() if before.get(key) != after.get(key))


# --- reading -------------------------------------------------------------------------------


def scoped(scope: Scope) -> models.QuerySet[PeopleCount]:
    """The count rows of the organisations a scope covers (people without an organisation
    only for the department)."""
    qs = PeopleCount.objects.order_by()
    if scope.everything:
        return qs
    return qs.filter(in_orgs("organisation", scope.org_paths))


def own_person_outside(scope: Scope, people: models.QuerySet[Person]) -> models.QuerySet:
    """The user's own person among `people` when the scope's organisations do not count them
    (a member reads their own record): to add to a total from the count table."""
    if scope.everything or not scope.person_id:
        return people.none()
    qs = people.filter(pk=scope.person_id)
    if scope.org_paths:
        qs = qs.filter(
            models.Q(primary_org__isnull=True) | ~in_orgs("primary_org", scope.org_paths)
        )
    return qs


def total(
    scope: Scope,
    people: models.QuerySet[Person],
    *,
    statuses: Iterable[str] | None = None,
    category: str = "",
    under: Organisation | None = None,
    active_only: bool = True,
) -> int:
    """How many of the people a scope sees match these filters: a sum over count rows (and
    the user's own record if the scope does not hold it), in one query. `people` is the list's
    filtered queryset (for the own record)."""
    rows = scoped(scope)
    if statuses is not None:
        rows = rows.filter(party_status__in=list(statuses))
    if category:
        rows = rows.filter(category=category)
    if under is not None:
        rows = rows.filter(in_orgs("organisation", (under.path,)))
    if active_only:
        rows = rows.filter(is_active=True)
    summed = rows.annotate(k=models.Value(1)).values("k").annotate(t=Sum("n")).values_list("t")
    own = (
        own_person_outside(scope, people)
        .order_by()
        .annotate(k=models.Value(1))
        .values("k")
        .annotate(t=Count("pk"))
        .values_list("t")
    )
    return sum(n or 0 for (n,) in summed.union(own, all=True))


def status_counts(scope: Scope, people: models.QuerySet[Person]) -> Counter[str]:
    """People on the register by Party status, over what the scope sees (one query)."""
    rows = scoped(scope).filter(is_active=True).values_list("party_status").annotate(t=Sum("n"))
    own = (
        own_person_outside(scope, people)
        .filter(is_active=True)
        .order_by()
        .values_list("party_status")
        .annotate(t=Count("pk"))
    )
    result: Counter[str] = Counter()
    for status, n in rows.union(own, all=True):
        result[status] += n or 0
    return result


def member_counts(
    parent_path: str, nodes: list[Organisation], span: tuple[str, str | None] | None = None
) -> dict[str, int]:
    """Party members on the register under each node (nodes of one parent, or roots), by
    path: the count rows of the organisations under the nodes, summed by the node's path
    prefix, one grouped query per depth of the nodes (one for a level of the tree). A Party
    group counts its own members (people's primary organisation is never a group): one more
    query when groups are shown. `span` (first path, next page's first path or None) says the
    nodes are a run of roots in path order: their subtrees lie in that range of paths."""
    counts = {node.path: 0 for node in nodes}
    groups = [node for node in nodes if node.kind == "group"]
    lengths = {len(node.path) for node in nodes if node.kind != "group"}
    for length in sorted(lengths):
        wanted = [n.path for n in nodes if n.kind != "group" and len(n.path) == length]
        rows = PeopleCount.objects.order_by()
        if span is not None and not parent_path:
            # Many organisations: joined by the range of their paths (a hash join).
            rows = rows.filter(organisation__path__gte=span[0])
            if span[1] is not None:
                rows = rows.filter(organisation__path__lt=span[1])
        else:  # a parent's subtree or a scope's few roots: their ids, probed in the index
            orgs = Organisation.objects.order_by()
            if parent_path:
                orgs = orgs.filter(path__startswith=parent_path)
            else:
                orgs = orgs.filter(paths_q("path", tuple(wanted)))
            rows = rows.filter(InSubquery("organisation", orgs.values("pk")))
        rows = (
            rows.filter(is_active=True, party_status__in=MEMBER_STATUSES)
            .annotate(prefix=Substr("organisation__path", 1, length))
            .filter(prefix__in=wanted)
            .values_list("prefix")
            .annotate(t=Sum("n"))
        )
        for prefix, n in rows:
            counts[prefix] += n or 0
    if groups:
        rows = (
            Person.objects.order_by()
            .filter(
                is_active=True,
                party_status__in=MEMBER_STATUSES,
                group_id__in=[g.pk for g in groups],
            )
            .values_list("group__path")
            .annotate(t=Count("id"))
        )
        for path, n in rows:
            counts[path] += n
    return counts


def subtree_total(org: Organisation, *, active_only: bool = True) -> int:
    """Everyone (on the register) whose organisation lies in the subtree of `org`."""
    rows = PeopleCount.objects.order_by().filter(in_orgs("organisation", (org.path,)))
    if active_only:
        rows = rows.filter(is_active=True)
    return rows.aggregate(t=Sum("n"))["t"] or 0


__all__ = [
    "adjust",
    "add_people",
    "connect",
    "expected",
    "member_counts",
    "orgs_under",
    "paused",
    "rebuild",
    "scoped",
    "status_counts",
    "stored",
    "subtree_total",
    "total",
]
