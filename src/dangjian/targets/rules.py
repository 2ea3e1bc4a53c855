"""Rules of target management and the six-step work method, as pure functions.

No database and no Django: the services gather the facts, these functions decide.
"""

from dataclasses import dataclass
from datetime import date

# Honour levels, lowest first (《延伸提升168机制意见》§二: county → city → province → central).
# The numbers match targets.models.HonourLevel.
LEVEL_NONE = 0
LEVEL_COUNTY = 1
LEVEL_CITY = 2
LEVEL_PROVINCE = 3
LEVEL_CENTRAL = 4
LEVEL_NAMES = {
    LEVEL_NONE: "尚未获得",
    LEVEL_COUNTY: "县（区）级",
    LEVEL_CITY: "市级",
    LEVEL_PROVINCE: "省级",
    LEVEL_CENTRAL: "中央（国家）级",
}

# A long-term goal is reached "within 3–5 years" (《延伸提升168机制意见》§二: 力争在3-5年内).
MIN_GOAL_YEARS = 3
MAX_GOAL_YEARS = 5

# The six steps (《168模式实施意见》§四(一)); 7 once the sixth is closed. Match targets.models.Step.
STEP_OPINIONS = 1
STEP_DECISION = 2
STEP_DECOMPOSITION = 3
STEP_COMMITMENT = 4
STEP_IMPLEMENTATION = 5
STEP_EVALUATION = 6
STEP_DONE = 7
STEP_NAMES = {
    STEP_OPINIONS: "征求意见",
    STEP_DECISION: "议事决策",
    STEP_DECOMPOSITION: "任务分解",
    STEP_COMMITMENT: "公开承诺",
    STEP_IMPLEMENTATION: "组织实施",
    STEP_EVALUATION: "考评奖惩",
    STEP_DONE: "已完成",
}

# Assignee kinds of a task (《延伸提升168机制意见》§二: 各类组织（队伍）、处室、年段（班级）;
# 《168模式实施意见》§四(一)3: down to members, counsellors, class teachers, staff). Match
# targets.models.AssigneeKind.
ASSIGNEE_ORGANISATION = "organisation"
ASSIGNEE_UNIT = "unit"
ASSIGNEE_PERSON = "person"

# Task status for lists and filters.
STATUS_OPEN = "open"
STATUS_OVERDUE = "overdue"
STATUS_DONE = "done"


# --- long-term goals (《延伸提升168机制意见》§二) -------------------------------------------


def next_level(current: int) -> int | None:
    """The level to strive for next; None when the highest (central) is already held."""
    if current >= LEVEL_CENTRAL:
        return None
    return current + 1


def goal_level_error(current: int, target: int) -> str | None:
    """The target must be exactly the next level above the one already held
    (《延伸提升168机制意见》§二: 已被省委表彰的……力争被中央表彰；已被市委表彰的……被省委表彰；
    县级……被市委表彰)."""
    wanted = next_level(current)
    if wanted is None:
        return "已获中央（国家）级表彰，没有更高的争创层级"
    if target != wanted:
        return (
            f"争创层级应为已获层级的上一级：已获{LEVEL_NAMES.get(current, '')}，"
            f"应争创{LEVEL_NAMES[wanted]}（县（区）级→市级→省级→中央级，逐级争创）"
        )
    return None


def goal_span_error(start_year: int, end_year: int) -> str | None:
    """A long-term goal spans 3 to 5 years (《延伸提升168机制意见》§二: 力争在3-5年内)."""
    span = end_year - start_year
    if span < MIN_GOAL_YEARS or span > MAX_GOAL_YEARS:
        return (
            f"长期目标应在{MIN_GOAL_YEARS}—{MAX_GOAL_YEARS}年内实现：目标年度与起始年度相差{span}年"
        )
    return None


# --- tasks -----------------------------------------------------------------------------------


_KIND_NAMES = {
    ASSIGNEE_ORGANISATION: "党组织",
    ASSIGNEE_UNIT: "行政单位",
    ASSIGNEE_PERSON: "个人",
}


def assignee_error(kind: str, has_org: bool, has_unit: bool, has_person: bool) -> str | None:
    """A task goes to exactly one assignee, of the kind chosen (《168模式实施意见》§四(一)3:
    责任到人)."""
    given = {
        ASSIGNEE_ORGANISATION: has_org,
        ASSIGNEE_UNIT: has_unit,
        ASSIGNEE_PERSON: has_person,
    }
    names = {
        ASSIGNEE_ORGANISATION: "承担党组织",
        ASSIGNEE_UNIT: "承担单位",
        ASSIGNEE_PERSON: "承担人",
    }
    if kind not in given:
        return "请选择承担方类别"
    if not given[kind]:
        return f"承担方类别为“{_KIND_NAMES[kind]}”时须选择{names[kind]}"
    others = [names[k] for k, v in given.items() if v and k != kind]
    if others:
        return (
            f"每项任务只能有一个承担方：承担方类别为“{_KIND_NAMES[kind]}”，"
            f"不应再填写{'、'.join(others)}"
        )
    return None


