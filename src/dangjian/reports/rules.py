"""Rules of the quarterly progress report (季报表, 《延伸提升168机制意见》附件5) as pure functions.

《延伸提升168机制意见》§五: “各市属高校党委（总支）、市教育局机关党委请于每季度第三个月20日前将推
广“168”机制进展情况季报表（见附件5）报送市委教育工委” and “今年12月底前，
学校党组织“168”机制推广面要达到100%”.

No database and no Django here: the selectors feed these functions with counts and dates.
"""

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal

QUARTERS: Final = (1, 2, 3, 4)

# The day of the quarter's third month by which the report is due
# (《延伸提升168机制意见》§五: “每季度第三个月20日前”).
DUE_DAY: Final = 20

# Coverage target: 100% of the school's Party organisations by the end of December
# (《延伸提升168机制意见》§五: “今年12月底前，学校党组织“168”机制推广面要达到100%”).
COVERAGE_TARGET_PERCENT: Final = 100.0

# A branch “runs the mechanism” (已实行“168”机制) in a year when at least this many of its posts
# of that year have been published (明岗) — state published, performing or evaluated. Publishing
# the posts is the first visible result of 设岗定责/亮岗履职 (《延伸提升168机制意见》§三 “承诺亮岗”,
# 《设岗定责通知》§2: 设岗→认岗→定岗→明岗→履岗→评岗).
MIN_PUBLISHED_POSTS: Final = 1

# Organisation kinds that write a quarterly report; groups (党小组) do not.
REPORTING_KINDS: Final = ("committee", "general_branch", "branch")

# The committee's report goes to 市委教育工委, outside the system: nobody inside reviews it.
TOP_KIND: Final = "committee"

CoverageVerdict = Literal["met", "in_progress", "shortfall"]
DeadlineState = Literal["pending", "on_time", "late", "overdue"]


def _check_quarter(quarter: int) -> None:
    if quarter not in QUARTERS:
        raise ValueError(f"quarter must be 1–4, not {quarter}")


def quarter_of(day: date) -> int:
    """The calendar quarter (1–4) a date falls in."""
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    _check_quarter(quarter)
    first_month = 3 * quarter - 2
    last_month = 3 * quarter
    last_day = 31 if last_month in (3, 12) else 30
    return date(year, first_month, 1), date(year, last_month, last_day)


def due_date(year: int, quarter: int) -> date:
    """The 20th of the quarter's third month: Mar 20, Jun 20, Sep 20, Dec 20
    (《延伸提升168机制意见》§五)."""
    _check_quarter(quarter)
    return date(year, 3 * quarter, DUE_DAY)


def is_overdue(due: date, submitted_on: date | None, today: date) -> bool:
    """Past the due date: a report submitted on the due date is on time, one submitted the day
    after is late; a report not yet submitted is overdue from the day after the due date."""
    return (submitted_on or today) > due


def deadline_state(due: date, submitted_on: date | None, today: date) -> DeadlineState:
    """pending (not submitted, not yet due), on_time, late (submitted after the due date) or
    overdue (not submitted and past the due date)."""
    if submitted_on is None:
        return "overdue" if is_overdue(due, None, today) else "pending"
    return "late" if is_overdue(due, submitted_on, today) else "on_time"


DEADLINE_LABELS: Final[dict[str, str]] = {
    "pending": "未到截止日期",
    "on_time": "按时报送",
    "late": "逾期报送",
    "overdue": "逾期未报",
}


def needs_attention(state: str) -> bool:
    """What the department chases: reports not submitted past the due date, and those
    submitted late (the quarter's record keeps them late)."""
    return state in ("overdue", "late")


def figures_as_of(year: int, quarter: int, today: date) -> date:
    """The day the figures describe: the quarter's last day, or today when that is earlier."""
    return min(quarter_bounds(year, quarter)[1], today)


def runs_mechanism(published_posts: int) -> bool:
    """Whether a branch counts as running the “168” mechanism in a year, from the number of its
    posts of that year that have been published (明岗) or gone further (履岗, 评岗)."""
    return published_posts >= MIN_PUBLISHED_POSTS


def coverage_counts(
    branch_paths: Iterable[str], published_by_org_path: dict[str, int]
) -> tuple[int, int]:
    """(covered, total) active branches: a branch is covered when the published posts of its
    subtree (the branch and its groups) reach `MIN_PUBLISHED_POSTS`."""
    covered = total = 0
    for branch in branch_paths:
        total += 1
        published = sum(n for path, n in published_by_org_path.items() if path.startswith(branch))
        if runs_mechanism(published):
            covered += 1
    return covered, total


