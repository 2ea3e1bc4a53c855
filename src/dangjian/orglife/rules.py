"""Rules of organisational life and education hours, as pure functions (no Django).

Sources (the seeds are the authority):
- 《基层组织建设实施意见》§四(二)3: how often each organisation holds which meetings and for how
  long (学生党支部每月不少于二次组织生活；在职教职工党支部每月至少一次；离退休党支部每月一次；
  每次组织生活不少于2个小时; the general branch's activities 不得少于1个小时);
- 《基层组织建设实施意见》§四(二)1 and score item 6: education hours (教职工党员每年不少于24学时，
  其中廉政教育不少于4学时；学生党员每年不少于16学时);
- 《组织建设年实施方案》§一 and §三(一): branch secretaries (每半年接受一次集中培训，
  每年参加一次实践活动；新任党支部书记在半年内完成任职培训).
Values that institutions set differently arrive as arguments (read from settings by callers).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

MONTH = "month"
QUARTER = "quarter"
SEMESTER = "semester"
HALF_YEAR = "half_year"
YEAR = "year"
PERIODS = (MONTH, QUARTER, SEMESTER, HALF_YEAR, YEAR)

# First semester starts in September (1 Sep – 31 Jan), the second in February (1 Feb – 31 Aug).
DEFAULT_SEMESTER_START_MONTHS: tuple[int, ...] = (9, 2)

# --- which meeting kinds satisfy each frequency rule (《基层组织建设实施意见》§四(二)3 and score
# item 7) -------
# 《基层组织建设实施意见》 is《关于加强和改进党的基层组织建设的实施意见》; its score sheet item 7
# reads: 每月召开1次组织生活会、每期上1次党课、每年召开1次民主生活会、每月召开1次党支部委员会、
# 每学期开展1次党日活动、每半年召开1次师生员工座谈会、每半年认真分析1次师生员工的思想状况、
# 每半年对入党积极分子进行1次全面考察分析.
SEED_004 = "《关于加强和改进党的基层组织建设的实施意见》"
SCORE_SHEET = "《党支部工作目标管理考核评分表》"

# A branch's monthly organisational life (§四(二)3(2)) is held in the forms the preamble of
# §四(二)3 names — “三会一课”、组织生活会 — and the Party day of item 7: 党员大会, 党小组会, 党课,
# 主题党日, 组织生活会. Not the committee's own meeting (§四(二)3(3)) and not the yearly
# 民主生活会 (§四(二)3(4)): those have rules of their own.
ORG_LIFE_KINDS: tuple[str, ...] = ("general", "group", "lecture", "party_day", "org_life")


# A committee meeting (支部委员会 / 总支委员会) is a meeting of the committee
# (《基层组织建设实施意见》§四(二)3(3): 党支部委员会一般每月开一次): its roster is the committee;
# anyone else who comes is 列席.
COMMITTEE_KINDS: tuple[str, ...] = ("committee",)
MEMBER_ROLE = "member"
OBSERVER_ROLE = "observer"


def attendance_role(kind: str, on_roster: bool) -> str:
    """应到 for the meeting's roster (the committee at a committee meeting, every member at the
    others), 列席 for anyone else at a committee meeting."""
    if kind in COMMITTEE_KINDS and not on_roster:
        return OBSERVER_ROLE
    return MEMBER_ROLE


def observer_error(name: str, status: str) -> str | None:
    """列席 is recorded only for those who came: an absence is not theirs to excuse."""
    if status != "present":
        return f"{name}不是委员，只能登记为列席（到会）。"
    return None


@dataclass(frozen=True)
class SeedRule:
    name: str
    org_kind: str
    branch_category: str
    kinds: tuple[str, ...]
    period: str
    min_count: int
    min_minutes: int
    include_subtree: bool
    source: str


_GB = f"{SEED_004}四(二)3(1)"
_BRANCH = f"{SEED_004}四(二)3(2)"
_ITEM_7 = f"{SCORE_SHEET}第7项"
_OL = ORG_LIFE_KINDS
# The rules as the seed states them; the department may change them on the rules page.
SEED_FREQUENCY_RULES: tuple[SeedRule, ...] = (
    # general branches (§四(二)3(1)): 每次活动不得少于1个小时
    SeedRule("干部民主生活会", "general_branch", "", ("democratic_life",), YEAR, 1, 60, False, _GB),
    SeedRule("党课", "general_branch", "", ("lecture",), HALF_YEAR, 1, 60, False, _GB),
    SeedRule(
        "党支部委员会（总支委员会）", "general_branch", "", ("committee",), MONTH, 1, 60, False, _GB
    ),
    SeedRule("党日活动", "general_branch", "", ("party_day",), SEMESTER, 1, 60, False, _GB),
    SeedRule("师生员工座谈会", "general_branch", "", ("forum",), HALF_YEAR, 1, 60, True, _GB),
    SeedRule(
        "师生员工思想状况分析",
        "general_branch",
        "",
        ("thought_analysis",),
        HALF_YEAR,
        1,
        60,
        False,
        _GB,
    ),
    SeedRule(
        "入党积极分子考察分析",
        "general_branch",
        "",
        ("activist_review",),
        HALF_YEAR,
        1,
        60,
        False,
        _GB,
    ),
    # branches (§四(二)3(2)): 学生党支部每月不少于二次组织生活；在职教职工党支部应坚持每月至少
    # 一次组织生活；离退休党支部每月一次组织生活。每次组织生活不少于2个小时。
    SeedRule("学生党支部组织生活", "branch", "student", _OL, MONTH, 2, 120, False, _BRANCH),
    SeedRule("教工党支部组织生活", "branch", "staff", _OL, MONTH, 1, 120, False, _BRANCH),
    # 机关支部 are branches of in-service staff (在职教职工党支部)
    SeedRule("机关党支部组织生活", "branch", "organ", _OL, MONTH, 1, 120, False, _BRANCH),
    SeedRule(
        "离退休党支部组织生活", "branch", "retiree", ORG_LIFE_KINDS, MONTH, 1, 120, False, _BRANCH
    ),
    # §四(二)3(3): 党支部委员会一般每月开一次
    SeedRule(
        "党支部委员会", "branch", "", ("committee",), MONTH, 1, 0, False, f"{SEED_004}四(二)3(3)"
    ),
    # §四(二)3(4): 一般每年至少召开一次党支部民主生活会 — the monthly 组织生活会 does not count
    SeedRule(
        "支部民主生活会",
        "branch",
        "",
        ("democratic_life",),
        YEAR,
        1,
        0,
        False,
        f"{SEED_004}四(二)3(4)",
    ),
    # score item 7: 每期上1次党课、每学期开展1次党日活动
    SeedRule("党课", "branch", "", ("lecture",), SEMESTER, 1, 0, False, f"{SCORE_SHEET}第7项"),
    SeedRule(
        "主题党日", "branch", "", ("party_day",), SEMESTER, 1, 0, False, f"{SCORE_SHEET}第7项"
    ),
)


# The label of the current period in messages ("本月还需开展1次").
CURRENT_LABELS = {
    MONTH: "本月",
    QUARTER: "本季度",
    SEMESTER: "本学期",
    HALF_YEAR: "本半年",
    YEAR: "本年度",
}

DONE = "done"
DUE = "due"
OVERDUE = "overdue"
NOT_STARTED = "not_started"
STATE_LABELS = {DONE: "已完成", DUE: "进行中", OVERDUE: "未完成", NOT_STARTED: "未开始"}

# 《基层组织建设实施意见》§四(二)1: education hours per year.
DEFAULT_STAFF_HOURS = Decimal("24")
DEFAULT_STAFF_INTEGRITY_HOURS = Decimal("4")
DEFAULT_STUDENT_HOURS = Decimal("16")

# 《组织建设年实施方案》§三(一): 新任党支部书记在半年内完成任职培训.
APPOINTMENT_TRAINING_MONTHS = 6
# A secretary counts as newly appointed (the appointment-training check applies) for a year.
NEW_SECRETARY_MONTHS = 12


# --- dates ---------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day
    (31 Aug + 6 months = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def semester_bounds(
    on: date, start_months: tuple[int, ...] = DEFAULT_SEMESTER_START_MONTHS
) -> tuple[date, date]:
    """The semester containing `on`: it starts on the 1st of the latest start month on or
    before `on` and ends the day before the next start."""
    months = sorted(set(start_months))
    if not months or any(m < 1 or m > 12 for m in months):
        raise ValueError("学期起始月份应为1至12之间的整数")
    earlier = [m for m in months if m <= on.month]
    start = date(on.year, earlier[-1], 1) if earlier else date(on.year - 1, months[-1], 1)
    later = [m for m in months if m > start.month]
    following = date(start.year, later[0], 1) if later else date(start.year + 1, months[0], 1)
    return start, date.fromordinal(following.toordinal() - 1)


def period_bounds(
    period: str, on: date, semester_starts: tuple[int, ...] = DEFAULT_SEMESTER_START_MONTHS
) -> tuple[date, date]:
    """First and last day of the period of kind `period` that contains `on`."""
    if period == MONTH:
        return date(on.year, on.month, 1), _month_end(on.year, on.month)
    if period == QUARTER:
        first = (on.month - 1) // 3 * 3 + 1
        return date(on.year, first, 1), _month_end(on.year, first + 2)
    if period == HALF_YEAR:
        if on.month <= 6:
            return date(on.year, 1, 1), date(on.year, 6, 30)
        return date(on.year, 7, 1), date(on.year, 12, 31)
    if period == YEAR:
        return date(on.year, 1, 1), date(on.year, 12, 31)
    if period == SEMESTER:
        return semester_bounds(on, semester_starts)
    raise ValueError(f"未知的周期：{period}")


def period_label(period: str, start: date, end: date) -> str:
    """A readable name of a period: 2026年3月, 2026年第1季度, 2025-2026学年第二学期 ..."""
    if period == MONTH:
        return f"{start.year}年{start.month}月"
    if period == QUARTER:
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    if period == HALF_YEAR:
        return f"{start.year}年{'上' if start.month <= 6 else '下'}半年"
    if period == YEAR:
        return f"{start.year}年"
    return f"{start:%Y-%m-%d}至{end:%Y-%m-%d}学期"


def duration_minutes(starts_at: time, ends_at: time) -> int:
    """Whole minutes from start to end on the same day (negative when the end is not after)."""
    return (ends_at.hour * 60 + ends_at.minute) - (starts_at.hour * 60 + starts_at.minute)


def times_error(starts_at: time, ends_at: time) -> str | None:
    """A meeting ends after it starts."""
    if duration_minutes(starts_at, ends_at) <= 0:
        return "结束时间应晚于开始时间。"
    return None


# --- frequency rules -----------------------------------------------------------------------


def meeting_counts(kind: str, minutes: int, rule_kinds: Iterable[str], min_minutes: int) -> bool:
    """A meeting counts toward a rule when its kind is one the rule counts and it lasted at
    least the rule's minimum (《基层组织建设实施意见》§四(二)3: 每次组织生活不少于2个小时 — 119
    minutes do not count toward a 120-minute rule)."""
    return kind in set(rule_kinds) and minutes >= min_minutes


def rule_applies(rule_org_kind: str, rule_category: str, org_kind: str, org_category: str) -> bool:
    """A rule applies to organisations of its kind and, when it names one, branch category."""
    return rule_org_kind == org_kind and (not rule_category or rule_category == org_category)


@dataclass(frozen=True)
class Compliance:
    state: str
    count: int
    required: int
    start: date
    end: date

    @property
    def missing(self) -> int:
        """How many more meetings the period still needs."""
        return max(self.required - self.count, 0)

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def compliance(count: int, required: int, start: date, end: date, today: date) -> Compliance:
    """State of a rule for one organisation and period: done (count ≥ required), not started
    (the period lies in the future), due (running and short: `missing` still needed by `end`)
    or overdue (ended short). A period ending today is still due; one that ended yesterday is
    overdue."""
    if count >= required:
        state = DONE
    elif today < start:
        state = NOT_STARTED
    elif today <= end:
        state = DUE
    else:
        state = OVERDUE
    return Compliance(state=state, count=count, required=required, start=start, end=end)


def due_message(period: str, result: Compliance) -> str:
    """“本月还需开展1次” for a running period; "已逾期，少开展1次" for an ended one."""
    if result.state == DUE:
        label = CURRENT_LABELS.get(period, "本期")
        return f"{label}还需开展{result.missing}次（{result.end.month}月{result.end.day}日前）"
    if result.state == OVERDUE:
        return f"已逾期，少开展{result.missing}次"
    if result.state == NOT_STARTED:
        return "周期未开始"
    return f"已开展{result.count}次"


# --- education hours -----------------------------------------------------------------------


@dataclass(frozen=True)
class HoursRequirement:
    total: Decimal
    integrity: Decimal

    @property
    def label(self) -> str:
        if self.integrity:
            return f"{_fmt(self.total)}学时（廉政{_fmt(self.integrity)}）"
        return f"{_fmt(self.total)}学时"


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def hours_requirement(
    category: str,
    staff_hours: Decimal = DEFAULT_STAFF_HOURS,
    staff_integrity_hours: Decimal = DEFAULT_STAFF_INTEGRITY_HOURS,
    student_hours: Decimal = DEFAULT_STUDENT_HOURS,
) -> HoursRequirement | None:
    """Yearly education hours a member must reach (《基层组织建设实施意见》§四(二)1). Staff: 24 of
    which 4 integrity; students: 16. The seed names 教职工党员 and 学生党员 only: retirees have no
    requirement (None)."""
    if category == "staff":
        return HoursRequirement(total=staff_hours, integrity=staff_integrity_hours)
    if category == "student":
        return HoursRequirement(total=student_hours, integrity=Decimal("0"))
    return None


@dataclass(frozen=True)
class HoursShortfall:
    total: Decimal
    integrity: Decimal

    @property
    def any(self) -> bool:
        return self.total > 0 or self.integrity > 0


def hours_shortfall(
    total: Decimal, integrity: Decimal, requirement: HoursRequirement | None
) -> HoursShortfall:
    """How many hours (and integrity hours) are still missing; zero when met or not required."""
    zero = Decimal("0")
    if requirement is None:
        return HoursShortfall(total=zero, integrity=zero)
    return HoursShortfall(
        total=max(requirement.total - total, zero),
        integrity=max(requirement.integrity - integrity, zero),
    )


# --- branch secretaries (《组织建设年实施方案》) -------------------------------------------


def any_within(days: Iterable[date], start: date, end: date) -> bool:
    return any(start <= d <= end for d in days)


def appointment_deadline(position_start: date) -> date:
    """新任党支部书记在半年内完成任职培训 (《组织建设年实施方案》§三(一)): the day six months after
    the start is still in time."""
    return add_months(position_start, APPOINTMENT_TRAINING_MONTHS)


def appointment_training_state(
    position_start: date, completed_on: Iterable[date], today: date
) -> Compliance | None:
    """The appointment-training check of a newly appointed secretary (None when the position
    started more than NEW_SECRETARY_MONTHS ago: a long-serving secretary is not new). Done when
    an appointment training was completed between the start and the deadline inclusive."""
    if position_start < add_months(today, -NEW_SECRETARY_MONTHS):
        return None
    deadline = appointment_deadline(position_start)
    done = any_within(completed_on, position_start, deadline)
    return compliance(1 if done else 0, 1, position_start, deadline, today)


# --- planned meetings, leave and sign-in ---------------------------------------------------
# The seeds require the meetings (《基层组织建设实施意见》§四(二)3) but say nothing of notice,
# leave or sign-in: these are the working rules of the tool, with the windows as settings
# (ORGLIFE_SIGNIN_OPENS_MINUTES) so an institution may widen them.

PLANNED = "planned"
HELD = "held"
CANCELLED = "cancelled"
DEFAULT_SIGNIN_OPENS_MINUTES = 30
# The code on the secretary's screen is replaced every ROTATE seconds (a photo forwarded to
# someone not in the room soon stops working); the code just replaced still signs in for GRACE
# seconds (a member who scanned it a moment before the change is not refused).
DEFAULT_SIGNIN_ROTATE_SECONDS = 30
DEFAULT_SIGNIN_GRACE_SECONDS = 10


def meeting_date_error(state: str, held_on: date, today: date) -> str | None:
    """Only a planned meeting may lie in the future; a held one is recorded after the fact."""
    if state != PLANNED and held_on > today:
        return "会议日期晚于今天：尚未召开的会议请选择“计划召开”，会后再登记会议情况。"
    return None


def state_change_error(old: str, new: str) -> str | None:
    """planned → held or cancelled; a held meeting stays held, a cancelled one stays cancelled."""
    if old in (new, PLANNED):
        return None
    if old == HELD:
        return "会议已登记为已召开，不能改回计划召开或取消。"
    return "会议已取消，不能再改变状态；如需召开请重新安排。"


def starts_at(held_on: date, start: time) -> datetime:
    return datetime.combine(held_on, start)


def leave_error(*, state: str, on_roster: bool, now: datetime, starts: datetime) -> str | None:
    """A member on the meeting's roster may ask for leave from a planned meeting until it starts."""
    if state != PLANNED:
        return "只能对计划召开的会议请假。"
    if not on_roster:
        return "您不在这次会议的应到名单中，无需请假。"
    if now >= starts:
        return "会议已经开始，不能再请假；如有特殊情况请直接联系党支部书记。"
    return None


