"""Rules of branch classification grading (分类定级) and rectification (整改), as pure functions
(no database, no Django).

《组织建设年实施方案》, 附件1《关于在创先争优活动中深入开展基层组织建设年活动实施方案》, 二
工作方法步骤:
(一) 3月29日前各党总支研究制定本单位实施方案，各党支部研究制定本支部活动开展计划;
(二) 调查摸底、分类定级: 重点检查七个方面; 按照分类定级评分参考标准(附件2、3); 结合调查摸底、
     年度考核、群众评议、支部自评情况，党总支对党支部按先进、较好、一般和后进进行分类定级;
     3月30日前完成;
(三) 4月—5月 健全组织、理顺关系;
(四) 对标整改、晋位升级: 对照“五个好”标准制定整改提高方案，召开党员大会进行讨论; 方案5月底前完成;
     除长期性项目外，有条件完成的，必须在12月底前全部完成;
(五) 6月—10月 再次开展自查自评 … 再次评定等级;
(六) 11月—12月 考核总结、健全制度.

Institutions differ in their calendars: the services read Django settings (BRANCHES_TIMELINE)
and pass them here; the seed's values are the defaults below. The seed gives no score bands for
the grades (annexes 2 and 3 are not in its text): the defaults are this system's proposal and
each standard's bands are editable.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

SEED = "《组织建设年实施方案》附件1"

# --- grades (《组织建设年实施方案》附件1 二(二)) ------------------------------------------------

ADVANCED = "advanced"
GOOD = "good"
AVERAGE = "average"
LAGGING = "lagging"
GRADES = (ADVANCED, GOOD, AVERAGE, LAGGING)  # best first
GRADE_LABELS = {ADVANCED: "先进", GOOD: "较好", AVERAGE: "一般", LAGGING: "后进"}
LABEL_GRADES = {label: grade for grade, label in GRADE_LABELS.items()}
GRADE_RANK = {LAGGING: 0, AVERAGE: 1, GOOD: 2, ADVANCED: 3}

# Score bands: [threshold, label] best first; a total below the last threshold is 后进.
# The seed names the four grades but gives no numbers: these defaults are editable per standard.
DEFAULT_BANDS: tuple[tuple[int, str], ...] = ((90, "先进"), (75, "较好"), (60, "一般"))
BAND_LABELS = ("先进", "较好", "一般")
FULL_MARKS = Decimal(100)

Band = tuple[Decimal, str]


def _decimal(value: object) -> Decimal:
    """A finite number: NaN and Infinity (which JSON strings can carry) are not scores."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float | str):
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError("not a number") from exc
    else:
        raise ValueError("not a number")
    if not number.is_finite():
        raise ValueError("not a number")
    return number


def parse_bands(raw: object) -> list[Band]:
    """Bands from their JSON form [[90, "先进"], [75, "较好"], [60, "一般"]]; ValueError (Chinese)
    when they are not the three labels best first with strictly falling thresholds in 0–100."""
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise ValueError("等次分数线应为[[分数, 等次], …]的列表。")
    bands: list[Band] = []
    for entry in raw:
        if not isinstance(entry, Sequence) or isinstance(entry, str) or len(entry) != 2:
            raise ValueError("每条等次分数线应为[分数, 等次]。")
        try:
            threshold = _decimal(entry[0])
        except ValueError as exc:
            raise ValueError(f"分数线“{entry[0]}”不是数字。") from exc
        bands.append((threshold, str(entry[1])))
    if tuple(label for _t, label in bands) != BAND_LABELS:
        raise ValueError("等次分数线应依次为先进、较好、一般三档，低于“一般”分数线的为后进。")
    thresholds = [t for t, _label in bands]
    if any(t <= 0 or t > FULL_MARKS for t in thresholds):
        raise ValueError("分数线应在0～100分之间。")
    if any(a <= b for a, b in zip(thresholds, thresholds[1:], strict=False)):
        raise ValueError("分数线应从先进到一般依次降低。")
    return bands


