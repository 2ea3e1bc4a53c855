"""Query-string and form values read the same way everywhere: a bad value is the default,
never a 500 (filters on a page, its export and the API share these through their FilterSets)."""

from datetime import date
from typing import Any

from dangjian.core.rules import office_date


def parse_int(
    raw: Any, default: Any = None, low: int | None = None, high: int | None = None
) -> Any:
    """An integer within [low, high], else `default`."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    if (low is not None and value < low) or (high is not None and value > high):
        return default
    return value


def parse_date(raw: Any, default: date | None = None) -> date | None:
    """A date as office files and forms write it (2026-03-20, 2026/3/20, 2026年3月20日), else
    `default`."""
    if raw in (None, ""):
        return default
    value, _error = office_date(raw if isinstance(raw, date) else str(raw))
    return value if value is not None else default


def parse_year(raw: Any, default: int | None = None) -> int | None:
    """A plausible calendar year (2000–2100), else `default`."""
    return parse_int(raw, default, low=2000, high=2100)
