"""Shared test harness: query-count assertions and the role matrix.

Query counts
------------
One way to count queries for the whole suite (``from tests.harness import ...``)::

    with assert_num_queries(4):          # exactly four queries
        reminders.collect(today)

    with assert_max_queries(20):         # at most twenty
        client.get(url)

    with capture_queries() as few:       # measure a baseline ...
        client.get(url)
    make_more_rows()
    with assert_num_queries(few):        # ... and require the same count with more rows
        client.get(url)

    def count(url, expected=None):      # a helper: measure first, check later
        with assert_num_queries(expected, url) as log:
            assert client.get(url).status_code == 200
        return log

``capture_queries()`` yields a :class:`QueryLog` (``len(log)``, ``log.count``, ``log.sql``).
``assert_num_queries`` / ``assert_max_queries`` take a number or a ``QueryLog`` baseline (and
an optional ``label``, e.g. the URL name in a loop, that heads the failure message). On
failure the message lists every query that ran, numbered, and, against a baseline, a diff of the
two runs with numbers and quoted values normalised, so the query repeated per row stands out.

Role matrix
-----------
Every app checks each page and API operation by role: the officer in scope gets 200, the
officer of another branch 404 (out of scope), a member 403 (read-only / not an officer), an
anonymous visitor a redirect to the sign-in page (302; 401/403 on the API)::

    assert_role_matrix(
        as_role,
        reverse("org:org_detail", args=[world.branch_a.pk]),
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )

``client_factory`` is a callable ``role -> client`` (the ``as_role`` fixture of
tests/conftest.py logs the test client in; ``api_as_role`` gives a DRF ``APIClient``). Role
names are those of :data:`ROLES` over the standard cast (the ``world`` fixture): ``officer``
(secretary of branch_a), ``other_officer`` (secretary of branch_b), ``gb_officer`` (secretary of
the general branch above branch_a), ``member`` (member of branch_a with an account),
``org_officer`` (the organisation department), ``admin`` and ``anonymous``; any other attribute
name of ``world`` (e.g. ``"secretary_a"``) is accepted as it is.

An expected status is a number or a tuple of acceptable numbers (e.g. ``(401, 403)``). An
anonymous 302 must redirect to the sign-in page. Each role's request runs in a savepoint that is
rolled back, so a write accepted for one role does not change what the next role sees (pass
``isolate=False`` to keep the writes). ``method`` and ``data`` are those of the client call;
further keyword arguments (``format="json"``, ``content_type=...``) are passed on. All roles are
tried before failing; the message names every role whose status differed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext

__all__ = [
    "ROLES",
    "QueryLog",
    "assert_max_queries",
    "assert_num_queries",
    "assert_role_matrix",
    "capture_queries",
    "role_user",
]

# --- query counts ------------------------------------------------------------------------------


class QueryLog:
    """The queries run inside a ``capture_queries()`` block (filled when the block ends)."""

    def __init__(self, context: CaptureQueriesContext) -> None:
        self._context = context

    @property
    def queries(self) -> list[dict[str, str]]:
        return self._context.captured_queries

    @property
    def sql(self) -> list[str]:
        return [q["sql"] for q in self.queries]

    @property
    def count(self) -> int:
        return len(self.queries)

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[dict[str, str]]:
        return iter(self.queries)

    def __getitem__(self, index: int) -> dict[str, str]:
        return self.queries[index]

    def __repr__(self) -> str:
        return f"<QueryLog {self.count} queries>"


@contextmanager
def capture_queries(using: str = DEFAULT_DB_ALIAS) -> Iterator[QueryLog]:
    """Record the queries run in the block (DEBUG or not)."""
    context = CaptureQueriesContext(connections[using])
    with context:
        yield QueryLog(context)


def _numbered(sql: list[str]) -> str:
    return "\n".join(f"{n}. {q}" for n, q in enumerate(sql, 1)) or "(none)"


_QUOTED = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"\b\d+(\.\d+)?\b")


def _shape(sql: str) -> str:
    """The query with literals replaced, to compare runs over different rows."""
    return _NUMBER.sub("N", _QUOTED.sub("'S'", sql))


def _message(kind: str, expected: int | QueryLog, log: QueryLog, label: str) -> str:
    limit = expected.count if isinstance(expected, QueryLog) else expected
    head = f"{label}: " if label else ""
    lines = [f"{head}Expected {kind} {limit} queries, got {log.count}:", _numbered(log.sql)]
    if isinstance(expected, QueryLog):
        diff = difflib.unified_diff(
            [_shape(q) for q in expected.sql],
            [_shape(q) for q in log.sql],
            "baseline",
            "this run",
            lineterm="",
            n=1,
        )
        lines += ["", "Difference from the baseline (literals normalised):", *diff]
    return "\n".join(lines)


@contextmanager
def assert_num_queries(
    expected: int | QueryLog | None, label: str = "", using: str = DEFAULT_DB_ALIAS
) -> Iterator[QueryLog]:
    """Fail unless the block runs exactly `expected` queries (a number or a baseline log).

    None only measures: a helper that is called once for the baseline and again to check it
    passes its optional baseline through."""
    with capture_queries(using) as log:
        yield log
    if expected is not None:
        limit = expected.count if isinstance(expected, QueryLog) else expected
        assert log.count == limit, _message("exactly", expected, log, label)


@contextmanager
def assert_max_queries(
    expected: int | QueryLog, label: str = "", using: str = DEFAULT_DB_ALIAS
) -> Iterator[QueryLog]:
    """Fail if the block runs more than `expected` queries (a number or a baseline log)."""
    limit = expected.count if isinstance(expected, QueryLog) else expected
    with capture_queries(using) as log:
        yield log
    assert log.count <= limit, _message("at most", expected, log, label)


# --- role matrix -------------------------------------------------------------------------------

# Role name -> attribute of the standard cast (tests/conftest.py `world`); None: not signed in.
ROLES: dict[str, str | None] = {
    "officer": "secretary_a",
    "other_officer": "secretary_b",
    "gb_officer": "gb_secretary_a",
    "member": "member_user",
    "org_officer": "org_officer",
    "admin": "admin",
    "anonymous": None,
}


def role_user(world: Any, role: str) -> Any:
    """The user playing `role` in the standard cast (None for anonymous)."""
    attribute = ROLES.get(role, role)
    return None if attribute is None else getattr(world, attribute)


def _acceptable(expected: int | tuple[int, ...] | list[int] | set[int]) -> tuple[int, ...]:
    return (expected,) if isinstance(expected, int) else tuple(expected)


def _describe(response: Any) -> str:
    status = response.status_code
    if 300 <= status < 400:
        return f"{status} -> {response.get('Location', '?')}"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content[:300].decode("utf-8", "replace").strip().replace("\n", " ")
    return f"{status}: {text}" if text else str(status)


def assert_role_matrix(
    client_factory: Callable[[str], Any],
    url: str,
    expected: Mapping[str, int | tuple[int, ...]],
    method: str = "get",
    data: Any = None,
    *,
    isolate: bool = True,
    **request_kwargs: Any,
) -> dict[str, Any]:
    """Request `url` as each role and check its status; return the responses by role."""
    login_url = resolve_url("login")
    responses: dict[str, Any] = {}
    failures: list[str] = []
    for role, want in expected.items():
        with transaction.atomic():
            client = client_factory(role)
            call = getattr(client, method.lower())
            if data is None:
                response = call(url, **request_kwargs)
            else:
                response = call(url, data, **request_kwargs)
            if isolate:
                transaction.set_rollback(True)
        responses[role] = response
        acceptable = _acceptable(want)
        ok = response.status_code in acceptable
        if ok and role == "anonymous" and response.status_code == 302:
            ok = response["Location"].startswith(login_url)
        if not ok:
            failures.append(
                f"  {role}: expected {'/'.join(map(str, acceptable))}, got {_describe(response)}"
            )
    assert not failures, f"{method.upper()} {url}: wrong status for\n" + "\n".join(failures)
    return responses