def bands_error(raw: object) -> str | None:
    try:
        parse_bands(raw)
    except ValueError as exc:
        return str(exc)
    return None


def suggested_grade(total: Decimal | int | float, bands: object = DEFAULT_BANDS) -> str:
    """The grade a total suggests under the standard's bands (at or above a threshold)."""
    score = _decimal(total)
    for threshold, label in parse_bands(bands):
        if score >= threshold:
            return LABEL_GRADES[label]
    return LAGGING


def bands_text(bands: object = DEFAULT_BANDS) -> str:
    """“90分以上为先进，75～89.9分为较好，60～74.9分为一般，60分以下为后进”."""
    parsed = parse_bands(bands)
    parts = []
    upper: Decimal | None = None
    for threshold, label in parsed:
        if upper is None:
            parts.append(f"{_fmt(threshold)}分以上为{label}")
        else:
            parts.append(f"{_fmt(threshold)}～{_fmt(upper - Decimal('0.1'))}分为{label}")
        upper = threshold
    parts.append(f"{_fmt(parsed[-1][0])}分以下为后进")
    return "，".join(parts)


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


# --- scores ----------------------------------------------------------------------------------


def score_error(score: Decimal, points: Decimal) -> str | None:
    """A criterion's score lies between 0 and its points."""
    if score < 0 or score > points:
        return f"得分应在0～{_fmt(points)}分之间。"
    return None


def total_score(scores: Iterable[Decimal | None]) -> Decimal:
    """The total of the criterion scores given so far (unscored criteria count nothing)."""
    return sum((s for s in scores if s is not None), Decimal(0))


def points_total_error(points: Iterable[Decimal], full: Decimal = FULL_MARKS) -> str | None:
    """The points of a standard's criteria add up to 100."""
    total = sum(points, Decimal(0))
    if total != full:
        return f"各评分项目分值合计应为{_fmt(full)}分，现为{_fmt(total)}分。"
    return None


def unscored_error(unscored: int) -> str | None:
    if unscored:
        return f"尚有{unscored}个评分项目未评分，请先完成调查摸底评分。"
    return None


# --- the decision of the level above (《组织建设年实施方案》附件1 二(二)) ----------------------

GRADE_BY_LEVEL_ABOVE = (
    "党总支对党支部按先进、较好、一般和后进进行分类定级（《组织建设年实施方案》附件1 二(二)）："
    "党支部不能为本支部定级，由上级党组织（党总支或党委组织部）决定等次。"
)
REASON_REQUIRED = "定级等次与按评分参考标准建议的等次不同，须填写理由（如年度考核、群众评议情况）。"


def decision_error(grade: str, suggested: str, reason: str) -> str | None:
    """The level above may depart from the suggestion only with a reason."""
    if grade not in GRADES:
        return "请选择先进、较好、一般或后进。"
    if suggested and grade != suggested and not reason.strip():
        return REASON_REQUIRED
    return None


# --- movement between two grades: 晋位升级 (《组织建设年实施方案》附件1 二(四)、(五)) ------------

UP = "up"
SAME = "same"
DOWN = "down"
MOVEMENT_LABELS = {UP: "晋位升级", SAME: "保持", DOWN: "降级"}
MOVEMENT_ARROWS = {UP: "↑", SAME: "→", DOWN: "↓"}


def movement(before: str | None, after: str | None) -> str | None:
    """up / same / down from one grade to the next; None when either is missing."""
    if not before or not after or before not in GRADE_RANK or after not in GRADE_RANK:
        return None
    if GRADE_RANK[after] > GRADE_RANK[before]:
        return UP
    if GRADE_RANK[after] < GRADE_RANK[before]:
        return DOWN
    return SAME


# --- survey facts: 支部班子是否健全 -----------------------------------------------------------

# 《中国共产党支部工作条例（试行）》第八条: 正式党员7人以上的党支部设立党支部委员会，由3至5人组成;
# 不足7人的不设委员会，设书记1名. (《组织建设年实施方案》 checks 支部班子是否健全 without numbers.)
COMMITTEE_THRESHOLD = 7
COMMITTEE_MIN_SIZE = 3


