"""Keyset pagination for list pages: constant cost on any page, indexed ordering."""

import base64
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Expression, F, Q


def _encode(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, ensure_ascii=False).encode()).decode()


INT64 = 2**63


def _plain(value) -> bool:
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return True
    return isinstance(value, int) and -INT64 <= value < INT64


def _decode(token: str) -> list | None:
    """A cursor's values; None for anything a page of ours could not have written."""
    try:
        values = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError, RecursionError):  # a forged, deeply nested cursor too
        return None
    if not isinstance(values, list) or not all(_plain(v) for v in values):
        return None
    return values


@dataclass
class KeysetPage:
    rows: list
    next_token: str | None
    prev_token: str | None


def _field(spec: str) -> str:
    return spec.removeprefix("-")


def _flip(spec: str) -> str:
    return _field(spec) if spec.startswith("-") else f"-{spec}"


def _after_q(order: tuple[str, ...], values: list, reverse: bool) -> Q:
    """Rows strictly after `values` in `order` ("-field" descending), or before when `reverse`."""
    q = Q()
    for i, spec in enumerate(order):
        op = "lt" if spec.startswith("-") != reverse else "gt"
        step = Q(**{f"{_field(spec)}__{op}": values[i]})
        for prev, prev_value in zip(order[:i], values[:i], strict=True):
            step &= Q(**{_field(prev): prev_value})
        q |= step
    return q


class RowAfter(Expression):
    """`(a, b, …) > (x, y, …)` (or `<`): one row-value comparison, which PostgreSQL answers by
    starting an index scan on an index over `(a, b, …)` at the bound (SQLite 3.15+ compares
    row values too). The expanded `a > x OR (a = x AND b > y)` has no starting bound: it walks
    the index from the beginning and discards every row before the cursor."""

    conditional = True

    def __init__(self, fields: list[str], values: list, op: str) -> None:
        super().__init__(output_field=BooleanField())
        self.op = op
        self.fields: list = [F(f) for f in fields]
        self.values = values

    def get_source_expressions(self):
        return self.fields

    def set_source_expressions(self, exprs):
        self.fields = list(exprs)

    def as_sql(self, compiler, connection):
        columns, params = [], []
        for column in self.fields:
            sql, column_params = compiler.compile(column)
            columns.append(sql)
            params.extend(column_params)
        for column, value in zip(self.fields, self.values, strict=True):
            # Typed as a lookup types it (a date arrives in the cursor as an ISO string).
            field = column.output_field
            params.append(field.get_db_prep_value(field.to_python(value), connection))
        marks = ", ".join(["%s"] * len(self.values))
        return f"({', '.join(columns)}) {self.op} ({marks})", params


def _after(queryset, order: tuple[str, ...], values: list, reverse: bool):
    """The rows after the cursor: one row comparison when every field runs the same way and
    no value is null (a null compares as unknown either way), else the expanded form."""
    expanded = queryset.filter(_after_q(order, values, reverse))  # raises on a bad value
    directions = {spec.startswith("-") for spec in order}
    if len(directions) != 1 or None in values:
        return expanded
    op = "<" if directions.pop() != reverse else ">"
    return queryset.filter(RowAfter([_field(f) for f in order], values, op))


def keyset_page(
    queryset,
    *,
    order: tuple[str, ...],
    after: str = "",
    before: str = "",
    size: int = 50,
    narrow: bool = False,
) -> KeysetPage:
    """One page of `queryset` ordered by `order` (last field unique, e.g. id; "-field" for
    descending, e.g. newest first).

    `narrow` finds the page's ids first (a subquery without the select_related joins) and
    joins only those rows: a list joining large tables (people to organisations and units)
    would otherwise have the planner hash whole tables for the rows of a small scope."""
    cursor = _decode(before or after) if (before or after) else None
    if cursor is not None and len(cursor) != len(order):
        cursor = None
    backwards = bool(before) and cursor is not None
    qs = queryset
    if cursor is not None:
        try:
            qs = _after(qs, order, cursor, reverse=backwards)
        except (ValueError, TypeError, ValidationError):  # a hand-made cursor: start over
            cursor, backwards, qs = None, False, queryset
    qs = qs.order_by(*[_flip(f) if backwards else f for f in order])
    if narrow:
        qs = qs.filter(pk__in=qs.values("pk")[: size + 1])
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()

    def key(row):
        return [_attr(row, _field(f)) for f in order]

    has_next = (more if not backwards else True) and bool(rows)
    has_prev = (cursor is not None and not backwards) or (backwards and more)
    return KeysetPage(
        rows=rows,
        next_token=_encode(key(rows[-1])) if has_next else None,
        prev_token=_encode(key(rows[0])) if has_prev and rows else None,
    )


def _attr(row, dotted: str):
    value = row
    for part in dotted.split("__"):
        value = getattr(value, part)
    return value.isoformat() if hasattr(value, "isoformat") else value


def request_page(
    request, queryset, *, order: tuple[str, ...], size: int = 50, narrow: bool = False
) -> KeysetPage:
    """The page of `queryset` that the request's `after`/`before` cursor asks for."""
    return keyset_page(
        queryset,
        order=order,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=size,
        narrow=narrow,
    )
