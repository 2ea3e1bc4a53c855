"""Rules of the member development pipeline (发展党员), as pure functions (no Django).

Every rule cites 《基层组织建设实施意见》§四(三)1 — the ten steps of 严格执行大学生党员发展程序 —
and every refusal is a Chinese sentence naming the rule. Where institutions differ (the notice
length, which the seed leaves open, the report intervals…) the value is a parameter whose default is
the seed's; services read the institution's value from Django settings and pass it in.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dangjian.org.rules import add_years, age_on

# --- parameters (settings DEVELOPMENT_*; defaults from the seed) -----------------------------


@dataclass(frozen=True)
class Params:
    """The institution's parameters of the pipeline."""

    # 《基层组织建设实施意见》§四(三)1(1): 要求入党的学生年龄必须在18岁以上
    min_age: int = 18
    # 《基层组织建设实施意见》§四(三)1(5): 经过一年以上培养考察
    cultivation_years: int = 1
    # 《基层组织建设实施意见》§四(三)1(3)(5)(10) say 公示 without a length: five days by default
    notice_days: int = 5
    # 《基层组织建设实施意见》§四(三)1(9): 预备期为一年
    probation_years: int = 1
    # 《基层组织建设实施意见》§四(三)1(10): 在预备期满前一个月提出书面转正申请
    conversion_lead_months: int = 1
    # 《基层组织建设实施意见》§四(三)1(9): 每两个月主动找入党介绍人汇报
    sponsor_report_months: int = 2
    # 《基层组织建设实施意见》§四(三)1(9): 每季度要向党支部书面汇报思想一次
    branch_report_months: int = 3


# 《基层组织建设实施意见》§四(三)1(5): 确定两名正式党员担任入党介绍人
REQUIRED_SPONSORS = 2
# An extension of the probation is at most one year (党章第七条: 延长预备期不能超过一年).
MAX_EXTENSION_YEARS = 1
FULL_MEMBER = "full"
MEMBER_STATUSES = ("probationary", "full")

SEED = "《基层组织建设实施意见》§四(三)1"


def cite(step: int) -> str:
    return f"（{SEED}({step})）"


# --- dates ---------------------------------------------------------------------------------