def committee_complete(
    members: int, titles: Collection[str], threshold: int = COMMITTEE_THRESHOLD
) -> bool:
    """A branch of `threshold` members or more has a committee of at least 3 with a secretary;
    a smaller branch has a secretary."""
    if "secretary" not in titles:
        return False
    if members >= threshold:
        return len(titles) >= COMMITTEE_MIN_SIZE
    return True


# --- the year's timeline (《组织建设年实施方案》附件1 二) --------------------------------------

TIMELINE_KEYS = (
    "plans_due",
    "grading_due",
    "restructure_from",
    "restructure_to",
    "rectification_plans_due",
    "regrading_from",
    "regrading_to",
    "items_due",
    "review_from",
    "review_to",
)
DEFAULT_TIMELINE: dict[str, tuple[int, int]] = {
    "plans_due": (3, 29),  # 二(一) 3月29日前
    "grading_due": (3, 30),  # 二(二) 3月30日前完成
    "restructure_from": (4, 1),  # 二(三) 4月—5月
    "restructure_to": (5, 31),
    "rectification_plans_due": (5, 31),  # 二(四) 整改提高方案在5月底前完成
    "regrading_from": (6, 1),  # 二(五) 6月—10月 再次评定等级
    "regrading_to": (10, 31),
    "items_due": (12, 31),  # 二(四) 除长期性项目外 … 必须在12月底前全部完成
    "review_from": (11, 1),  # 二(六) 11月—12月 考核总结
    "review_to": (12, 31),
}
TIMELINE_LABELS = {
    "plans_due": "实施方案、活动计划截止",
    "grading_due": "分类定级截止",
    "restructure_from": "健全组织开始",
    "restructure_to": "健全组织结束",
    "rectification_plans_due": "整改提高方案截止",
    "regrading_from": "再次评定等级开始",
    "regrading_to": "再次评定等级截止",
    "items_due": "整改事项完成截止",
    "review_from": "考核总结开始",
    "review_to": "考核总结结束",
}


