"""Rules of post setting and duty records (《168模式实施意见》§五(二), 《延伸提升168机制意见》§三,
《机关168模式通知》), as pure functions.

No database and no Django: the services call these and turn a returned message into a
ValidationError on the right field.
"""

import calendar
from datetime import date
from decimal import Decimal

# Party members proper: 正式党员 and 预备党员 (only they hold posts).
MEMBER_STATUSES = ("probationary", "full")

# Grade bands of 《168模式实施意见》§五(二)5:
# 90分以上为优秀，80分以上为称职，60-79分为基本称职，60分以下为不称职.
GRADE_BANDS: tuple[tuple[float, str], ...] = (
    (90.0, "excellent"),
    (80.0, "competent"),
    (60.0, "basic"),
)
LOWEST_GRADE = "incompetent"

# Messages naming the rule a refused action breaks.
CONFIRM_REFUSED = (
    "定岗由党总支确定：须由上级党组织（党总支）的书记或委员确定上岗人选，"
    "本组织不能为自己的岗位定岗（《168模式实施意见》§五(二)2）。"
)
QUARTERLY_REFUSED = "季度检查由党委组织部进行：只有组织部干事或党委的书记、委员可以登记季度检查。"
NOT_A_MEMBER = "只有党员（正式党员或预备党员）才能认岗、履岗。"
STUDENT_POST_ONLY_FOR_STUDENTS = "该岗位为学生党员岗位，只能由学生党员认领。"
STAFF_POST_NOT_FOR_STUDENTS = "该岗位为教职工党员岗位，学生党员不能认领。"
OUTSIDE_SUBTREE = "只能认领本人所在党支部（或其上级党总支）设置的岗位。"
DUPLICATE_HOLDER = "同一党员在同一党组织、同一年度不能重复担任同一类岗位。"
FUTURE_DATE = "活动日期不能晚于今天。"
FUTURE_MONTH = "只能检查本月或以前的整月，不能检查以后的月份。"
FUTURE_QUARTER = "只能检查本季度或以前的季度。"


def grade_for_score(score: float | Decimal) -> str:
    """The grade of a 0–100 score (《168模式实施意见》§五(二)5).

    ≥90 优秀, ≥80 称职, 60–79 基本称职, <60 不称职."""
    value = float(score)
    for floor, grade in GRADE_BANDS:
        if value >= floor:
            return grade
    return LOWEST_GRADE


def score_error(score: float | Decimal) -> str | None:
    if not 0 <= float(score) <= 100:
        return "考评分数应在0到100分之间。"
    return None


def holder_error(*, party_status: str, category: str, audience: str) -> str | None:
    """Why this person may not hold a post for `audience` (student / staff / all); None when fine.

    Only Party members hold posts; student posts (《基层组织建设实施意见》§四(四)5) only for
    students; staff posts not for students."""
    if party_status not in MEMBER_STATUSES:
        return NOT_A_MEMBER
    if audience == "student" and category != "student":
        return STUDENT_POST_ONLY_FOR_STUDENTS
    if audience == "staff" and category == "student":
        return STAFF_POST_NOT_FOR_STUDENTS
    return None


def in_subtree(person_org_path: str | None, post_org_path: str) -> bool:
    """A person may hold a post of their own organisation or of one above it."""
    return bool(person_org_path) and str(person_org_path).startswith(post_org_path)


def occurred_on_error(occurred_on: date, today: date) -> str | None:
    """A duty record tells what was done: its date is not in the future."""
    return FUTURE_DATE if occurred_on > today else None


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last day of a calendar month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def month_error(year: int, month: int, today: date) -> str | None:
    """The branch secretary checks a whole past or current month (《168模式实施意见》§五(二)4:
    按月检查)."""
    if not 1 <= month <= 12:
        return "月份应为1到12。"
    if (year, month) > (today.year, today.month):
        return FUTURE_MONTH
    return None


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first_month = (quarter - 1) * 3 + 1
    return month_bounds(year, first_month)[0], month_bounds(year, first_month + 2)[1]


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_error(year: int, quarter: int, today: date) -> str | None:
    """The department checks a whole past or current quarter (《168模式实施意见》§五(二)4:
    按季度检查)."""
    if not 1 <= quarter <= 4:
        return "季度应为1到4。"
    if (year, quarter) > (today.year, quarter_of(today)):
        return FUTURE_QUARTER
    return None


def semester_error(semester: int) -> str | None:
    return None if semester in (1, 2) else "学期应为第一学期或第二学期。"
