"""Rules of member duty evaluation (党员履岗考评 / 民主评议党员), as pure functions.

《168模式实施意见》§五(二)5 (考核评岗): 每学期末采取个人述岗自评、群众民意测评、
党支部综合评定相结合等方式，对党员履岗情况进行检查和考核评议；年终结合……民主评议党员工作进行考评。
考核等次分为优秀、称职、基本称职、不称职四个等次，90分以上为优秀，80分以上为称职，60-79分为基本称
职，60分以下为不称职。考核结果要进行公布……对群众评议不好、履行职责较差的党员，
要在支部大会上作出解释和说明，支部要责令其限期整改。
《延伸提升168机制意见》§三 and 《设岗定责通知》§5: 把党员履岗考评与党员年终民主评议相结合，
采取“一季一评、半年初评、年终总评”的办法……对作用发挥好、群众公认的党员可授予“党员示范（先锋）
岗”、“优秀共产党员”等荣誉称号；对年轻、有培养潜质的优秀党员优先列为后备干部进行重点培养；
对履行职责较差的党员，要在党员大会上做出解释和说明，党支部要责令其限期整改。

The seeds give no weights for the three sources and no deadline for rectification: the defaults
below are ours, and the services read Django settings that override them.
"""

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)

# --- cycles (《延伸提升168机制意见》§三, 《设岗定责通知》§5: 一季一评、半年初评、年终总评) -------

QUARTER = "quarter"
HALF_YEAR = "half_year"
YEAR = "year"
DEMOCRATIC = "democratic"
KINDS = (QUARTER, HALF_YEAR, YEAR, DEMOCRATIC)
KIND_LABELS = {
    QUARTER: "一季一评",
    HALF_YEAR: "半年初评",
    YEAR: "年终总评",
    DEMOCRATIC: "民主评议党员",
}
QUARTER_NAMES = "一二三四"


def period_error(kind: str, period: int) -> str | None:
    """A quarterly cycle names its quarter (1–4); the other kinds have one period a year."""
    if kind == QUARTER:
        if not 1 <= period <= 4:
            return "一季一评须选择第一至第四季度。"
        return None
    if period != 1:
        return "半年初评、年终总评和民主评议党员每年一次，不分季度。"
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_dates(kind: str, year: int, period: int = 1) -> tuple[date, date]:
    """The months a cycle evaluates: quarter q → its three months; 半年初评 → January–June;
    年终总评 and 民主评议党员 → the whole year."""
    if kind == QUARTER:
        first = (period - 1) * 3 + 1
        return date(year, first, 1), _month_end(year, first + 2)
    if kind == HALF_YEAR:
        return date(year, 1, 1), date(year, 6, 30)
    return date(year, 1, 1), date(year, 12, 31)


def period_label(kind: str, year: int, period: int = 1) -> str:
    if kind == QUARTER:
        return f"{year}年第{QUARTER_NAMES[period - 1]}季度"
    if kind == HALF_YEAR:
        return f"{year}年上半年"
    return f"{year}年度"


def default_title(kind: str, year: int, period: int = 1) -> str:
    """E.g. 2026年第一季度党员履岗考评（一季一评）, 2026年度民主评议党员."""
    if kind == DEMOCRATIC:
        return f"{year}年度民主评议党员"
    return f"{period_label(kind, year, period)}党员履岗考评（{KIND_LABELS[kind]}）"


# The self-reports and ratings are made from the first day of the period's last month until
# this many days after the period ends (a default for the form; the cycle stores its window).
WINDOW_DAYS_AFTER = 15


def default_window(
    kind: str, year: int, period: int = 1, days_after: int = WINDOW_DAYS_AFTER
) -> tuple[date, date]:
    start, end = period_dates(kind, year, period)
    return end.replace(day=1), end + timedelta(days=days_after)


# The window of self-reports and ratings belongs to its period: it cannot end before the
# period begins, nor begin more than a year after it ended, nor last longer than a year.
WINDOW_MAX_DAYS = 366
WINDOW_LATEST_START_DAYS = 366


def window_error(
    starts_on: date, ends_on: date, period_start: date, period_end: date
) -> str | None:
    if ends_on < starts_on:
        return "述岗自评和综合评定的截止日期不能早于开始日期。"
    if ends_on < period_start:
        return f"述岗评议截止日期不能早于考评期间的开始日期（{period_start:%Y-%m-%d}）。"
    if starts_on > period_end + timedelta(days=WINDOW_LATEST_START_DAYS):
        return f"述岗评议须在考评期间结束（{period_end:%Y-%m-%d}）后一年内开始。"
    if (ends_on - starts_on).days > WINDOW_MAX_DAYS:
        return "述岗评议期间不能超过一年。"
    return None


