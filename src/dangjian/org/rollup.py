"""Roll-ups over subtrees without generated ORs and without comparing paths pairwise in Python.

A subtree's rows are those whose materialised path starts with the subtree's path. For one or a
few subtrees the prefix match (`path LIKE 'x%'`) uses the path index. For many subtrees (the
department's 1,751 committees and the 15,000 organisations below them) an `OR` of `LIKE`s grows
with them — PostgreSQL's JIT then spends minutes compiling it and SQLite refuses it ("Expression
tree is too large") — so the rows are grouped by the prefix of their path instead (`Substr(path,
1, depth × steplen)`), which reads the organisation table at most once whatever the number of
subtrees, and each subtree picks its group from the result by its path.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.db.models.functions import Substr

from dangjian.org.models import Organisation
from dangjian.org.rules import top_paths

# Up to this many subtrees a query names them (`path LIKE` each, indexed); beyond it the rows are
# grouped by path prefix without naming them.
FEW_PATHS = 20

STEPLEN: int = Organisation.steplen

K = TypeVar("K")


def prefix(field: str, depth: int) -> Substr:
    """The first `depth` steps of a materialised path: the path of its ancestor at `depth`."""
    return Substr(field, 1, depth * STEPLEN)


def few_paths_q(field: str, paths: Iterable[str]) -> Q | None:
    """`field` under one of `paths` when they are few (indexed prefix matches), else None: the
    caller groups by prefix and keeps the groups it asked for."""
    kept = top_paths(paths)
    if len(kept) > FEW_PATHS:
        return None
    q = Q(pk__in=[])
    for path in kept:
        q |= Q(**{f"{field}__startswith": path})
    return q


def by_depth(orgs: Iterable[Organisation]) -> dict[int, list[Organisation]]:
    """Organisations grouped by their depth in the tree (a handful of groups)."""
    groups: dict[int, list[Organisation]] = defaultdict(list)
    for org in orgs:
        groups[org.depth].append(org)
    return dict(groups)


def grouped_by_prefix(
    queryset: QuerySet[Any],
    path_field: str,
    orgs: Iterable[Organisation],
    aggregates: Mapping[str, Any],
) -> dict[int, dict[str, Any]]:
    """`aggregates` of the rows of `queryset` in each organisation's subtree, by organisation id:
    one grouped query per depth among `orgs` (at most four), never a condition per organisation.
    `path_field` is the rows' organisation path (`path`, `organisation__path`)."""
    orgs = list(orgs)
    result: dict[int, dict[str, Any]] = {}
    # The subtrees of the organisations at every depth lie under the topmost ones.
    few = few_paths_q(path_field, (org.path for org in orgs))
    for depth, group in by_depth(orgs).items():
        paths = {org.path: org.pk for org in group}
        qs = queryset.order_by()
        if few is not None:
            qs = qs.filter(few)
        rows = qs.annotate(_prefix=prefix(path_field, depth)).values("_prefix")
        for row in rows.annotate(**aggregates):
            pk = paths.get(row.pop("_prefix"))
            if pk is not None:
                result[pk] = row
    return result


def roll_up(counts: Iterable[tuple[str, Mapping[K, int]]]) -> dict[str, dict[K, int]]:
    """Per-organisation counts (path, {key: n}) summed into every ancestor's subtree total, by
    path: linear in the rows times the depth of the tree."""
    totals: dict[str, dict[K, int]] = defaultdict(lambda: defaultdict(int))
    for path, row in counts:
        for end in range(STEPLEN, len(path) + 1, STEPLEN):
            total = totals[path[:end]]
            for key, n in row.items():
                total[key] += n
    return totals