def signin_window(
    held_on: date, start: time, end: time, opens_minutes: int = DEFAULT_SIGNIN_OPENS_MINUTES
) -> tuple[datetime, datetime]:
    """Sign-in is open from `opens_minutes` before the start until the meeting ends."""
    return starts_at(held_on, start) - timedelta(minutes=opens_minutes), datetime.combine(
        held_on, end
    )


def signin_error(*, state: str, now: datetime, opens: datetime, closes: datetime) -> str | None:
    """Why a sign-in (or showing the code) is refused now, or None when it is open."""
    if state == CANCELLED:
        return "会议已取消，无需签到。"
    if state != PLANNED:
        return "会议已登记完成，签到已关闭。"
    if now < opens:
        return f"签到尚未开始，{opens:%m月%d日 %H:%M}起可以签到。"
    if now > closes:
        return "会议已结束，签到已关闭。"
    return None


def signin_token_valid(
    *,
    is_current: bool,
    issued_at: datetime | None,
    now: datetime,
    rotate_seconds: int = DEFAULT_SIGNIN_ROTATE_SECONDS,
    grace_seconds: int = DEFAULT_SIGNIN_GRACE_SECONDS,
) -> bool:
    """Whether a scanned code still signs in. `issued_at` is when the current code was issued
    (it replaced the previous one at that moment).

    The current code is valid until the screen should have replaced it, plus the grace period
    (a page left polling replaces it every `rotate_seconds`; a page closed lets it lapse); the
    previous code only for `grace_seconds` after it was replaced."""
    if issued_at is None:
        return False
    if is_current:
        return now <= issued_at + timedelta(seconds=rotate_seconds + grace_seconds)
    return now <= issued_at + timedelta(seconds=grace_seconds)


# --- photos and files of a meeting ----------------------------------------------------------
# The seeds ask for records kept of every meeting (《基层组织建设实施意见》§四(二)3: 做好记录);
# how many photos and files one meeting may carry is the tool's cap (ORGLIFE_MEETING_MAX_FILES).
DEFAULT_MEETING_MAX_FILES = 20


def meeting_files_error(count: int, limit: int = DEFAULT_MEETING_MAX_FILES) -> str | None:
    """A meeting carries at most `limit` photos and files."""
    if count >= limit:
        return f"每次会议最多上传{limit}个照片或文件，请先删除不需要的。"
    return None