def window_open(starts_on: date, ends_on: date, today: date) -> bool:
    """Self-reports and ratings are accepted on both end days of the window."""
    return starts_on <= today <= ends_on


# --- population ---------------------------------------------------------------------------

ALL_MEMBERS = "all"
FULL_MEMBERS = "full"
STAFF_MEMBERS = "staff"
STUDENT_MEMBERS = "student"
POST_HOLDERS = "post_holders"
POPULATIONS = (ALL_MEMBERS, FULL_MEMBERS, STAFF_MEMBERS, STUDENT_MEMBERS, POST_HOLDERS)
MEMBER_STATUSES = ("probationary", "full")
# A post is held (在岗) once its holder is fixed: 定岗 and the steps after it (《设岗定责通知》§2).
HELD_POST_STATES = ("confirmed", "published", "performing", "evaluated")


def population_statuses(population: str) -> tuple[str, ...]:
    return ("full",) if population == FULL_MEMBERS else MEMBER_STATUSES


def population_category(population: str) -> str | None:
    return {STAFF_MEMBERS: "staff", STUDENT_MEMBERS: "student"}.get(population)


def in_population(population: str, party_status: str, category: str, holds_post: bool) -> bool:
    """Whether a person is evaluated in a cycle over this population."""
    if party_status not in population_statuses(population):
        return False
    wanted = population_category(population)
    if wanted is not None and category != wanted:
        return False
    return holds_post if population == POST_HOLDERS else True


# --- weights (《168模式实施意见》§五(二)5: 个人述岗自评、群众民意测评、党支部综合评定相结合) ------

# The seeds name the three sources but give no weights: ours, configurable.
DEFAULT_WEIGHTS: tuple[int, int, int] = (20, 30, 50)  # self, masses, branch
WEIGHTS_TOTAL = HUNDRED


def weights_error(
    weight_self: Decimal, weight_masses: Decimal, weight_branch: Decimal
) -> str | None:
    """The three weights are per cent and total exactly 100 (99.9 and 100.1 are refused); any
    one of them may be 0, but not all three — nor may a weight be negative."""
    weights = (Decimal(weight_self), Decimal(weight_masses), Decimal(weight_branch))
    if any(w < 0 for w in weights):
        return "权重不能为负数。"
    total = sum(weights, Decimal(0))
    if total != WEIGHTS_TOTAL:
        return (
            f"述岗自评、民意测评、综合评定三项权重合计须为100，现为{total.normalize():f}"
            "（考评规则：个人述岗自评、群众民意测评、党支部综合评定相结合，《168模式实施意见》§五(二)5）。"
        )
    return None


def score_error(score: Decimal) -> str | None:
    if not Decimal(0) <= Decimal(score) <= HUNDRED:
        return "分数须在0～100分之间。"
    return None


def mean(scores: Iterable[Decimal]) -> Decimal | None:
    """The branch score: the mean of its raters' scores, cut (never rounded up) to two decimals
    so that no member is lifted into a band the raters did not give; None with no rater."""
    values = [Decimal(s) for s in scores]
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO_PLACES, rounding=ROUND_DOWN)


def weighted_total(
    self_score: Decimal | None,
    masses_score: Decimal | None,
    branch_score: Decimal | None,
    weights: Sequence[Decimal],
) -> Decimal:
    """The exact weighted total, on which the grade is decided. A missing self-report counts 0
    (flagged 未述岗自评 by the caller); a component of weight 0 is ignored; any other missing
    component is an error of the caller (see the blockers below)."""
    total = Decimal(0)
    for score, weight in zip((self_score, masses_score, branch_score), weights, strict=True):
        weight = Decimal(weight)
        if weight == 0:
            continue
        if score is None:
            score = Decimal(0)
        total += Decimal(score) * weight
    return total / HUNDRED


def shown_total(total: Decimal) -> Decimal:
    """The total as stored and shown: cut to one decimal, never rounded up — 89.96 reads 89.9,
    so the figure shown always lies in the band of the grade (《168模式实施意见》§五(二)5:
    90分以上为优秀)."""
    return Decimal(total).quantize(ONE_PLACE, rounding=ROUND_DOWN)


def final_score(
    self_score: Decimal | None,
    masses_score: Decimal | None,
    branch_score: Decimal | None,
    weights: Sequence[Decimal],
) -> Decimal:
    """The stored total of the three sources (see weighted_total and shown_total)."""
    return shown_total(weighted_total(self_score, masses_score, branch_score, weights))


