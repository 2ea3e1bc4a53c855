"""Rules of contacts with the masses and of visits, as pure functions (no database, no Django).

《基层组织建设实施意见》§四(二)4(2): 每个党员都要联系1～3名党外群众.
《基层组织建设实施意见》§四(四)1 (三联二访): 校领导每学期至少1次深入所联系的二级学院、
二级学院领导每季度至少1次深入所联系的班级、党员教师每月至少1次深入所联系学生的宿舍.
《组织建设年实施方案》§四(二) (两访两创): 干部访谈教师、教师访谈所有学生; 重点访谈群体; 延伸访谈;
回访.

Institutions differ in their calendars and frequencies: the services read Django settings and
pass them in here as arguments; the seed's values are the defaults below.
"""

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# --- contacts (《基层组织建设实施意见》§四(二)4(2)) ------------------------------------------

MIN_CONTACTS = 1
MAX_CONTACTS = 3
MEMBER_STATUSES = ("probationary", "full")

CONTACT_NONE = "none"
CONTACT_OK = "ok"
CONTACT_OVER = "over"


def too_many_contacts(active: int, maximum: int = MAX_CONTACTS, minimum: int = MIN_CONTACTS) -> str:
    return (
        f"每个党员都要联系{minimum}～{maximum}名党外群众：该党员已联系{active}名，"
        f"不能再增加（《基层组织建设实施意见》§四(二)4(2)）。请先结束一名联系对象。"
    )


NOT_MASSES = (
    "联系对象须为党外群众：该人员是党员"
    "（《基层组织建设实施意见》§四(二)4(2)：每个党员都要联系1～3名党外群众）。"
)
NOT_A_MEMBER = "只有党员（正式党员或预备党员）联系党外群众。"
SELF_CONTACT = "不能把本人登记为联系对象。"
DUPLICATE_CONTACT = "该联系对象已在本人的联系名单中。"


def contact_add_error(
    active: int, maximum: int = MAX_CONTACTS, minimum: int = MIN_CONTACTS
) -> str | None:
    """Adding one more contact to a member who has `active` contacts now."""
    if active + 1 > maximum:
        return too_many_contacts(active, maximum, minimum)
    return None


def contact_status(active: int, maximum: int = MAX_CONTACTS, minimum: int = MIN_CONTACTS) -> str:
    """none (red: fewer than the minimum), ok (1–3), over (more than the maximum)."""
    if active < minimum:
        return CONTACT_NONE
    if active > maximum:
        return CONTACT_OVER
    return CONTACT_OK


def is_masses(party_status: str) -> bool:
    """党外群众: anyone who is not a Party member (applicants and activists included)."""
    return party_status not in MEMBER_STATUSES


# --- periods ------------------------------------------------------------------------------

MONTH = "month"
QUARTER = "quarter"
SEMESTER = "semester"
YEAR = "year"
PERIOD_UNITS = (MONTH, QUARTER, SEMESTER, YEAR)
PER_LABELS = {MONTH: "每月", QUARTER: "每季度", SEMESTER: "每学期", YEAR: "每年"}

# Semesters: 1 Sep – 31 Jan and 1 Feb – 31 Aug, in the order of the academic year.
SEMESTER_STARTS: tuple[tuple[int, int], ...] = ((9, 1), (2, 1))
ORDINALS = "一二三四"


@dataclass(frozen=True)
class Period:
    unit: str
    start: date
    end: date
    label: str

    @property
    def key(self) -> str:
        return f"{self.unit}:{self.start.isoformat()}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def contacts_due_on(known: Sequence[date], today: date) -> date:
    """When a member without contacts among the masses is due (《基层组织建设实施意见》§四(二)4(2)):
    the end of the month they became a member or ended their last contact — a date that stands
    still, so a long gap stays overdue — but never before the end of last year ("已逾期 1997-12-31"
    says nothing a member can use)."""
    start = month_end(max(known) if known else today)
    return max(start, date(today.year - 1, 12, 31))


