"""Reads of the annual statistics: the organisations a user may count, the latest runs, and
the tables of a run laid out for the page and the export."""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet

from dangjian.core.access import Actor
from dangjian.org.models import Organisation, OrgKind
from dangjian.statistics.models import StatisticsRun
from dangjian.statistics.tables import TABLES, drill_params


def organisations_for(user: Actor) -> QuerySet[Organisation]:
    """The organisations whose statistics the user may read: every organisation of their
    scope but Party groups, in path order (the page opens on the first)."""
    qs = Organisation.objects.visible_to(user).active().exclude(kind=OrgKind.GROUP)
    return qs.only("id", "name", "depth", "path", "kind")


def latest_runs(
    org: Organisation, cut_off: date
) -> tuple[StatisticsRun | None, StatisticsRun | None]:
    """(the latest finished run, the latest run still queued or running) — two short reads on
    the (organisation, cut_off, requested_at) index."""
    runs = StatisticsRun.objects.filter(organisation=org, cut_off=cut_off).select_related(
        "requested_by"
    )
    done = runs.filter(state=StatisticsRun.State.DONE).first()
    pending = runs.filter(
        state__in=[
            StatisticsRun.State.QUEUED,
            StatisticsRun.State.RUNNING,
            StatisticsRun.State.FAILED,
        ]
    ).first()
    if pending and done and pending.requested_at < done.requested_at:
        pending = None
    return done, pending


def tables_of(run: StatisticsRun) -> list[dict[str, Any]]:
    """Each table with its rows of cells (value and drill-down query string)."""
    dates = {"cut_off": run.cut_off.isoformat(), "start": run.period_start.isoformat()}
    rows = run.figures.get("rows", [])
    tables = []
    for table in TABLES:
        table_rows = []
        for row in rows:
            cells = []
            for column in table.columns:
                params = drill_params(table, column, row["org_id"], dates)
                cells.append(
                    {
                        "value": row["figures"].get(column.key, 0),
                        "query": urlencode(params) if params is not None else "",
                    }
                )
            table_rows.append({"name": row["name"], "org_id": row["org_id"], "cells": cells})
        tables.append(
            {"slug": table.slug, "title": table.title, "columns": table.columns, "rows": table_rows}
        )
    return tables
