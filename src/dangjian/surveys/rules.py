"""Rules of the surveys of the masses (民意测评, 满意度测评). Pure functions, no database.

The seeds prescribe the survey (《168模式实施意见》§五(二)5 个人述岗自评、群众民意测评、
党支部综合评定; 《支部考核办法》评分表第16项 对党支部工作进行满意度测评 根据测评结果给分) but not
how a rating becomes a score or how many answers make a result; the defaults below are ours and
configurable.
"""

import re
from collections.abc import Collection, Mapping
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

# A rating's score: the middle of its band (≥90 优秀, ≥80 称职, 60–79 基本称职, <60 不称职)
# (《168模式实施意见》§五(二)5).
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
# A minimum nobody could reach is a mistake (and the column is a small integer).
MIN_RESPONSES_CEILING = 10000

COMMENT_MAX_LENGTH = 500

# What a link's secret can look like: URL-safe base64 (services.new_token), at most 64
# characters. Anything else — a NUL byte, which PostgreSQL refuses in a query, a page of
# text — is no link at all.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")

TWO_PLACES = Decimal("0.01")

# Why a link cannot be answered today.
NOT_OPEN = "not_open"
CLOSED = "closed"

# Grades of a member's score (《168模式实施意见》§五(二)5): 90分以上为优秀，80分以上为称职，
# 60-79分为基本称职，60分以下为不称职.
GRADE_BANDS: tuple[tuple[int, str], ...] = (
    (90, "优秀"),
    (80, "称职"),
    (60, "基本称职"),
    (0, "不称职"),
)


def token_well_formed(token: object) -> bool:
    return isinstance(token, str) and TOKEN_SHAPE.fullmatch(token) is not None


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


def batch_counts_shown(batch_sizes: Collection[int], floor: int = MIN_RESPONSES_FLOOR) -> bool:
    """Whether the ballots of each batch of links may be counted separately: only when every
    batch holds at least `floor` links. A batch of one link handed to one person would say
    whether that person answered — and, next to a result that moves, how."""
    return all(size >= floor for size in batch_sizes)


def progress_percent(responses: int, minimum: int) -> int:
    """How far the ballots are towards the minimum, in whole per cent (at most 100)."""
    if minimum <= 0:
        return 100
    return min(100, responses * 100 // minimum)


def mean_score(distribution: Mapping[str, int], scores: Mapping[str, int]) -> Decimal | None:
    """The average score of the ratings given, cut (never rounded up) to two decimals — it feeds
    a member's evaluation total, where rounding up could lift a grade; None when nobody rated."""
    count = sum(distribution.get(r, 0) for r in scores)
    if count == 0:
        return None
    total = sum(scores[r] * distribution.get(r, 0) for r in scores)
    return (Decimal(total) / Decimal(count)).quantize(TWO_PLACES, rounding=ROUND_DOWN)


def satisfaction_rate(distribution: Mapping[str, int]) -> Decimal | None:
    """满意度: share of 满意 and 基本满意 among all answers, in per cent (two decimals)."""
    count = sum(distribution.values())
    if count == 0:
        return None
    pleased = distribution.get("satisfied", 0) + distribution.get("fairly_satisfied", 0)
    return (Decimal(100 * pleased) / Decimal(count)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def grade_for(score: Decimal | None, bands: tuple[tuple[int, str], ...] = GRADE_BANDS) -> str:
    """The grade of a mean score (《168模式实施意见》§五(二)5): 90 优秀, 89.99 称职, 60 基本称职,
    59.99 不称职."""
    if score is None:
        return ""
    for floor, label in bands:
        if score >= floor:
            return label
    return bands[-1][1]


def min_responses_error(
    minimum: int,
    floor: int = MIN_RESPONSES_FLOOR,
    ceiling: int = MIN_RESPONSES_CEILING,
) -> str | None:
    if minimum < floor:
        return f"最少有效票数不能少于{floor}票，否则答卷人可能被推断出来。"
    if minimum > ceiling:
        return f"最少有效票数不能超过{ceiling}票。"
    return None


def period_error(opens_on_ordinal: int, closes_on_ordinal: int) -> str | None:
    if closes_on_ordinal < opens_on_ordinal:
        return "截止日期不能早于开始日期。"
    return None


def unanswerable(state: str, opens_on: date, closes_on: date, today: date) -> str | None:
    """Why a survey takes no ballot today (NOT_OPEN / CLOSED), None while it is open: the
    first and the last day are inside the period."""
    if state != "open" or today > closes_on:
        return CLOSED
    if today < opens_on:
        return NOT_OPEN
    return None


def ballot_errors(
    kind: str,
    expected: Collection[int | None],
    ratings: Mapping[int | None, str],
    comment: str,
    comment_max: int = COMMENT_MAX_LENGTH,
) -> dict[str, str]:
    """What is wrong with a ballot: every subject rated exactly once (for a satisfaction
    survey the one subject None, the branch's work), each rating one of the kind's options,
    a comment of at most `comment_max` characters."""
    errors: dict[str, str] = {}
    given = set(ratings)
    wanted = set(expected)
    if given != wanted:
        missing = len(wanted - given)
        errors["ratings"] = (
            f"还有{missing}位测评对象未评价，请对每一位测评对象作出评价。"
            if missing and kind == "member_rating"
            else "请对每一位测评对象作出评价。"
            if kind == "member_rating"
            else "请选择对党支部工作的满意程度。"
        )
    elif any(value not in ratings_for(kind) for value in ratings.values()):
        errors["ratings"] = "评价选项无效。"
    if len(comment) > comment_max:
        errors["comment"] = f"意见建议不能超过{comment_max}字。"
    return errors
