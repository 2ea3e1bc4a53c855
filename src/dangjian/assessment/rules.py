"""Rules of the branch target-management assessment, as pure functions (no database, no Django).

Source: 《基层组织建设实施意见》附件《党支部工作目标管理考核办法（试行）》 and its 考核评分表.
- 二、考核等级: 90分及以上为优秀，75—89分的为良好，60—74分的为合格，60分以下的为不合格.
- 四(二) 考核结果的反馈: 支部对考核结果如有异议，可在接到通知之日起一周内向考核领导小组申请复核；
  考核领导小组接到复核申请后10日之内提出复核意见.
- 五、考核时间: 考核年度的12月中旬前完成.
- 六(二): 支部党员因违纪违法而受到处分的，不论得分高低，均为不合格支部.
- 七(二)(三): 考核结果作为划拨经费的主要依据、党总支书记年度工作考核等级的重要依据.
- 《基层组织建设实施意见》§四(五)1: 教职工党员每年不少于100元、学生党员每人每年不少于50元的标准配备
  支部活动经费.
- 评分表 17–20 (附加分): 国家级3分/项，省部级2分/项，区级1分/项，校级0.5分/项; 推广价值每项1分;
  论文1分、获奖另加1分、校级及以上党建课题立项2分.

Institutions differ: the services read Django settings and pass them in here; the seed's values
are the defaults below.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

Number = Decimal | int | float

# --- grades (《支部考核办法》二) ---------------------------------------------------------------

EXCELLENT = "优秀"
GOOD = "良好"
PASS = "合格"
FAIL = "不合格"
GRADES = (EXCELLENT, GOOD, PASS, FAIL)
# Bands as stored on a template: [threshold, grade] from the highest; below the last → FAIL.
DEFAULT_BANDS: tuple[tuple[int, str], ...] = ((90, EXCELLENT), (75, GOOD), (60, PASS))
BELOW_BANDS = FAIL

# 《支部考核办法》六(二)
VETO_RULE = "支部党员因违纪违法而受到处分的，不论得分高低，均为不合格支部。"
VETO_SOURCE = "（党支部工作目标管理《支部考核办法》§六(二)）"

BASE_POINTS = Decimal(100)
SCORE_STEP = Decimal("0.5")


def dec(value: Number | str) -> Decimal:
    """A score as a Decimal (floats through their shortest text: 89.9 stays 89.9)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def one_place(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def bands_error(
    bands: Sequence[Sequence[object]],
    ceiling: Number | None = None,
    below: str = BELOW_BANDS,
) -> str | None:
    """Bands are [threshold, grade] pairs with strictly falling thresholds between 0 and the
    sheet's full base marks (`ceiling`, 100 on the seed's sheet), each grade named once; the
    grade below the last threshold (不合格) is implied."""
    if not bands:
        return "至少设置一个等次分数线。"
    previous: Decimal | None = None
    names: set[str] = set()
    for band in bands:
        if len(band) != 2 or not isinstance(band[1], str) or not band[1].strip():
            return "每个等次须为“分数线, 等次名称”。"
        raw, name = band[0], band[1].strip()
        if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
            return "分数线须为数字。"
        try:
            threshold = dec(raw)
        except ArithmeticError:
            return "分数线须为数字。"
        if not threshold.is_finite() or threshold < 0:
            return "分数线须为不小于0的数字。"
        if ceiling is not None and threshold > dec(ceiling):
            return f"分数线不能高于评分表基本分满分{fmt(ceiling)}分。"
        if previous is not None and threshold >= previous:
            return "等次分数线须从高到低排列，且不能重复。"
        if name == below:
            return f"低于最后一条分数线的为“{below}”，不必列出。"
        if name in names:
            return f"等次“{name}”重复。"
        names.add(name)
        previous = threshold
    return None


def grade(
    total: Number,
    bands: Sequence[Sequence[object]] = DEFAULT_BANDS,
    vetoed: bool = False,
    below: str = BELOW_BANDS,
) -> str:
    """The grade of a total (《支部考核办法》二): 89.9 → 良好, 90 → 优秀, 74.5 → 合格, 59.9 →
    不合格. A vetoed branch is 不合格 whatever its score (附件 六(二))."""
    if vetoed:
        return FAIL
    value = dec(total)
    for threshold, label in bands:
        if value >= dec(threshold):  # type: ignore[arg-type]
            return str(label)
    return below


def grade_labels(
    bands: Sequence[Sequence[object]] = DEFAULT_BANDS, below: str = BELOW_BANDS
) -> list[str]:
    """The grades of a template from the best to the worst."""
    return [str(label) for _t, label in bands] + [below]


def band_ranges(
    bands: Sequence[Sequence[object]] = DEFAULT_BANDS, below: str = BELOW_BANDS
) -> list[tuple[str, str]]:
    """(grade, its range) from the best: (优秀, 90分及以上), (良好, 75—89分) …
    (不合格, 60分以下)."""
    result: list[tuple[str, str]] = []
    upper: Decimal | None = None
    for threshold, label in bands:
        low = dec(threshold)  # type: ignore[arg-type]
        if upper is None:
            result.append((str(label), f"{fmt(low)}分及以上"))
        else:
            result.append((str(label), f"{fmt(low)}—{fmt(upper - 1)}分"))
        upper = low
    if upper is not None:
        result.append((below, f"{fmt(upper)}分以下"))
    return result


def band_text(bands: Sequence[Sequence[object]] = DEFAULT_BANDS, below: str = BELOW_BANDS) -> str:
    """“90分及以上为优秀，75—89分为良好，60—74分为合格，60分以下为不合格”."""
    return "，".join(f"{span}为{label}" for label, span in band_ranges(bands, below))


def fmt(value: Number | None) -> str:
    """A score without trailing zeros: 5, 4.5, 0.5 (empty for None)."""
    if value is None:
        return ""
    return format(dec(value).normalize(), "f")


# --- item scores -------------------------------------------------------------------------------


def score_error(score: Number, points: Number, number: int | None = None) -> str | None:
    """A score of a base item: between 0 and the item's points, in steps of 0.5."""
    value = dec(score)
    limit = dec(points)
    where = f"（评分表第{number}项）" if number is not None else ""
    if value < 0 or value > limit:
        return f"得分应在0～{fmt(limit)}分之间{where}。"
    if value % SCORE_STEP != 0:
        return f"得分以0.5分为单位{where}。"
    return None


def satisfaction_points(rate_percent: Number, points: Number = 10) -> Decimal:
    """Item 16 (根据测评结果给分): the item's points in proportion to the satisfaction rate,
    to the nearest 0.5 — a reference for the group, which decides the score."""
    raw = dec(points) * dec(rate_percent) / 100 / SCORE_STEP
    return raw.quantize(Decimal(1), rounding=ROUND_HALF_UP) * SCORE_STEP


def elements_total(elements: Iterable[Mapping[str, object]]) -> Decimal:
    """The points of an item's scoring elements (测评要素) added up."""
    total = Decimal(0)
    for element in elements:
        points = element.get("points")
        if isinstance(points, int | float | Decimal | str) and not isinstance(points, bool):
            total += dec(points)
    return total


# --- bonus points (评分表 17–20) ---------------------------------------------------------------

# A bonus item's rule is stored as [[option, points per 项], …] — a list, because PostgreSQL's
# jsonb does not keep the order of an object's keys (国家级 before 省部级 …).


def bonus_options(rule: object) -> dict[str, Decimal]:
    """The options of a bonus rule in their order: option → points per 项."""
    pairs: Iterable[object]
    if isinstance(rule, Mapping):
        pairs = list(rule.items())
    elif isinstance(rule, list | tuple):
        pairs = rule
    else:
        return {}
    result: dict[str, Decimal] = {}
    for pair in pairs:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        key, points = pair
        if isinstance(points, bool) or not isinstance(points, int | float | Decimal | str):
            continue
        result[str(key)] = dec(points)
    return result


MAX_BONUS_PER_ITEM = Decimal(10)


def bonus_rule_error(rule: object) -> str | None:
    """Every option named once with positive points per 项, one decimal at most, no more than
    10 (the seed's highest is 国家级3分/项)."""
    if not isinstance(rule, list | tuple) or not rule:
        return "附加分项须设置类别及每项分值。"
    names = []
    for pair in rule:
        if not isinstance(pair, list | tuple) or len(pair) != 2 or not str(pair[0]).strip():
            return "每个类别须为“类别, 每项分值”。"
        points = pair[1]
        if isinstance(points, bool) or not isinstance(points, int | float | Decimal):
            return f"“{pair[0]}”的每项分值须为正数。"
        value = dec(points)
        if not value.is_finite() or value <= 0 or value > MAX_BONUS_PER_ITEM:
            return f"“{pair[0]}”的每项分值须大于0、不超过{fmt(MAX_BONUS_PER_ITEM)}分。"
        if value != one_place(value):
            return f"“{pair[0]}”的每项分值最多保留一位小数。"
        names.append(str(pair[0]).strip())
    if len(set(names)) != len(names):
        return "附加分类别不能重复。"
    return None


def bonus_points(per_item: Number, count: int) -> Decimal:
    """A claim's points: the level's points per 项 × the number of 项 (评分表 17–20)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    return dec(per_item) * count


def claim_error(rule: Mapping[str, object], option: str, count: int) -> str | None:
    """A bonus claim names an option of the item's rule and at least one 项."""
    if option not in rule:
        return f"请选择附加分类别：{'、'.join(rule)}。"
    if count < 1:
        return "项数至少为1。"
    return None


PAPER = "公开发表论文"
PAPER_AWARD = "论文获奖"


def paper_award_error(papers: int, awards: int) -> str | None:
    """评分表第20项: 发表论文加1分，获奖另加1分 — an award adds to a paper claimed with it."""
    if awards > papers:
        return "论文获奖另加1分，须对应本支部已申报的公开发表论文（评分表第20项）。"
    return None


def bonus_total(points: Iterable[Number], cap: Number | None = None) -> tuple[Decimal, Decimal]:
    """(raw, counted) bonus points: the seed sets no cap (评分表 党支部工作特色（附加分）); a
    template may set one, and the points above it do not count."""
    raw = sum((dec(p) for p in points), Decimal(0))
    if cap is None:
        return raw, raw
    return raw, min(raw, dec(cap))


def total(base_scores: Iterable[Number | None], bonus: Number) -> Decimal:
    """The total: the sum of the base items (100 points) plus the counted bonus points."""
    return sum((dec(s) for s in base_scores if s is not None), Decimal(0)) + dec(bonus)


# --- appeal (《支部考核办法》四(二)) --------------------------------------------------------------

APPEAL_DAYS = 7
ANSWER_DAYS = 10
APPEAL_RULE = (
    "支部对考核结果如有异议，可在接到通知之日起一周内向考核领导小组申请复核"
    "（党支部工作目标管理《支部考核办法》§四(二)）"
)
ANSWER_RULE = (
    "考核领导小组接到复核申请后10日之内提出复核意见，以书面形式通知申请复核单位"
    "（党支部工作目标管理《支部考核办法》§四(二)）"
)


# 《支部考核办法》四(一)(二): the group's result goes to the college committee for approval, then
# the group tells the branch in writing. Before that the branch sees only its own self-scores.
NOTICE_RULE = (
    "考核结果报学院党委审定后，由考核领导小组以书面的形式通知被考核支部"
    "（党支部工作目标管理《支部考核办法》§四(一)(二)）"
)


def group_result_visible(*, notified: bool, branch_side: bool, department: bool) -> bool:
    """May a viewer see what the assessment group decided (its item scores and notes, bonus
    acceptance, totals, grade, veto, funding)? Always once the branch is notified in writing;
    before that, the group and the organisation department do, the branch's own officers do not
    (《支部考核办法》四(一)(二))."""
    return notified or department or not branch_side


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def appeal_deadline(notice_on: date, days: int = APPEAL_DAYS) -> date:
    """The last day to ask for a review: the day of the notice + one week (day 7 allowed)."""
    return notice_on + timedelta(days=days)


def appeal_error(notice_on: date, filed_on: date, days: int = APPEAL_DAYS) -> str | None:
    if filed_on < notice_on:
        return "尚未收到书面考核结果通知，不能申请复核。"
    if filed_on > appeal_deadline(notice_on, days):
        return f"已超过复核申请期限（{cn_date(appeal_deadline(notice_on, days))}）：{APPEAL_RULE}。"
    return None


def answer_due(filed_on: date, days: int = ANSWER_DAYS) -> date:
    """The day by which the group answers an appeal: received + 10 days."""
    return filed_on + timedelta(days=days)


def answer_late(filed_on: date, answered_on: date, days: int = ANSWER_DAYS) -> bool:
    return answered_on > answer_due(filed_on, days)


def result_fixed(appeal_due: date | None, today: date) -> bool:
    """结果已确定 for a notified branch that has not appealed: the last day to appeal has passed
    (the branch has “一周内” from the notice; the day after, the result stands)."""
    return appeal_due is not None and today > appeal_due


# --- schedule (《支部考核办法》五) --------------------------------------------------------------


def finish_by(year: int) -> date:
    """考核年度的12月中旬前完成: 15 December of the year assessed."""
    return date(year, 12, 15)


# --- funding (《基层组织建设实施意见》§四(五)1, 《支部考核办法》§七(二)) --------------------------

FUND_PER_STAFF = Decimal(100)
FUND_PER_STUDENT = Decimal(50)
FUND_FACTORS: dict[str, Decimal] = {
    EXCELLENT: Decimal("1.2"),
    GOOD: Decimal("1.1"),
    PASS: Decimal("1.0"),
    FAIL: Decimal("1.0"),
}


@dataclass(frozen=True)
class Funding:
    base: Decimal  # members × the yearly amount per member
    factor: Decimal  # by the grade
    amount: Decimal  # never below the seed's minimum
    minimum: Decimal


def funding(
    staff: int,
    students: int,
    grade_label: str | None,
    per_staff: Number = FUND_PER_STAFF,
    per_student: Number = FUND_PER_STUDENT,
    factors: Mapping[str, Number] | None = None,
) -> Funding:
    """A branch's yearly activity funds: 教职工党员 × per_staff + 学生党员 × per_student, weighted
    by the grade (考核结果作为划拨经费的主要依据), never below the seed's minimum of 100 yuan
    per staff member and 50 per student member a year whatever the settings or the grade."""
    table = FUND_FACTORS if factors is None else factors
    minimum = FUND_PER_STAFF * staff + FUND_PER_STUDENT * students
    base = dec(per_staff) * staff + dec(per_student) * students
    factor = dec(table.get(grade_label, 1)) if grade_label else Decimal(1)
    amount = max(base * factor, minimum).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Funding(base=base, factor=factor, amount=amount, minimum=minimum)


# --- general-branch secretary's reference grade (附件 七(三)) -----------------------------------

REFERENCE_LABEL = "参考等级"


def secretary_reference_grade(
    results: Sequence[tuple[Number, str]],
    bands: Sequence[Sequence[object]] = DEFAULT_BANDS,
    below: str = BELOW_BANDS,
) -> str | None:
    """The general-branch secretary's 参考等级 from the final (total, grade) of the branches
    below: the average total through the same bands; any 不合格 branch → no better than the
    lowest passing grade. None when no branch has a result."""
    if not results:
        return None
    average = sum((dec(t) for t, _g in results), Decimal(0)) / len(results)
    label = grade(average, bands, below=below)
    labels = grade_labels(bands, below)
    if any(g == below for _t, g in results) and len(labels) >= 2:
        ceiling = labels[-2]  # the lowest passing grade (合格)
        if labels.index(label) < labels.index(ceiling):
            label = ceiling
    return label


def average(values: Sequence[Number]) -> Decimal | None:
    """The average of totals cut (never rounded up) to two decimals: 89.95 stays 89.95 and an
    average below a threshold never shows as reaching it."""
    if not values:
        return None
    mean = sum((dec(v) for v in values), Decimal(0)) / len(values)
    return mean.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def element_text(element: Mapping[str, object]) -> str:
    """A scoring element as the seed prints it: “健全2分” (or its name alone)."""
    name = str(element.get("name", ""))
    points = element.get("points")
    if isinstance(points, int | float | Decimal | str) and not isinstance(points, bool):
        return f"{name}{fmt(dec(points))}分"
    return name


def elements_error(elements: Sequence[Mapping[str, object]], points: Number) -> str | None:
    """When every scoring element carries points, they add up to the item's points."""
    with_points = [e for e in elements if e.get("points") is not None]
    complete = bool(with_points) and len(with_points) == len(elements)
    if complete and elements_total(elements) != dec(points):
        summed = fmt(elements_total(elements))
        return f"测评要素分值合计{summed}分，应等于该项分值{fmt(points)}分。"
    return None


def parse_elements(text: str) -> list[dict[str, object]]:
    """“健全2分、分工2分、改选1分” (or one per line) → [{"name": "健全", "points": 2}, …];
    an element without points keeps its name only (“根据测评结果给分”)."""
    result: list[dict[str, object]] = []
    for part in re.split(r"[、，,；;\n]+", text):
        part = part.strip()
        if not part:
            continue
        match = re.fullmatch(r"(.*?)(\d{1,4}(?:\.\d{1,2})?)分?", part)
        if match and match.group(1).strip():
            points = dec(match.group(2))
            value: int | float = int(points) if points == points.to_integral() else float(points)
            result.append({"name": match.group(1).strip(), "points": value})
        else:
            result.append({"name": part, "points": None})
    return result


def parse_bonus_rule(text: str) -> list[list[str | int | float]]:
    """“国家级3、省部级2、区级1、校级0.5” (or one per line) → [["国家级", 3], …] in that order."""
    result: list[list[str | int | float]] = []
    for part in re.split(r"[、，,；;\n]+", text):
        part = part.strip()
        if not part:
            continue
        match = re.fullmatch(r"(.+?)\s*[:：=]?\s*(\d{1,4}(?:\.\d{1,2})?)\s*(?:分(?:/项)?)?", part)
        if not match:
            raise ValueError(part)
        points = dec(match.group(2))
        value: int | float = int(points) if points == points.to_integral() else float(points)
        result.append([match.group(1).strip(), value])
    return result


def revised_total_error(value: Number, ceiling: Number) -> str | None:
    """A total revised on review: 0 to the base points plus the bonus claimed, one decimal."""
    revised = dec(value)
    if revised < 0 or revised > dec(ceiling):
        return f"复核后总分应在0～{fmt(ceiling)}分之间（基本分加申报的附加分）。"
    if revised != one_place(revised):
        return "复核后总分最多保留一位小数。"
    return None
