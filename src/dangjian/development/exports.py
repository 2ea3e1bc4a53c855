"""The column layout of the development board's XLSX (发展党员工作台账)."""

from collections.abc import Iterable, Iterator
from typing import Any

from dangjian.development.models import Case

HEADERS = [
    "姓名",
    "所在支部",
    "当前步骤",
    "申请日期",
    "积极分子日期",
    "培养考察对象日期",
    "发展对象日期",
    "支部大会日期",
    "预备期满日期",
    "状态",
]
WIDTHS = [10, 22, 22, 12, 12, 14, 12, 12, 12, 12]


def case_rows(cases: Iterable[Case], names: dict[int, str]) -> Iterator[list[Any]]:
    for c in cases:
        yield [
            c.person.name,
            c.organisation.name,
            f"{c.stage}. {names[c.stage]}",
            c.applied_on,
            c.activist_on,
            c.candidate_on,
            c.target_on,
            c.admitted_on,
            c.probation_ends_on,
            c.get_status_display(),
        ]
