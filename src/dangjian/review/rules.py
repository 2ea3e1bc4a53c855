"""Rules of 联述联评联考 (the secretaries' year-end report, rating and review). Pure, no Django.

Source: 《组织建设年实施方案》§四(三) 完善督查考核 — “联述”：各基层党组织就抓基层党建工作情况分别向
上一级党组织专项述职；“联评”：组织党支部、党员和群众代表对党总支抓基层党建工作情况进行评议；
“联考”：把抓基层党建工作情况作为领导干部年度考核的重要内容; §二(六) 考核总结 (11月—12月，
组织开展基层党建工作考核评价和专项述职).

The seed prescribes the three parts but no weights, grades or dates beyond 11月—12月: the weights
(masses' rating 40, the level above's review 60) and the grade bands (those of
《168模式实施意见》§五(二)5) are ours and configurable (REVIEW_WEIGHTS, REVIEW_GRADE_BANDS).
"""

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation

SOURCE = "《组织建设年实施方案》§四(三)"

# Who reports in a round: the secretaries of branches, or of general branches.
LEVEL_BRANCH = "branch"
LEVEL_GENERAL_BRANCH = "general_branch"
LEVELS = (LEVEL_BRANCH, LEVEL_GENERAL_BRANCH)

# The steps of one secretary's report, in order.
PENDING = "pending"  # 待述职
REPORTED = "reported"  # 已述职 (联述)
RATING = "rating"  # 测评中 (联评)
REVIEWED = "reviewed"  # 已评定 (the level above)
STEP_ORDER = (PENDING, REPORTED, RATING, REVIEWED)

# Round states.
OPEN = "open"
PUBLISHED = "published"

# The combined result: the masses' rating and the level above's review, in per cent (ours).
DEFAULT_WEIGHTS: tuple[int, int] = (40, 60)  # masses, review
# Grades (ours, after 《168模式实施意见》§五(二)5): 90 优秀, 80 称职, 60 基本称职, below 不称职.
DEFAULT_BANDS: tuple[tuple[int, str], ...] = (
    (90, "优秀"),
    (80, "称职"),
    (60, "基本称职"),
    (0, "不称职"),
)
# 11月—12月 (§二(六)): the reports are due by the end of the year.
DUE_MONTH, DUE_DAY = 12, 31
REPORT_MIN_CHARS = 50
REPORT_MAX_CHARS = 20000

ONE_PLACE = Decimal("0.1")
HUNDRED = Decimal(100)

# Why a step cannot be taken: each sentence names the rule.
STEP_REFUSED = {
    REPORTED: "须先提交述职报告（“联述”：向上一级党组织专项述职，" + SOURCE + "），才能组织测评。",
    RATING: "须先提交述职报告并组织党员和群众代表测评（“联评”，"
    + SOURCE
    + "），上级党组织才能评定。",
    REVIEWED: "该述职已由上级党组织评定，不能再修改。",
}
PUBLISHED_REFUSED = "本轮联述联评联考结果已发布，不能再办理。"


def default_due(year: int) -> date:
    """The reports are due by 31 December of the year (§二(六) 11月—12月)."""
    return date(year, DUE_MONTH, DUE_DAY)


def is_late(submitted_on: date | None, due_on: date, today: date) -> bool:
    """Late: submitted after the due date, or still not submitted after it (on the day: on time)."""
    return (submitted_on or today) > due_on


def step_error(state: str, step: str) -> str | None:
    """Whether `step` may be taken on a report in `state`:
    submit (述职) while pending or reported (a report may be revised until the rating starts);
    rate (组织测评) once reported; review (评定) once rating."""
    if state == REVIEWED:
        return STEP_REFUSED[REVIEWED]
    if step == "submit":
        return None if state in (PENDING, REPORTED) else "测评已开始，述职报告不能再修改。"
    if step == "rate":
        if state == PENDING:
            return STEP_REFUSED[REPORTED]
        if state == RATING:
            return "该述职的测评已经组织，请在测评页面发放链接。"
        return None
    if step == "review":
        return None if state == RATING else STEP_REFUSED[RATING]
    raise ValueError(step)


def report_text_error(
    text: str, minimum: int = REPORT_MIN_CHARS, maximum: int = REPORT_MAX_CHARS
) -> str | None:
    """A 述职报告 says something: at least `minimum` characters (ours), at most `maximum`."""
    length = len(text.strip())
    if length < minimum:
        return (
            f"述职报告至少{minimum}字（现为{length}字），"
            f"请就抓基层党建工作情况专项述职（{SOURCE}）。"
        )
    if length > maximum:
        return f"述职报告不能超过{maximum}字。"
    return None


def masses_error(responses: int, minimum: int, visible: bool) -> str | None:
    """The level above reviews only after the masses' rating reached its minimum of ballots."""
    if not visible:
        return (
            f"党员和群众代表测评回收{responses}份，未达到最少有效票数{minimum}份，"
            f"尚无测评结果，不能评定（“联评”，{SOURCE}）。"
        )
    return None


def score_error(value: object) -> str | None:
    """A review score lies between 0 and 100, at most one decimal."""
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "评定分数须为0～100之间的数。"
    if not score.is_finite() or score < 0 or score > HUNDRED:
        return "评定分数须在0～100之间。"
    if score != score.quantize(ONE_PLACE, rounding=ROUND_DOWN):
        return "评定分数最多保留一位小数。"
    return None


def weights_error(masses: int, review: int) -> str | None:
    """The two weights are whole per cent, none negative, totalling exactly 100."""
    if masses < 0 or review < 0:
        return "权重不能为负数。"
    if masses + review != 100:
        return (
            f"测评（联评）与上级评定两项权重合计须为100，现为{masses + review}"
            f"（述职述党建、评议评党建、考核考党建，{SOURCE}）。"
        )
    return None


def combined_score(
    masses: Decimal, review: Decimal, weights: Sequence[int] = DEFAULT_WEIGHTS
) -> Decimal:
    """The weighted total, cut (never rounded up) to one decimal: 89.98 is 89.9 and 称职, so the
    figure shown always lies in the band of its grade."""
    total = (Decimal(masses) * weights[0] + Decimal(review) * weights[1]) / HUNDRED
    return total.quantize(ONE_PLACE, rounding=ROUND_DOWN)


def grade(score: Decimal, bands: Sequence[Sequence[object]] = DEFAULT_BANDS) -> str:
    """The band whose lowest score the total reaches: 90 → 优秀, 89.9 → 称职, 60 → 基本称职,
    59.9 → 不称职."""
    value = Decimal(score)
    for threshold, label in bands:
        if value >= Decimal(str(threshold)):
            return str(label)
    return str(bands[-1][1])


def publish_error(pending: int, names: Sequence[str], shown: int = 5) -> str | None:
    """A round is published only when every secretary's report has been reviewed (0 pending);
    `names` are the first of the reporting organisations still pending."""
    if pending <= 0:
        return None
    listed = "、".join(names[:shown]) + ("等" if pending > min(shown, len(names)) else "")
    return f"还有{pending}份述职未经上级评定（{listed}），全部评定后才能发布结果。"


def reviewer_error(reviewer_person_id: int | None, secretary_id: int | None) -> str | None:
    """Nobody reviews their own report."""
    if reviewer_person_id is not None and reviewer_person_id == secretary_id:
        return "不能评定本人的述职。"
    return None