def add_months(start: date, months: int) -> date:
    """Same day `months` later (or earlier when negative); the 31st becomes the month's last
    day when the target month is shorter."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def future_error(on: date, today: date, label: str = "日期") -> str | None:
    """A step is recorded when it has happened."""
    if on > today:
        return f"{label}不能晚于今天"
    return None


def order_error(
    earlier: date | None, later: date, earlier_label: str, later_label: str
) -> str | None:
    """The steps follow each other: a later step's date is not before the previous one's."""
    if earlier is not None and later < earlier:
        return f"{later_label}不能早于{earlier_label}（{earlier:%Y-%m-%d}）"
    return None


# --- step 1: application -----------------------------------------------------------------


def age_error(birth: date | None, applied_on: date, min_age: int = 18) -> str | None:
    """The applicant is at least `min_age` on the application date; the birthday itself counts
    (《基层组织建设实施意见》§四(三)1(1)). A 29 February birthday falls on 1 March in a common
    year."""
    if birth is None:
        return "未登记出生日期，无法核对是否年满18周岁" + cite(1)
    if age_on(birth, applied_on) < min_age:
        return f"递交入党申请时须年满{min_age}周岁{cite(1)}"
    return None


# --- step 3: candidate ---------------------------------------------------------------------


def exam_error(
    exam_passed_on: date | None, activist_on: date | None, candidate_on: date
) -> str | None:
    """Only an activist who passed the Party-school exam becomes a candidate
    (《基层组织建设实施意见》§四(三)1(3))."""
    if exam_passed_on is None:
        return "须通过党校考试且合格，方可确定为培养考察对象" + cite(3)
    if exam_passed_on > candidate_on:
        return "党校考试合格日期不能晚于确定为培养考察对象的日期" + cite(3)
    if activist_on is not None and exam_passed_on < activist_on:
        return f"党校考试合格日期不能早于确定为入党积极分子的日期（{activist_on:%Y-%m-%d}）"
    return None


# --- notices (公示) -------------------------------------------------------------------------


def notice_end(starts_on: date, days: int) -> date:
    """The last day of a notice of `days` calendar days starting on `starts_on`."""
    return starts_on + timedelta(days=days - 1)


def notice_length_error(starts_on: date, ends_on: date, min_days: int) -> str | None:
    """A notice runs at least `min_days` calendar days, both ends included (the seed says 公示
    without a length; the institution sets it)."""
    if ends_on < starts_on:
        return "公示结束日期不能早于开始日期"
    if (ends_on - starts_on).days + 1 < min_days:
        return f"公示期不少于{min_days}天"
    return None


@dataclass(frozen=True)
class NoticeFacts:
    """A notice as the rules see it: its last day and its objections (resolved, upheld)."""

    starts_on: date
    ends_on: date
    objections: tuple[tuple[bool, bool], ...] = ()


def notice_errors(notice: NoticeFacts | None, on: date, label: str, step: int) -> list[str]:
    """Why the step after a notice may not be taken on `on`: the notice was posted, its period
    has ended, every objection was checked and none was upheld (《基层组织建设实施意见》§四(三)1(4):
    公示结束后无异议的…)."""
    if notice is None:
        return [f"尚未进行{label}{cite(step)}"]
    errors = []
    if on <= notice.ends_on:
        errors.append(f"{label}期至{notice.ends_on:%Y-%m-%d}结束，公示期满后方可办理{cite(step)}")
    unresolved = sum(1 for resolved, _ in notice.objections if not resolved)
    if unresolved:
        errors.append(f"{label}期间反映的{unresolved}条意见尚未核查处理{cite(step)}")
    if any(resolved and upheld for resolved, upheld in notice.objections):
        errors.append(f"{label}期间反映的问题经核查属实，不能进入下一步{cite(step)}")
    return errors


# --- step 4: cultivation -------------------------------------------------------------------


def cultivators_error(person_id: int, cultivators: Iterable[tuple[int, str]]) -> str | None:
    """At least one cultivator (培养人), a full member, not the candidate
    (《基层组织建设实施意见》§四(三)1(4))."""
    cultivators = list(cultivators)
    if not cultivators:
        return "须指定至少一名培养人" + cite(4)
    if any(pid == person_id for pid, _ in cultivators):
        return "培养人不能是培养考察对象本人"
    if any(status != FULL_MEMBER for _, status in cultivators):
        return "培养人须为正式党员"
    return None


# --- step 5: development target ------------------------------------------------------------


def cultivation_error(starts_on: date | None, on: date, years: int = 1) -> str | None:
    """At least `years` full years of cultivation: the anniversary itself is allowed, the day
    before is refused (《基层组织建设实施意见》§四(三)1(5): 经过一年以上培养考察)."""
    if starts_on is None:
        return "尚未开始培养考察" + cite(5)
    ready = add_years(starts_on, years)
    if on < ready:
        return f"培养考察须满{years}年（{ready:%Y-%m-%d}起）方可确定为发展对象{cite(5)}"
    return None


def cultivation_ready_on(starts_on: date, years: int = 1) -> date:
    return add_years(starts_on, years)


def sponsors_error(
    person_id: int, sponsors: Iterable[tuple[int, str]], required: int = REQUIRED_SPONSORS
) -> str | None:
    """Two full members (正式党员) as sponsors; a probationary member or the person themselves
    is refused (《基层组织建设实施意见》§四(三)1(5))."""
    sponsors = list(sponsors)
    if any(pid == person_id for pid, _ in sponsors):
        return "入党介绍人不能是发展对象本人" + cite(5)
    if any(status != FULL_MEMBER for _, status in sponsors):
        return "入党介绍人须为正式党员，预备党员不能担任入党介绍人" + cite(5)
    if len({pid for pid, _ in sponsors}) != required:
        return f"须确定{required}名正式党员担任入党介绍人{cite(5)}"
    return None


# --- step 6 (and 10): the branch general meeting's vote ------------------------------------


def vote_count_errors(
    should_attend: int, present: int, in_favour: int, against: int, abstained: int
) -> dict[str, str]:
    """The counts of a vote are consistent: present ≤ should attend, votes cast ≤ present."""
    errors: dict[str, str] = {}
    if should_attend < 1:
        errors["should_attend"] = "应到会有表决权的正式党员数至少为1"
    elif present > should_attend:
        errors["present"] = "实到人数不能多于应到人数"
    if in_favour + against + abstained > present:
        errors["in_favour"] = "赞成、反对、弃权票数之和不能多于实到人数"
    return errors


def vote_failure(should_attend: int, present: int, in_favour: int) -> str | None:
    """Why a vote failed, None when it passed (《基层组织建设实施意见》§四(三)1(6), 注): full
    members with voting rights present must be more than half of those who should attend, and votes
    in favour more than half of those who SHOULD attend (not of those present)."""
    if present * 2 <= should_attend:
        return (
            f"到会有表决权的正式党员{present}人，未超过应到会的{should_attend}人的半数，"
            f"表决无效{cite(6)}"
        )
    if in_favour * 2 <= should_attend:
        return (
            f"赞成{in_favour}票，未超过应到会有表决权的正式党员{should_attend}人的半数，"
            f"表决未通过{cite(6)}"
        )
    return None


# --- steps 7–8: the general branch's talk and approval -------------------------------------


def talker_error(person_id: int, talker: tuple[int, str] | None) -> str | None:
    """The general branch appoints someone, not the applicant, to talk with them
    (《基层组织建设实施意见》§四(三)1(7))."""
    if talker is None:
        return "须由党总支指派专人谈话" + cite(7)
    if talker[0] == person_id:
        return "谈话人不能是预备党员本人"
    if talker[1] != FULL_MEMBER:
        return "谈话人须为正式党员"
    return None


def probation_ends(admitted_on: date, years: int = 1) -> date:
    """Probation runs from the branch meeting's date (《基层组织建设实施意见》§四(三)1(9)); 29
    February becomes 28 February in a common year."""
    return add_years(admitted_on, years)


# --- step 9: probation reports -------------------------------------------------------------


@dataclass(frozen=True)
class ReportDue:
    kind: str  # "sponsor" or "branch"
    period_starts_on: date  # exclusive
    due_on: date  # inclusive
    submitted_on: date | None

    @property
    def submitted(self) -> bool:
        return self.submitted_on is not None


def report_due_dates(starts_on: date, ends_on: date, every_months: int) -> list[date]:
    """The end of each reporting period of `every_months` within the probation."""
    dues = []
    n = 1
    while (due := add_months(starts_on, every_months * n)) <= ends_on:
        dues.append(due)
        n += 1
    return dues


def report_schedule(
    starts_on: date,
    ends_on: date,
    reports: Iterable[tuple[str, date]],
    sponsor_months: int = 2,
    branch_months: int = 3,
) -> list[ReportDue]:
    """Each reporting period of the probation and the report made in it, if any: to the
    sponsors every two months, in writing to the branch every quarter
    (《基层组织建设实施意见》§四(三)1(9)). A period runs from the day after the previous due date to
    its own due date."""
    reports = list(reports)
    result = []
    for kind, months in (("sponsor", sponsor_months), ("branch", branch_months)):
        previous = starts_on
        for due in report_due_dates(starts_on, ends_on, months):
            made = sorted(d for k, d in reports if k == kind and previous < d <= due)
            result.append(ReportDue(kind, previous, due, made[0] if made else None))
            previous = due
    result.sort(key=lambda r: (r.due_on, r.kind))
    return result


def missing_reports(schedule: Iterable[ReportDue], as_of: date) -> list[ReportDue]:
    """Periods already due on `as_of` without a report."""
    return [r for r in schedule if r.due_on <= as_of and not r.submitted]


# --- step 10: conversion -------------------------------------------------------------------


def conversion_deadline(probation_ends_on: date, lead_months: int = 1) -> date:
    """The last day for the written conversion application: one month before probation ends
    (《基层组织建设实施意见》§四(三)1(10): 在预备期满前一个月提出书面转正申请)."""
    return add_months(probation_ends_on, -lead_months)


def conversion_late(applied_on: date, probation_ends_on: date, lead_months: int = 1) -> bool:
    """The day exactly one month before the end is in time; the day after is late."""
    return applied_on > conversion_deadline(probation_ends_on, lead_months)


def extension_error(original_end: date, current_end: date, new_end: date) -> str | None:
    """A probation may be extended by up to one year from its original end; never shortened."""
    if new_end <= current_end:
        return f"延长后的预备期满日期须晚于当前的预备期满日期（{current_end:%Y-%m-%d}）"
    limit = add_years(original_end, MAX_EXTENSION_YEARS)
    if new_end > limit:
        return f"延长预备期不能超过一年（最迟至{limit:%Y-%m-%d}）"
    return None


def conversion_approval_error(probation_ends_on: date, on: date) -> str | None:
    """The conversion is approved when the probation has ended (转正时间为预备期满之日)."""
    if on < probation_ends_on:
        return f"预备期{probation_ends_on:%Y-%m-%d}期满，期满后方可批准转正{cite(10)}"
    return None


# --- a dossier recorded after the fact (the Excel import of historical dossiers) ------------

# The dated steps of a dossier in their order: (field, step of §四(三)1, label). The exam is
# part of step 3; the talk and the approval are the general branch's steps 7 and 8.
HISTORY_STEPS: tuple[tuple[str, int, str], ...] = (
    ("applied_on", 1, "递交入党申请书日期"),
    ("activist_on", 2, "确定为入党积极分子日期"),
    ("exam_passed_on", 3, "党校考试合格日期"),
    ("candidate_on", 3, "确定为培养考察对象日期"),
    ("cultivation_starts_on", 4, "培养考察开始日期"),
    ("target_on", 5, "确定为发展对象日期"),
    ("admitted_on", 6, "支部大会通过接收日期"),
    ("talk_on", 7, "党总支谈话日期"),
    ("approved_on", 8, "党总支审批日期"),
    ("converted_on", 10, "转正日期"),
)
# What the person's Party status is after the last step recorded (org.rules.STATUS_ORDER).
HISTORY_STATUS = {
    1: "applicant",
    2: "activist",
    3: "candidate",
    4: "candidate",
    5: "target",
    6: "probationary",
    7: "probationary",
    8: "probationary",
    10: "full",
}


def history_stage(dates: dict[str, date | None]) -> int:
    """The last step of §四(三)1 the dates reach (0: none)."""
    return max((step for name, step, _l in HISTORY_STEPS if dates.get(name)), default=0)


def history_errors(
    dates: dict[str, date | None],
    *,
    birth: date | None,
    today: date,
    params: Params = Params(),
) -> dict[str, str]:
    """What is wrong with the dates of a dossier's completed steps, by field: each step after
    the one before it (no step skipped, no date before the previous step's), none in the
    future, and the intervals of 《基层组织建设实施意见》§四(三)1 — 18 on applying (1), the exam
    passed between activist and candidate (3), a year of cultivation before the target (5), and
    the conversion only once the probation has ended (10)."""
    errors: dict[str, str] = {}
    if not dates.get("applied_on"):
        return {"applied_on": "必须填写递交入党申请书日期" + cite(1)}
    reached = history_stage(dates)
    previous: tuple[str, date] | None = None
    for name, step, label in HISTORY_STEPS:
        on = dates.get(name)
        if on is None:
            if step < reached and name != "exam_passed_on":
                later = next(lb for n, s, lb in HISTORY_STEPS if s == reached and dates.get(n))
                errors[name] = f"填写了{later}，须同时填写{label}：发展党员须逐步办理{cite(step)}"
            continue
        message = future_error(on, today, label)
        if not message and previous is not None and name != "exam_passed_on":
            message = order_error(previous[1], on, previous[0], label)
        if message:
            errors[name] = message
        elif name != "exam_passed_on":
            previous = (label, on)
    if errors:
        return errors
    applied = dates["applied_on"]
    assert applied is not None
    if message := age_error(birth, applied, params.min_age):
        errors["applied_on"] = message
    if dates.get("candidate_on"):
        candidate = dates["candidate_on"]
        assert candidate is not None
        if message := exam_error(dates.get("exam_passed_on"), dates.get("activist_on"), candidate):
            errors["exam_passed_on"] = message
    if (target := dates.get("target_on")) and (
        message := cultivation_error(
            dates.get("cultivation_starts_on"), target, params.cultivation_years
        )
    ):
        errors["target_on"] = message
    if (converted := dates.get("converted_on")) and (admitted := dates.get("admitted_on")):
        ends = probation_ends(admitted, params.probation_years)
        if message := conversion_approval_error(ends, converted):
            errors["converted_on"] = message
    return errors