SELF_MISSING_LABEL = "未述岗自评"


def name_list(names: Sequence[str], shown: int = 10) -> str:
    """张三、李四 — or the first `shown` names and 等N名."""
    if len(names) <= shown:
        return "、".join(names)
    return f"{'、'.join(names[:shown])}等{len(names)}名"


def missing_ratings_message(names: Sequence[str], org_name: str = "", shown: int = 10) -> str:
    where = f"{org_name}：" if org_name else ""
    return f"{where}尚无党支部综合评定，不能计算总分：{name_list(names, shown)}。"


def masses_short(responses: int, minimum: int) -> bool:
    """Below the survey's minimum no result is shown, so no masses score exists."""
    return responses < minimum


def masses_short_message(org_name: str, responses: int, minimum: int) -> str:
    return (
        f"{org_name}党员民意测评已回收{responses}份，最少{minimum}份，"
        "未达到最少有效票数，不能计算民意测评得分。"
    )


# --- grades (《168模式实施意见》§五(二)5) ---------------------------------------------------------
# 90分以上为优秀，80分以上为称职，60-79分为基本称职，60分以下为不称职

EXCELLENT = "优秀"
COMPETENT = "称职"
BASIC = "基本称职"
INCOMPETENT = "不称职"
# (lowest score of the band, grade), best first; the last band starts at 0.
DEFAULT_BANDS: tuple[tuple[int, str], ...] = (
    (90, EXCELLENT),
    (80, COMPETENT),
    (60, BASIC),
    (0, INCOMPETENT),
)


def normalise_bands(raw: Iterable[Sequence[object]]) -> list[list[object]]:
    """Bands as stored on a cycle (JSON): [[threshold, grade], …] best first, ending with a
    band from 0 — the seed's “60分以下为不称职” is added when a configuration leaves it out."""
    bands = sorted(
        ((Decimal(str(item[0])), str(item[1])) for item in raw),
        key=lambda band: band[0],
        reverse=True,
    )
    if not bands or bands[-1][0] != 0:
        bands.append((Decimal(0), INCOMPETENT))
    return [[int(t) if t == t.to_integral_value() else float(t), label] for t, label in bands]


def bands_error(bands: Sequence[Sequence[object]]) -> str | None:
    labels = [str(b[1]) for b in bands]
    thresholds = [Decimal(str(b[0])) for b in bands]
    if len(bands) < 2:
        return "等次至少分两档。"
    if len(set(labels)) != len(labels) or any(not label for label in labels):
        return "各等次名称须不同且不能为空。"
    if thresholds != sorted(thresholds, reverse=True) or len(set(thresholds)) != len(thresholds):
        return "等次分数线须从高到低排列且互不相同。"
    if thresholds[-1] != 0 or thresholds[0] > HUNDRED:
        return "等次分数线须在0～100分之间，最低一档从0分起。"
    return None


def grade(score: Decimal, bands: Sequence[Sequence[object]] = DEFAULT_BANDS) -> str:
    """The band whose lowest score the total reaches: 90 → 优秀, 89.9 → 称职, 80 → 称职,
    79.9 → 基本称职, 60 → 基本称职, 59.9 → 不称职 (《168模式实施意见》§五(二)5)."""
    value = Decimal(score)
    for threshold, label in bands:
        if value >= Decimal(str(threshold)):
            return str(label)
    return str(bands[-1][1])


def top_grade(bands: Sequence[Sequence[object]] = DEFAULT_BANDS) -> str:
    return str(bands[0][1])


def lowest_grade(bands: Sequence[Sequence[object]] = DEFAULT_BANDS) -> str:
    return str(bands[-1][1])


# --- consequences ------------------------------------------------------------------------

# 《168模式实施意见》§五(二)5: 对群众评议不好……的党员 — “not good” read as a masses score below 60,
# the lower bound of 基本称职.
MASSES_POOR_BELOW = Decimal(60)
RECTIFY_DAYS = 90  # the seeds say 限期整改 without a period: ours, configurable


def needs_rectification(
    grade_label: str,
    masses_score: Decimal | None,
    bands: Sequence[Sequence[object]] = DEFAULT_BANDS,
    masses_below: Decimal = MASSES_POOR_BELOW,
) -> bool:
    """对群众评议不好、履行职责较差的党员，要在支部大会上作出解释和说明，支部要责令其限期整改
    (《168模式实施意见》§五(二)5; 《设岗定责通知》§5): graded 不称职, or a masses score below 60."""
    if grade_label == lowest_grade(bands):
        return True
    return masses_score is not None and Decimal(masses_score) < masses_below


