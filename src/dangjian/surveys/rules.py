"""Rules of the surveys of the masses (民意测评, 满意度测评). Pure functions, no database.

The seeds prescribe the survey (seed 000 §五(二)5 个人述岗自评、群众民意测评、党支部综合评定;
seed 004 附件 item 16 对党支部工作进行满意度测评 根据测评结果给分) but not how a rating becomes a
score or how many answers make a result; the defaults below are ours and configurable.
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

# A rating's score: the middle of its band (≥90 优秀, ≥80 称职, 60–79 基本称职, <60 不称职)
# (seed 000 §五(二)5).
MEMBER_RATING_SCORES: dict[str, int] = {
    "excellent": 95,
    "competent": 85,
    "basic": 70,
    "incompetent": 50,
}
SATISFACTION_SCORES: dict[str, int] = {
    "satisfied": 100,
    "fairly_satisfied": 70,
    "dissatisfied": 0,
}
MEMBER_RATINGS = tuple(MEMBER_RATING_SCORES)
SATISFACTION_RATINGS = tuple(SATISFACTION_SCORES)

# Below this many ballots no result is shown: a handful of answers could be traced to their
# authors by whoever handed out the links.
MIN_RESPONSES = 10
MIN_RESPONSES_FLOOR = 3

TWO_PLACES = Decimal("0.01")


def ratings_for(kind: str) -> tuple[str, ...]:
    """The ratings a ballot of this survey kind may give."""
    return MEMBER_RATINGS if kind == "member_rating" else SATISFACTION_RATINGS


def scores_for(kind: str, overrides: Mapping[str, int] | None = None) -> dict[str, int]:
    base = MEMBER_RATING_SCORES if kind == "member_rating" else SATISFACTION_SCORES
    table = dict(base)
    if overrides:
        table.update({k: v for k, v in overrides.items() if k in base})
    return table


def result_visible(responses: int, minimum: int) -> bool:
    """A result is shown only from the minimum number of ballots on (9 of 10: hidden)."""
    return responses >= minimum


def mean_score(distribution: Mapping[str, int], scores: Mapping[str, int]) -> Decimal | None:
    """The average score of the ratings given (two decimals), None when nobody rated."""
    count = sum(distribution.get(r, 0) for r in scores)
    if count == 0:
        return None
    total = sum(scores[r] * distribution.get(r, 0) for r in scores)
    return (Decimal(total) / Decimal(count)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def satisfaction_rate(distribution: Mapping[str, int]) -> Decimal | None:
    """满意度: share of 满意 and 基本满意 among all answers, in per cent (two decimals)."""
    count = sum(distribution.values())
    if count == 0:
        return None
    pleased = distribution.get("satisfied", 0) + distribution.get("fairly_satisfied", 0)
    return (Decimal(100 * pleased) / Decimal(count)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def min_responses_error(minimum: int) -> str | None:
    if minimum < MIN_RESPONSES_FLOOR:
        return f"最少有效票数不能少于{MIN_RESPONSES_FLOOR}票，否则答卷人可能被推断出来。"
    return None


def period_error(opens_on_ordinal: int, closes_on_ordinal: int) -> str | None:
    if closes_on_ordinal < opens_on_ordinal:
        return "截止日期不能早于开始日期。"
    return None