def _semester(day: date, starts: Sequence[tuple[int, int]]) -> Period:
    first = starts[0]
    candidates: list[tuple[date, int, int]] = []
    for academic_year in range(day.year - 2, day.year + 2):
        for index, (month, dom) in enumerate(starts):
            year = academic_year if (month, dom) >= first else academic_year + 1
            candidates.append((date(year, month, dom), academic_year, index))
    candidates.sort()
    for position, (start, academic_year, index) in enumerate(candidates):
        following = candidates[position + 1][0]
        if start <= day < following:
            label = f"{academic_year}—{academic_year + 1}学年第{ORDINALS[index]}学期"
            return Period(SEMESTER, start, following - timedelta(days=1), label)
    raise ValueError("no semester contains the day")  # pragma: no cover - starts cover the year


def period_of(
    unit: str, day: date, semester_starts: Sequence[tuple[int, int]] = SEMESTER_STARTS
) -> Period:
    """The period of kind `unit` that contains `day`."""
    if unit == MONTH:
        return Period(MONTH, day.replace(day=1), month_end(day), f"{day.year}年{day.month}月")
    if unit == QUARTER:
        quarter = (day.month - 1) // 3
        start = date(day.year, quarter * 3 + 1, 1)
        return Period(
            QUARTER,
            start,
            month_end(date(day.year, quarter * 3 + 3, 1)),
            f"{day.year}年第{quarter + 1}季度",
        )
    if unit == SEMESTER:
        return _semester(day, semester_starts)
    if unit == YEAR:
        return Period(YEAR, date(day.year, 1, 1), date(day.year, 12, 31), f"{day.year}年")
    raise ValueError(f"unknown period unit {unit!r}")


# --- links of 三联二访 (《基层组织建设实施意见》§四(四)1) ------------------------------------

LEADER_COLLEGE = "leader_college"
LEADER_CLASS = "leader_class"
TEACHER_DORM = "teacher_dorm"
# 领导班子成员联系点 (《延伸提升168机制意见》§五: 领导班子成员都要分别确定1个以上单位作为联系点，
# 深入进行指导; 《168模式实施意见》and 《组织建设年实施方案》§四(二): 领导干部联系基层制度).
LEADER_POINT = "leader_point"
LINK_KINDS = (LEADER_COLLEGE, LEADER_CLASS, TEACHER_DORM, LEADER_POINT)


@dataclass(frozen=True)
class Frequency:
    per: str  # a period unit
    times: int

    @property
    def label(self) -> str:
        return f"{PER_LABELS.get(self.per, self.per)}至少{self.times}次"


DEFAULT_FREQUENCIES: dict[str, Frequency] = {
    LEADER_COLLEGE: Frequency(SEMESTER, 1),  # 校领导每学期至少1次深入所联系的二级学院
    LEADER_CLASS: Frequency(QUARTER, 1),  # 二级学院领导每季度至少1次深入所联系的班级
    TEACHER_DORM: Frequency(MONTH, 1),  # 党员教师每月至少1次深入所联系学生的宿舍
    # The sources set no frequency for a leadership contact point: ours, a semester, as for
    # the school leaders' links to colleges (§四(四)1).
    LEADER_POINT: Frequency(SEMESTER, 1),
}


def frequencies(overrides: Mapping[str, object] | None = None) -> dict[str, Frequency]:
    """The seed's table with an institution's overrides: {kind: (per, times)} or
    {kind: {"per": ..., "times": ...}}. A bad entry raises ValueError (caught at start-up)."""
    table = dict(DEFAULT_FREQUENCIES)
    for kind, value in (overrides or {}).items():
        if kind not in LINK_KINDS:
            raise ValueError(f"OUTREACH_FREQUENCIES: unknown link kind {kind!r}")
        if isinstance(value, Frequency):
            table[kind] = value
            continue
        if isinstance(value, Mapping):
            per, times = value.get("per"), value.get("times")
        elif isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
            per, times = value[0], value[1]
        else:
            raise ValueError(f"OUTREACH_FREQUENCIES[{kind!r}]: expected (per, times)")
        if per not in PERIOD_UNITS or not isinstance(times, int) or times < 1:
            raise ValueError(f"OUTREACH_FREQUENCIES[{kind!r}]: bad value {value!r}")
        table[kind] = Frequency(str(per), times)
    return table