def percent_error(percent: int) -> str | None:
    if percent < 0 or percent > 100:
        return "完成进度应在0—100之间"
    return None


def is_overdue(deadline: date, completed_on: date | None, today: date) -> bool:
    """Overdue from the day after the deadline while not completed (the deadline day itself
    is still in time)."""
    return completed_on is None and today > deadline


def task_status(deadline: date, completed_on: date | None, today: date) -> str:
    if completed_on is not None:
        return STATUS_DONE
    return STATUS_OVERDUE if is_overdue(deadline, completed_on, today) else STATUS_OPEN


def completed_on_after(percent: int, reported_on: date) -> date | None:
    """A task is completed when its latest progress update says 100%."""
    return reported_on if percent >= 100 else None


# --- the six steps (《168模式实施意见》§四(一); 《延伸提升168机制意见》§四) -----------------


@dataclass(frozen=True)
class StepFacts:
    """Counts of a work item's records, enough to judge whether a step may close."""

    opinions: int = 0
    pending_opinions: int = 0
    decisions: int = 0
    tasks: int = 0
    unpublished_tasks: int = 0
    tasks_without_progress: int = 0
    has_evaluation: bool = False
    evaluation_published: bool = False


def step_missing(step: int, facts: StepFacts) -> list[str]:
    """What the current step still lacks before it may close (empty: it may close)."""
    missing: list[str] = []
    if step == STEP_OPINIONS:
        # 《168模式实施意见》§四(一)1: 广泛征求意见，并对征求到的意见进行梳理分类
        if facts.opinions == 0:
            missing.append("尚未登记征求到的意见（征求意见：须至少登记1条意见）")
        if facts.pending_opinions:
            missing.append(
                f"还有{facts.pending_opinions}条意见待处理"
                "（征求意见：每条意见须梳理分类，并予以采纳或答复）"
            )
    elif step == STEP_DECISION:
        # 《168模式实施意见》§四(一)2: 重要的决策要召开党政联席会议进行讨论
        if facts.decisions == 0:
            missing.append("尚未登记议事决策记录（议事决策：须记录会议讨论决定的事项）")
    elif step == STEP_DECOMPOSITION:
        # 《168模式实施意见》§四(一)3: 将年度工作任务进行分解……责任到人
        if facts.tasks == 0:
            missing.append(
                "尚未分解任务（任务分解：须至少分解1项任务，明确承担方、责任人和完成时限）"
            )
    elif step == STEP_COMMITMENT:
        # 《168模式实施意见》§四(一)4: 将任务分解的有关内容……进行公开，同时做出公开承诺
        if facts.tasks == 0:
            missing.append("尚无分解任务（公开承诺：须先分解任务）")
        elif facts.unpublished_tasks:
            missing.append(
                f"还有{facts.unpublished_tasks}项任务未公开承诺"
                "（公开承诺：每项任务须填写承诺内容并公开）"
            )
    elif step == STEP_IMPLEMENTATION:
        # 《168模式实施意见》§四(一)4–5: 及时公开承诺事项落实进度；及时掌握任务落实情况
        if facts.tasks == 0:
            missing.append("尚无分解任务（组织实施：须先分解任务）")
        elif facts.tasks_without_progress:
            missing.append(
                f"还有{facts.tasks_without_progress}项任务未报告进展"
                "（组织实施：每项任务须至少报告1次落实进度）"
            )
    elif step == STEP_EVALUATION:
        # 《168模式实施意见》§四(一)6: 考评……将考评结果……公布
        if not facts.has_evaluation:
            missing.append("尚未登记考评结果（考评奖惩：须登记考评方式、考评结果和奖惩情况）")
        elif not facts.evaluation_published:
            missing.append("考评结果尚未公布（考评奖惩：考评结果须公开公布）")
    return missing


def step_states(current: int) -> list[tuple[int, str, str]]:
    """(step, name, state) for the six steps: state is done, current or pending."""
    states = []
    for step in range(STEP_OPINIONS, STEP_DONE):
        if step < current:
            state = "done"
        elif step == current:
            state = "current"
        else:
            state = "pending"
        states.append((step, STEP_NAMES[step], state))
    return states


# --- opinions and evidence -------------------------------------------------------------------

OPINION_PENDING = "pending"


def opinion_response_error(handling: str, response: str) -> str | None:
    """An opinion marked adopted, answered or not adopted says how (《168模式实施意见》§四(一)1:
    对征求到的意见进行梳理分类; DOMAIN §3: opinions are answered or adopted)."""
    if handling != OPINION_PENDING and not response.strip():
        return "意见已处理的，须填写答复或采纳情况"
    return None
