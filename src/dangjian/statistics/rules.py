"""The annual statistics' dates (党内统计): pure functions.

The annual report counts the members on the roll at 31 December, and the changes of the year
to that day; the half-year figures are taken at 30 June (the organisation department's
half-year statistics). Both cut-offs are offered; a cut-off still ahead counts the records as
they stand today (nobody has joined or left in the future)."""

from datetime import date

CUT_OFF_DAYS = ((12, 31), (6, 30))
YEARS_OFFERED = 5


def default_cut_off(today: date) -> date:
    """31 December of the current year (the annual report's date)."""
    return date(today.year, 12, 31)


def period_start(cut_off: date) -> date:
    """The first day of the period whose changes are counted: 1 January of the cut-off's
    year (a half-year's figures count January to June)."""
    return date(cut_off.year, 1, 1)


def cut_off_choices(today: date) -> list[tuple[date, str]]:
    """The cut-offs offered: year end and half year, this year and the years before."""
    choices = []
    for year in range(today.year, today.year - YEARS_OFFERED, -1):
        choices.append((date(year, 12, 31), f"{year}年年报（截至12月31日）"))
        choices.append((date(year, 6, 30), f"{year}年半年报（截至6月30日）"))
    return choices


def cut_off_error(cut_off: date, today: date) -> str | None:
    """A cut-off is 30 June or 31 December of a year offered."""
    if (cut_off.month, cut_off.day) not in CUT_OFF_DAYS:
        return "统计截止日期应为6月30日（半年报）或12月31日（年报）"
    if not today.year - YEARS_OFFERED < cut_off.year <= today.year:
        return f"统计年度应在{today.year - YEARS_OFFERED + 1}年至{today.year}年之间"
    return None