# The unit a link's target must be (Unit.kind), None when the target is free text, ANY_TARGET
# when either a unit of any kind or a named organisation will do.
ANY_TARGET = "any"
LINK_UNIT_KIND: dict[str, str | None] = {
    LEADER_COLLEGE: "college",
    LEADER_CLASS: "class",
    TEACHER_DORM: None,
    LEADER_POINT: ANY_TARGET,
}
LINK_KIND_REQUIRED = (
    "联系点只能是：校领导联系二级学院、二级学院领导联系班级、党员教师联系学生宿舍，"
    "或领导班子成员的联系点。"
)
POINT_TARGET_REQUIRED = "请选择联系的单位，或填写联系的党组织名称，如：机关一支部。"
NOT_A_LEADER = "领导班子成员联系点只为领导班子（领导小组）成员设置（《延伸提升168机制意见》§五）。"
# Each member of the leadership holds at least this many contact points (“1个以上”).
MIN_LEADER_POINTS = 1
UNIT_MUST_BE_COLLEGE = "校领导联系的应为二级学院（《基层组织建设实施意见》§四(四)1）。"
UNIT_MUST_BE_CLASS = "二级学院领导联系的应为班级（《基层组织建设实施意见》§四(四)1）。"
TARGET_REQUIRED = "请填写所联系学生的宿舍，如：3号楼学生宿舍。"
SCHOOL_LEADER_LINKS = "校领导联系二级学院、领导班子成员联系点由党委组织部设置。"
TEACHER_MUST_BE_MEMBER = "党员教师联系学生宿舍：联系人须为党员（正式或预备）教职工。"
DUPLICATE_LINK = "该联系人已有相同的联系点。"


def link_target_error(kind: str, unit_kind: str | None, target: str) -> tuple[str, str] | None:
    """(field, message) when a link's target does not fit its kind."""
    if kind not in LINK_KINDS:
        return ("kind", LINK_KIND_REQUIRED)
    wanted = LINK_UNIT_KIND[kind]
    if wanted == "college" and unit_kind != "college":
        return ("unit", UNIT_MUST_BE_COLLEGE)
    if wanted == "class" and unit_kind != "class":
        return ("unit", UNIT_MUST_BE_CLASS)
    if wanted is None and not target.strip():
        return ("target", TARGET_REQUIRED)
    if wanted == ANY_TARGET and unit_kind is None and not target.strip():
        return ("target", POINT_TARGET_REQUIRED)
    return None


def points_missing(points: int, minimum: int = MIN_LEADER_POINTS) -> int:
    """How many contact points a member of the leadership still lacks (《延伸提升168机制意见》§五:
    “确定1个以上单位作为联系点”): 0 holds, 1 with none."""
    return max(minimum - points, 0)


def link_active_in(since: date, ended_on: date | None, period: Period) -> bool:
    """A link counts in a period it overlaps."""
    return since <= period.end and (ended_on is None or ended_on >= period.start)


# --- compliance ---------------------------------------------------------------------------

DONE = "done"
DUE = "due"
OVERDUE = "overdue"
STATUS_LABELS = {DONE: "已完成", DUE: "进行中", OVERDUE: "逾期未完成"}


def compliance_status(required: int, done: int, period_end: date, today: date) -> str:
    """Done when the period has at least the required visits; due while the period runs
    (or has not started); overdue after its last day when short."""
    if done >= required:
        return DONE
    if today > period_end:
        return OVERDUE
    return DUE


# --- visits -------------------------------------------------------------------------------

FOLLOW_UP = "follow_up"
FOLLOW_UP_DAYS = 30
FUTURE_VISIT = "走访日期不能晚于今天。"
LINK_NOT_OWN = "只能选择走访人本人的联系点。"
LINK_NOT_ACTIVE = "走访日期不在该联系点的联系期间内。"
LINK_KIND_MISMATCH = "走访类别须与联系点的类别一致。"
INTERVIEWEE_REQUIRED = "请填写访谈对象。"
FOLLOW_UP_NEEDS_INTERVIEWEE = "需要回访的，请填写访谈对象，以便登记回访。"
# Kinds of visits about a named person (两访两创, 家访, 回访).
NAMED_KINDS = ("home_visit", "cadre_teacher", "teacher_student", FOLLOW_UP)


def visit_date_error(visited_on: date, today: date) -> str | None:
    return FUTURE_VISIT if visited_on > today else None


def follow_up_due(visited_on: date, days: int = FOLLOW_UP_DAYS) -> date:
    """A visit marked 需要回访 should be followed up within `days` days."""
    return visited_on + timedelta(days=days)