def _month_day(key: str, value: object) -> tuple[int, int]:
    if isinstance(value, str):
        parts = value.split("-")
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            value = (int(parts[0]), int(parts[1]))
    if (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        month, day = int(value[0]), int(value[1])
        try:
            date(2024, month, day)  # a leap year accepts 2-29
        except ValueError:
            pass
        else:
            return (month, day)
    raise ValueError(f"BRANCHES_TIMELINE[{key!r}]: expected (month, day) or 'MM-DD', got {value!r}")


def timeline_month_days(
    overrides: Mapping[str, object] | None = None,
) -> dict[str, tuple[int, int]]:
    """The seed's month-days with an institution's overrides ({key: (month, day) or "MM-DD"}).
    A bad entry raises ValueError."""
    table = dict(DEFAULT_TIMELINE)
    for key, value in (overrides or {}).items():
        if key not in DEFAULT_TIMELINE:
            raise ValueError(f"BRANCHES_TIMELINE: unknown key {key!r}")
        table[key] = _month_day(key, value)
    return table


def _on(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # 2-29 in a common year
        return date(year, month, day - 1)


def timeline_dates(year: int, overrides: Mapping[str, object] | None = None) -> dict[str, date]:
    return {k: _on(year, m, d) for k, (m, d) in timeline_month_days(overrides).items()}


FIRST_YEAR = 2000
LAST_YEAR = 2100


def year_error(year: int) -> str | None:
    """A grading year this system can hold (its dates are computed from the year)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"年度应在{FIRST_YEAR}～{LAST_YEAR}年之间。"
    return None


def timeline_error(dates: Mapping[str, date], year: int) -> tuple[str, str] | None:
    """(field, message) when a year's dates are outside the year or out of order."""
    for key in TIMELINE_KEYS:
        if dates[key].year != year:
            return (key, f"日期应在{year}年内。")
    pairs = (
        ("restructure_from", "restructure_to"),
        ("regrading_from", "regrading_to"),
        ("review_from", "review_to"),
        ("grading_due", "rectification_plans_due"),
        ("rectification_plans_due", "items_due"),
    )
    for first, second in pairs:
        if dates[first] > dates[second]:
            return (
                second,
                f"“{TIMELINE_LABELS[second]}”不能早于“{TIMELINE_LABELS[first]}”。",
            )
    if dates["regrading_from"] <= dates["grading_due"]:
        return ("regrading_from", "再次评定等级应在分类定级完成之后开始。")
    return None


@dataclass(frozen=True)
class Phase:
    key: str
    label: str
    source: str
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def status(self, today: date) -> str:
        if today > self.end:
            return "done"
        if today < self.start:
            return "upcoming"
        return "current"


PHASE_STATUS_LABELS = {"done": "已结束", "current": "进行中", "upcoming": "未开始"}


def phases(dates: Mapping[str, date]) -> list[Phase]:
    """The six steps of 《组织建设年实施方案》附件1 二, each with its start and end in the year."""
    jan1 = date(dates["grading_due"].year, 1, 1)
    return [
        Phase("mobilise", "制定方案、动员部署", f"{SEED} 二(一)", jan1, dates["plans_due"]),
        Phase("survey", "调查摸底、分类定级", f"{SEED} 二(二)", jan1, dates["grading_due"]),
        Phase(
            "restructure",
            "健全组织、理顺关系",
            f"{SEED} 二(三)",
            dates["restructure_from"],
            dates["restructure_to"],
        ),
        Phase(
            "rectify",
            "对标整改、晋位升级",
            f"{SEED} 二(四)",
            dates["grading_due"] + timedelta(days=1),
            dates["items_due"],
        ),
        Phase(
            "regrade",
            "学习先进、创先争优（再次评定等级）",
            f"{SEED} 二(五)",
            dates["regrading_from"],
            dates["regrading_to"],
        ),
        Phase(
            "review",
            "考核总结、健全制度",
            f"{SEED} 二(六)",
            dates["review_from"],
            dates["review_to"],
        ),
    ]


def phases_on(day: date, timeline: Sequence[Phase]) -> list[Phase]:
    """The phases a day falls in (they overlap: rectification runs through the year)."""
    return [p for p in timeline if p.contains(day)]


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due: date
    source: str


def deadlines(dates: Mapping[str, date]) -> list[Deadline]:
    return [
        Deadline("plans_due", "各党总支实施方案、各党支部活动计划", dates["plans_due"], "二(一)"),
        Deadline("grading_due", "完成调查摸底、分类定级", dates["grading_due"], "二(二)"),
        Deadline(
            "rectification_plans_due",
            "整改提高方案经党员大会讨论后完成",
            dates["rectification_plans_due"],
            "二(四)",
        ),
        Deadline("regrading_to", "再次评定等级", dates["regrading_to"], "二(五)"),
        Deadline("items_due", "整改事项全部完成（长期性项目除外）", dates["items_due"], "二(四)"),
    ]


# --- deadline checks --------------------------------------------------------------------------


def is_late(done_on: date | None, due: date, today: date) -> bool:
    """Done after the due date, or still not done after it."""
    if done_on is not None:
        return done_on > due
    return today > due


def grading_late(graded_on: date | None, grading_due: date, today: date) -> bool:
    return is_late(graded_on, grading_due, today)


def plan_late(submitted_on: date | None, plans_due: date, today: date) -> bool:
    return is_late(submitted_on, plans_due, today)


ITEM_AFTER_YEAR_END = (
    "除长期性项目外，整改事项必须在12月底前全部完成（《组织建设年实施方案》附件1 二(四)）："
    "完成时限晚于{due}的，请勾选“长期性项目”。"
)


def item_deadline_error(deadline: date, items_due: date, long_term: bool) -> str | None:
    """A deadline lies in the plan's year (from 1 January) and, unless the item is long-term,
    not after items_due (12月底)."""
    if deadline.year < items_due.year:
        return f"完成时限不能早于{items_due.year}年1月1日（整改提高方案的年度）。"
    if deadline > items_due and not long_term:
        return ITEM_AFTER_YEAR_END.format(due=items_due.isoformat())
    return None


def day_in_plan_error(day: date, year: int, today: date) -> str | None:
    """A date a plan records (its general-meeting discussion, an item's completion) lies between
    1 January of the plan's year and today: the plan follows the grading of that year."""
    if day > today:
        return "日期不能晚于今天。"
    if day.year < year:
        return f"日期不能早于{year}年1月1日（整改提高方案的年度）。"
    return None


def item_overdue(done: bool, deadline: date, today: date) -> bool:
    """An open item past its deadline."""
    return not done and today > deadline


OPEN = "open"
OVERDUE = "overdue"
DONE = "done"
VERIFIED = "verified"
ITEM_STATUS_LABELS = {
    OPEN: "整改中",
    OVERDUE: "逾期未完成",
    DONE: "已完成待销号",
    VERIFIED: "已销号",
}


def item_status(done: bool, verified: bool, deadline: date, today: date) -> str:
    if done:
        return VERIFIED if verified else DONE
    return OVERDUE if item_overdue(done, deadline, today) else OPEN


def plan_complete(items: Iterable[tuple[bool, bool]]) -> bool:
    """A plan is complete when it has items and each is done or a long-term project."""
    rows = list(items)
    return bool(rows) and all(done or long_term for done, long_term in rows)


# --- plans: discussion at a general meeting (《组织建设年实施方案》附件1 二(四)) ------------------

DRAFT = "draft"
DISCUSSED = "discussed"
SUBMITTED = "submitted"
PLAN_DONE = "done"
PLAN_STATE_LABELS = {
    DRAFT: "草拟中",
    DISCUSSED: "已经党员大会讨论",
    SUBMITTED: "已提交",
    PLAN_DONE: "已完成",
}

SUBMIT_NEEDS_DISCUSSION = (
    "整改提高方案须先召开党员大会进行讨论，再提交"
    "（《组织建设年实施方案》附件1 二(四)：制定整改提高方案，"
    "召开党员大会进行讨论）。"
)
MEETING_NOT_GENERAL = (
    "讨论整改提高方案的应为本支部的党员大会（《组织建设年实施方案》附件1 二(四)）。"
)
PLAN_NEEDS_GOALS = (
    "请先写明整改提高的目标（《组织建设年实施方案》附件1 二(四)：明确目标、任务、措施和完成时限）。"
)
PLAN_NEEDS_ITEMS = "请先列出整改事项（存在问题、整改措施、责任人、完成时限），再提交党员大会讨论。"


def plan_discuss_error(goals: str, items: int) -> tuple[str, str] | None:
    if not goals.strip():
        return ("goals", PLAN_NEEDS_GOALS)
    if items < 1:
        return ("items", PLAN_NEEDS_ITEMS)
    return None


def plan_submit_error(state: str) -> str | None:
    if state == DRAFT:
        return SUBMIT_NEEDS_DISCUSSION
    if state != DISCUSSED:
        return f"整改提高方案当前为“{PLAN_STATE_LABELS.get(state, state)}”，不能提交。"
    return None


# --- the regrade round (《组织建设年实施方案》附件1 二(五)) -------------------------------------

INITIAL = "initial"
REGRADE = "regrade"
ROUND_LABELS = {INITIAL: "初次定级", REGRADE: "复评定级"}


def regrade_error(today: date, regrading_from: date, initial_graded: bool) -> str | None:
    """The regrade round opens on regrading_from (6月), and only after the initial grading."""
    if today < regrading_from:
        return (
            f"再次评定等级从{regrading_from.month}月{regrading_from.day}日开始"
            "（《组织建设年实施方案》附件1 二(五)："
            "6月—10月，以党支部为单位再次开展自查自评，再次评定等级）。"
        )
    if not initial_graded:
        return "该支部尚未完成初次定级，不能复评定级。"
    return None


def regrade_window_closing(today: date, regrading_to: date, horizon: date) -> bool:
    """The regrade window ends on or before the horizon (and the year is not over)."""
    return regrading_to <= horizon and today.year == regrading_to.year
