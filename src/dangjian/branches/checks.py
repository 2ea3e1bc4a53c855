"""A system check: the institution's BRANCHES_TIMELINE overrides are valid month-days
(a bad entry is reported at start-up rather than when a grading year is created)."""

from django.conf import settings
from django.core import checks

from dangjian.branches import rules


def timeline_setting(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    overrides = settings.BRANCHES_TIMELINE or {}
    try:
        dates = rules.timeline_dates(2024, overrides)
    except ValueError as exc:
        return [checks.Error(str(exc), id="branches.E001")]
    error = rules.timeline_error(dates, 2024)
    if error:
        return [checks.Error(f"BRANCHES_TIMELINE[{error[0]!r}]: {error[1]}", id="branches.E002")]
    return []