def coverage_percent(covered: int, total: int) -> float:
    """推广面: covered branches as a percentage of all active branches, rounded half-up to one
    decimal; 0 when there are no branches. Never shows 100.0 unless every branch is covered
    (1999 of 2000 is 99.9, not a rounded-up 100.0)."""
    if covered < 0 or total < 0 or covered > total:
        raise ValueError(f"invalid coverage {covered}/{total}")
    if total == 0:
        return 0.0
    exact = Decimal(covered * 100) / Decimal(total)
    rounded = float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    if covered < total and rounded >= COVERAGE_TARGET_PERCENT:
        return 99.9
    return rounded


def coverage_target_met(percent: float, year: int, on: date) -> bool | None:
    """The 100%-by-December target of 《延伸提升168机制意见》§五 for `year`, judged on `on`:
    True when reached; None while December 31 of the year has not passed (still progressing);
    False after it when coverage is below 100% (a shortfall)."""
    if percent >= COVERAGE_TARGET_PERCENT:
        return True
    if on <= date(year, 12, 31):
        return None
    return False


def coverage_verdict(percent: float, year: int, on: date) -> CoverageVerdict:
    met = coverage_target_met(percent, year, on)
    return "met" if met else ("in_progress" if met is None else "shortfall")


COVERAGE_LABELS: Final[dict[str, str]] = {
    "met": "已达到100%目标",
    "in_progress": "推进中（12月底前达到100%）",
    "shortfall": "未达到100%目标",
}


def needs_review(org_kind: str) -> bool:
    """A general branch's or branch's report is reviewed by the level above; the committee's
    report is the school's report to 市委教育工委 and has no reviewer in the system."""
    return org_kind != TOP_KIND


def steps_reached(step: int, of_step: int) -> bool:
    """A work item at `step` (1–6, 7 = done) has reached `of_step` of the six-step method."""
    return step >= of_step


def task_overdue(deadline: date, completed_on: date | None, as_of: date) -> bool:
    """A decomposed task past its deadline and not completed by `as_of` (逾期未完成)."""
    return deadline < as_of and (completed_on is None or completed_on > as_of)


# --- 数据驾驶舱 (cockpit) -------------------------------------------------------------------------


def share_percent(part: int, whole: int) -> float | None:
    """`part` of `whole` as a percentage rounded half-up to one decimal, never above 100; None
    when there is nothing to measure (no rule applies, nobody is required to study)."""
    if part < 0 or whole < 0:
        raise ValueError(f"invalid share {part}/{whole}")
    if whole == 0:
        return None
    exact = Decimal(min(part, whole) * 100) / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def per_member(count: int, members: int) -> float | None:
    """Records per Party member (one decimal); None for an organisation without members.
    《延伸提升168机制意见》§三 “履职记实”: each member keeps records of their post's duties."""
    if members <= 0:
        return None
    return float((Decimal(count) / Decimal(members)).quantize(Decimal("0.1"), ROUND_HALF_UP))


# Organisational-life completion (share of the frequency rules done this period) from which a
# node of the tree is green, and below which it is red (amber in between): a platform choice,
# settings COCKPIT_GREEN_PERCENT / COCKPIT_RED_PERCENT.
DEFAULT_GREEN_PERCENT: Final = 80.0
DEFAULT_RED_PERCENT: Final = 50.0

NodeStatus = Literal["green", "amber", "red", ""]

NODE_STATUS_LABELS: Final[dict[str, str]] = {
    "green": "正常",
    "amber": "需关注",
    "red": "滞后",
    "": "暂无数据",
}


def node_status(
    life_percent: float | None,
    reports_overdue: int,
    green: float = DEFAULT_GREEN_PERCENT,
    red: float = DEFAULT_RED_PERCENT,
) -> NodeStatus:
    """A node's colour in the cockpit and the tree. Red: organisational life below `red` % of
    the rules done (《关于加强和改进党的基层组织建设的实施意见》§四(二) frequency rules), or a
    quarterly report overdue (《延伸提升168机制意见》§五 “每季度第三个月20日前”). Amber: below
    `green` %. Green otherwise; no colour when no rule applies and nothing is overdue."""
    if reports_overdue > 0:
        return "red"
    if life_percent is None:
        return ""
    if life_percent < red:
        return "red"
    if life_percent < green:
        return "amber"
    return "green"
