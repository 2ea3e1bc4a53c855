"""Column layouts of target management's exports and printed forms."""

from datetime import date
from typing import Any

from dangjian.targets import rules
from dangjian.targets.models import Task
from dangjian.targets.selectors import assignee_name

TASK_HEADERS = [
    "年度",
    "党组织",
    "工作事项",
    "任务（项目）",
    "量化目标",
    "承担方类别",
    "承担单位（个人）",
    "责任人",
    "完成时限",
    "发挥作用",
    "完成进度",
    "完成日期",
    "状态",
]
STATUS_LABELS = {
    rules.STATUS_OPEN: "进行中",
    rules.STATUS_OVERDUE: "已逾期",
    rules.STATUS_DONE: "已完成",
}
TASK_WIDTHS = [8, 20, 24, 24, 28, 12, 20, 10, 12, 24, 10, 12, 10]
ANNEX1_WIDTHS = [6, 20, 22, 24, 30, 18, 10, 12, 24, 28, 10, 16]


def task_row(task: Task, today: date) -> list[Any]:
    """分解任务一览表: one task."""
    status = rules.task_status(task.deadline, task.completed_on, today)
    return [
        task.work_item.year,
        task.work_item.organisation.name,
        task.work_item.title,
        task.title,
        task.target,
        task.get_assignee_kind_display(),
        assignee_name(task),
        task.responsible.name,
        task.deadline,
        task.get_role_display(),
        f"{task.progress}%",
        task.completed_on,
        STATUS_LABELS[status],
    ]


def completion_text(task: Task) -> str:
    if task.completed_on:
        return f"已完成（{task.completed_on:%Y-%m-%d}）"
    if getattr(task, "overdue", False):
        return "逾期未完成"
    return "进行中"


def commitment_text(task: Task) -> str:
    if task.published_on and task.commitment:
        return f"{task.commitment}（{task.published_on:%Y-%m-%d}公开）"
    return "未公开"


ANNEX1_HEADERS = [
    "序号",
    "工作事项",
    "任务（项目）",
    "量化目标",
    "具体措施",
    "承担单位（个人）",
    "责任人",
    "完成时限",
    "发挥作用",
    "公开承诺",
    "完成进度",
    "完成情况",
]


def annex1_rows(tasks: list[Task]) -> list[list[Any]]:
    """《延伸提升168机制意见》附件1 (学校实行“168”机制年度工作目标分解表), in its column order."""
    return [
        [
            number,
            task.work_item.title,
            task.title,
            task.target,
            task.measures,
            assignee_name(task),
            task.responsible.name,
            task.deadline,
            task.get_role_display(),
            commitment_text(task),
            f"{task.progress}%",
            completion_text(task),
        ]
        for number, task in enumerate(tasks, start=1)
    ]
