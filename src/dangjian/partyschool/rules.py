"""The Party school's rules (党校培训): pure functions, no Django.

《基层组织建设实施意见》§四(三)1(2): an activist is “推荐参加党校学习”; §四(三)1(3): “通过党校考试且
合格的入党积极分子” may become a candidate. The sources name the exam and its pass but no mark, no
score range and no attendance requirement: those numbers are ours, each a setting.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

SOURCE = "《基层组织建设实施意见》§四(三)1(3)"

# The pass mark (合格) of a Party-school exam: ours, the customary 60 of a 100-point paper
# (setting PARTYSCHOOL_PASS_MARK).
PASS_MARK = Decimal("60")
# The full score of a paper (setting PARTYSCHOOL_MAX_SCORE).
MAX_SCORE = Decimal("100")
# Hours one session may credit at most: a full day of class (ours).
MAX_SESSION_HOURS = Decimal("8")

# The training kinds (orglife.TrainingKind values) whose exam is the one development step 3
# checks: the activists' class (§四(三)1(2)(3)).
ACTIVIST_CLASS = "activist"
EXAM_GATES_DEVELOPMENT = frozenset({ACTIVIST_CLASS})


def score_error(score: Decimal | None, max_score: Decimal = MAX_SCORE) -> str | None:
    """A score lies between 0 and the full score, in steps of 0.5 (ours)."""
    if score is None:
        return "请填写考试成绩。"
    if score < 0 or score > max_score:
        return f"考试成绩应在0至{max_score:g}分之间。"
    if (score * 2) % 1:
        return "考试成绩以0.5分为单位。"
    return None


def passed(score: Decimal, pass_mark: Decimal = PASS_MARK) -> bool:
    """合格 at the pass mark and above: 60 passes, 59.5 does not (ours; the source says only
    “考试且合格”, §四(三)1(3))."""
    return score >= pass_mark


def pass_mark_error(pass_mark: Decimal, max_score: Decimal = MAX_SCORE) -> str | None:
    """An institution's pass mark lies within the paper (above 0, not above the full score)."""
    if pass_mark <= 0 or pass_mark > max_score:
        return f"合格分数线应大于0且不超过满分{max_score:g}分。"
    return None


def session_date_error(held_on: date, starts_on: date, ends_on: date, today: date) -> str | None:
    """A session lies within its class's dates and has taken place (attendance is recorded
    after the fact)."""
    if held_on < starts_on or held_on > ends_on:
        return f"课次日期应在培训班的起止日期（{starts_on:%Y-%m-%d}至{ends_on:%Y-%m-%d}）之内。"
    if held_on > today:
        return "课次日期不能晚于今天：上课后再登记课次和出勤。"
    return None


def session_hours_error(
    hours: Decimal | None, max_hours: Decimal = MAX_SESSION_HOURS
) -> str | None:
    """A session credits more than 0 and at most a day's hours."""
    if hours is None or hours <= 0:
        return "学时应大于0。"
    if hours > max_hours:
        return f"一个课次最多计{max_hours:g}学时。"
    return None


def exam_date_error(taken_on: date, starts_on: date, today: date) -> str | None:
    """The exam is taken after the class has begun, and not in the future."""
    if taken_on < starts_on:
        return f"考试日期不能早于培训班开始日期（{starts_on:%Y-%m-%d}）。"
    if taken_on > today:
        return "考试日期不能晚于今天。"
    return None


def attendance_rate(attended: int, sessions: int) -> Decimal | None:
    """Sessions attended as a share of the class's sessions, in per cent to 0.1 (half up);
    None when the class has no session yet."""
    if sessions <= 0:
        return None
    return (Decimal(attended) * 100 / sessions).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def gates_development(kind: str) -> bool:
    """Whether passing this class's exam is what step 3 of development checks (the activists'
    class, §四(三)1(3)); other classes (development targets, secretaries) only record it."""
    return kind in EXAM_GATES_DEVELOPMENT
