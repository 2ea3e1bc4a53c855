"""Batch operations (批量办理): one step applied to many rows an officer ticked, each row in its
own transaction through the same service as the single step, each row's result reported —
a row the rules refuse is listed with the rule, the others go through. A refused right is
recorded in the security audit like a refused page."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from dangjian.core import security_log
from dangjian.core.models import SecurityEvent

# At most this many rows in one submit: a page's worth, so the request stays short.
MAX_ROWS = 200


@dataclass(frozen=True)
class RowResult:
    label: str
    url: str
    ok: bool
    message: str


def run(
    request: HttpRequest,
    rows: Iterable[Any],
    perform: Callable[[Any], Any],
    *,
    label: Callable[[Any], str],
    url: Callable[[Any], str],
    done: str,
) -> list[RowResult]:
    """`perform(row)` for each row; `done` is the message of a row that went through."""
    results = []
    for row in rows:
        try:
            with transaction.atomic():
                perform(row)
        except ValidationError as exc:
            results.append(RowResult(label(row), url(row), False, "；".join(exc.messages)))
        except PermissionDenied as exc:
            reason = str(exc.args[0]) if exc.args else "您没有办理该事项的权限。"
            security_log.record(
                SecurityEvent.Kind.REFUSED, request=request, detail=f"批量办理：{reason}"
            )
            results.append(RowResult(label(row), url(row), False, reason))
        else:
            results.append(RowResult(label(row), url(row), True, done))
    return results


def selected_ids(request: HttpRequest) -> list[int]:
    """The ticked rows' ids (`ids` fields), numbers only, at most MAX_ROWS."""
    ids = []
    for value in request.POST.getlist("ids"):
        if value.isdigit():
            ids.append(int(value))
    return list(dict.fromkeys(ids))[:MAX_ROWS]