def rectification_reason(
    grade_label: str,
    masses_score: Decimal | None,
    bands: Sequence[Sequence[object]] = DEFAULT_BANDS,
    masses_below: Decimal = MASSES_POOR_BELOW,
) -> str:
    reasons = []
    if grade_label == lowest_grade(bands):
        reasons.append(f"考评等次为{grade_label}（履行职责较差）")
    if masses_score is not None and Decimal(masses_score) < masses_below:
        reasons.append(
            f"民意测评得分{Decimal(masses_score).normalize():f}分，低于{masses_below}分（群众评议不好）"
        )
    return "；".join(reasons)


def after_computation_error(
    value: date, computed_on: date | None, today: date, what: str
) -> str | None:
    """An explanation at the general meeting or an honour follows the computed result and is
    not in the future (《168模式实施意见》§五(二)5: 考核结果要进行公布……要在支部大会上作出解释和说
    明)."""
    if value > today:
        return f"{what}不能晚于今天。"
    if computed_on is not None and value < computed_on:
        return f"{what}不能早于考评结果的计算日期（{computed_on:%Y-%m-%d}）。"
    return None


def rectify_deadline(computed_on: date, days: int = RECTIFY_DAYS) -> date:
    return computed_on + timedelta(days=days)


def rectification_overdue(state: str, deadline: date, today: date) -> bool:
    return state != "done" and today > deadline


PIONEER_POST = "pioneer_post"
EXCELLENT_MEMBER = "excellent_member"
RESERVE_CADRE = "reserve_cadre"


# 年终结合党员目标管理责任制的考核和民主评议党员工作进行考评 (《168模式实施意见》§五(二)5): the
# year's 评岗 takes the year-end or democratic appraisal; the others are steps on the way.
POST_EVALUATING_KINDS = (YEAR, DEMOCRATIC)


def evaluates_posts(kind: str) -> bool:
    return kind in POST_EVALUATING_KINDS


def may_receive_honour(
    grade_label: str,
    bands: Sequence[Sequence[object]] = DEFAULT_BANDS,
    masses_score: Decimal | None = None,
    masses_below: Decimal = MASSES_POOR_BELOW,
) -> bool:
    """对作用发挥好、群众公认的党员可授予“党员示范（先锋）岗”“优秀共产党员”等荣誉称号
    (《延伸提升168机制意见》§三): only a member graded in the top band (优秀) — and recognised by
    the masses: not one whose masses score is poor enough to call for rectification (possible with a
    small masses weight)."""
    if grade_label != top_grade(bands):
        return False
    return masses_score is None or Decimal(masses_score) >= masses_below


def honour_refused_message(
    grade_label: str,
    bands: Sequence[Sequence[object]] = DEFAULT_BANDS,
    masses_score: Decimal | None = None,
    masses_below: Decimal = MASSES_POOR_BELOW,
) -> str:
    if grade_label == top_grade(bands) and masses_score is not None:
        return (
            f"该党员民意测评得分{Decimal(masses_score).normalize():f}分，低于{masses_below}分，"
            "不是群众公认的党员，不能授予荣誉称号（《延伸提升168机制意见》§三：对作用发挥好、群众公认的党员"
            "可授予……荣誉称号）。"
        )
    shown = grade_label or "未评定"
    return (
        f"只有考评等次为{top_grade(bands)}的党员才能授予荣誉称号，该党员为{shown}"
        "（《延伸提升168机制意见》§三：对作用发挥好、群众公认的党员可授予……荣誉称号）。"
    )


def grade_counts(
    grades: Iterable[str], bands: Sequence[Sequence[object]] = DEFAULT_BANDS
) -> dict[str, int]:
    """How many of each grade, in the order of the bands (every band present)."""
    counts = {str(b[1]): 0 for b in bands}
    for label in grades:
        if label in counts:
            counts[label] += 1
    return counts


def bands_text(bands: Sequence[Sequence[object]] = DEFAULT_BANDS) -> str:
    """E.g. 90分以上为优秀，80分以上为称职，60分以上为基本称职，60分以下为不称职."""
    parts = [f"{b[0]}分以上为{b[1]}" for b in bands[:-1]]
    if len(bands) >= 2:
        parts.append(f"{bands[-2][0]}分以下为{bands[-1][1]}")
    return "，".join(parts)
