"""The rules of honours (两优一先) and of model units (典型培育), as pure functions.

Sources:
- 《基层组织建设实施意见》§四(五)3(1): 每两年开展先进基层党组织、优秀党务工作者和
  优秀共产党员的评选、表彰活动; (2) they are school-level awards.
- 《组织建设年实施方案》§四(五): 结合“七一”表彰，选出一批“先进基层党组织、
  优秀党务工作者、优秀共产党员”.
- 《168模式实施意见》§六2: 确定2—3个典型进行重点培育 … 建立健全先进典型考核评价体系; §六3 the
  ways of checking (点评会、经常性督查、随机抽查).
- 《延伸提升168机制意见》§三 二要典型引导: 已确定10个单位为“168”机制典型示范单位，进行重点培育;
  other levels choose their own demonstration units; leaders keep a contact point (联系点).

No source sets the length of the public notice (公示) of the chosen: NOTICE_DAYS is the
institution's, defaulting to the five days the project uses for the development notices
(`DEVELOPMENT_NOTICE_DAYS`).
"""

from __future__ import annotations

from datetime import date

# --- honour categories (《基层组织建设实施意见》§四(五)3(1)) -------------------------------------

EXCELLENT_MEMBER = "excellent_member"
PARTY_WORKER = "party_worker"
ADVANCED_ORG = "advanced_org"
CATEGORY_LABELS = {
    EXCELLENT_MEMBER: "优秀共产党员",
    PARTY_WORKER: "优秀党务工作者",
    ADVANCED_ORG: "先进基层党组织",
}
PERSON_CATEGORIES = (EXCELLENT_MEMBER, PARTY_WORKER)

SOURCE_ROUNDS = "《基层组织建设实施意见》§四(五)3(1)"
SOURCE_JULY = "《组织建设年实施方案》§四(五)"

# Rounds every two years (setting HONOURS_ROUND_INTERVAL_YEARS).
ROUND_INTERVAL_YEARS = 2
# The notice of those chosen, in calendar days both ends included (setting HONOURS_NOTICE_DAYS).
NOTICE_DAYS = 5
# The nomination deadline's reminder reaches the nominating officers this many days ahead
# (setting HONOURS_REMINDER_DAYS).
REMINDER_DAYS = 14


def round_interval_error(previous_year: int | None, year: int, interval: int) -> str | None:
    """A new round comes `interval` years after the previous one (each two years)."""
    if previous_year is None:
        return None
    if year - previous_year < interval:
        return (
            f"上一轮评选表彰在{previous_year}年，按{SOURCE_ROUNDS}每{interval}年开展一次，"
            f"下一轮最早在{previous_year + interval}年。"
        )
    return None


def nomination_open_error(on: date, deadline: date) -> str | None:
    """Nominations are taken until the round's deadline, that day included."""
    if on > deadline:
        return f"本轮推荐截止日期为{deadline:%Y-%m-%d}，已截止推荐。"
    return None


def quota_error(taken: int, quota: int | None, category: str, holder: str) -> str | None:
    """One more nomination (or approval) of `category` for `holder` fits its quota when fewer
    than `quota` are already taken; a holder with no quota in the round has none to give."""
    label = CATEGORY_LABELS[category]
    if quota is None:
        return f"本轮未给{holder}分配“{label}”名额，不能推荐。"
    if taken + 1 > quota:
        return f"{holder}本轮“{label}”名额为{quota}名，已推荐（审核通过）{taken}名，名额已满。"
    return None


def notice_length_error(starts_on: date, ends_on: date, min_days: int) -> str | None:
    """A notice runs at least `min_days` calendar days, both ends included."""
    if ends_on < starts_on:
        return "公示结束日期不能早于开始日期。"
    if (ends_on - starts_on).days + 1 < min_days:
        return f"公示期不少于{min_days}天（含首尾两日）。"
    return None


def decide_errors(on: date, notice_ends_on: date | None, unresolved: int) -> list[str]:
    """The decision comes after the notice period has run out with every objection resolved."""
    errors = []
    if notice_ends_on is None:
        errors.append("尚未公示，公示期满后方可作出表彰决定。")
    elif on <= notice_ends_on:
        errors.append(f"公示期至{notice_ends_on:%Y-%m-%d}结束，公示期满后方可作出表彰决定。")
    if unresolved:
        errors.append(f"尚有{unresolved}条公示期间收到的意见未核查处理。")
    return errors


def awarded(approved: bool, upheld_objection: bool) -> bool:
    """An approved nominee is awarded unless an objection against them was upheld."""
    return approved and not upheld_objection


# --- model units (典型培育) ---------------------------------------------------------------------

TYPICAL = "typical"
DEMONSTRATION = "demonstration"
CONTACT_POINT = "contact_point"
UNIT_KIND_LABELS = {
    TYPICAL: "重点培育典型（样板支部）",
    DEMONSTRATION: "“168”机制典型示范单位",
    CONTACT_POINT: "领导干部挂钩联系示范点",
}
UNIT_KIND_SOURCES = {
    TYPICAL: "《168模式实施意见》§六2",
    DEMONSTRATION: "《延伸提升168机制意见》§三",
    CONTACT_POINT: "《延伸提升168机制意见》§三",
}
# How many units of a kind one organisation cultivates at once: (fewest, most); None: no bound.
# (setting HONOURS_MODEL_UNIT_COUNTS)
UNIT_COUNTS: dict[str, tuple[int | None, int | None]] = {
    TYPICAL: (2, 3),  # 确定2—3个典型进行重点培育
    DEMONSTRATION: (None, 10),  # 已确定10个单位为“168”机制典型示范单位
    CONTACT_POINT: (None, None),  # 分别确定1个以上单位作为联系点
}


def unit_count_error(
    current: int, kind: str, counts: dict[str, tuple[int | None, int | None]]
) -> str | None:
    """One more unit of `kind` fits when fewer than the most are being cultivated."""
    _fewest, most = counts.get(kind, (None, None))
    if most is not None and current + 1 > most:
        return (
            f"本级已在培育{current}个“{UNIT_KIND_LABELS[kind]}”，"
            f"按{UNIT_KIND_SOURCES[kind]}至多{most}个。"
        )
    return None


def unit_count_shortfall(
    current: int, kind: str, counts: dict[str, tuple[int | None, int | None]]
) -> int:
    """How many more units of `kind` the level should choose (0 when enough)."""
    fewest, _most = counts.get(kind, (None, None))
    return max(0, (fewest or 0) - current)


def period_error(starts_on: date, ends_on: date | None) -> str | None:
    if ends_on is not None and ends_on < starts_on:
        return "培育期结束日期不能早于开始日期。"
    return None


def check_date_error(checked_on: date, starts_on: date, today: date) -> str | None:
    """A check is recorded for a day within the cultivation, not in the future."""
    if checked_on < starts_on:
        return f"检查日期不能早于培育开始日期{starts_on:%Y-%m-%d}。"
    if checked_on > today:
        return "检查日期不能晚于今天。"
    return None


CONFIRM = "confirm"
WITHDRAW = "withdraw"


def review_errors(checks: int, outcome: str, note: str) -> list[str]:
    """The review that confirms or withdraws a unit rests on its checks (先进典型考核评价体系,
    《168模式实施意见》§六2); a withdrawal says why."""
    errors = []
    if checks == 0:
        errors.append("尚无检查记录，请先登记考核检查情况再作评审（《168模式实施意见》§六2）。")
    if outcome == WITHDRAW and not note.strip():
        errors.append("撤销示范单位须写明理由。")
    return errors
