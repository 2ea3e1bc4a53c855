"""Column layouts of the posts exports: the seeds' forms and the duty-record register."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dangjian.posts.models import DutyRecord

REGISTRATION_HEADERS = [
    "序号",
    "党支部",
    "姓名",
    "性别",
    "党员类别（正式/预备）",
    "岗位名称",
    "岗位职责",
    "目标任务",
    "定岗日期",
    "备注",
]
ANNEX2_HEADERS = [
    "序号",
    "姓名",
    "所在党支部",
    "岗位名称",
    "岗位职责",
    "目标任务（承诺事项）",
    "工作进展",
    "考核评议",
    "奖惩结果",
]
DUTY_RECORD_HEADERS = [
    "活动日期",
    "姓名",
    "所在党支部",
    "岗位",
    "地点",
    "履职内容",
    "成效",
    "检查情况",
    "记录时间",
]

# xlsx_table(sheet=, headers=, widths=) of each export.
REGISTRATION = {
    "sheet": "党员定岗情况登记表",
    "headers": REGISTRATION_HEADERS,
    "widths": [6, 18, 10, 6, 12, 14, 40, 40, 12, 12],
}
ANNEX2 = {
    "sheet": "亮岗履职一览表",
    "headers": ANNEX2_HEADERS,
    "widths": [6, 10, 18, 14, 36, 36, 30, 24, 16],
}
DUTY_RECORDS = {
    "sheet": "履职记实",
    "headers": DUTY_RECORD_HEADERS,
    "widths": [12, 10, 18, 14, 16, 40, 30, 10, 16],
}

REGISTRATION_KEYS = [
    "index",
    "branch",
    "name",
    "gender",
    "status",
    "post",
    "duties",
    "targets",
    "confirmed_on",
    "note",
]
ANNEX2_KEYS = [
    "index",
    "name",
    "branch",
    "post",
    "duties",
    "targets",
    "progress",
    "review",
    "reward",
]


def registration_rows(rows: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """党员定岗情况登记表 rows (selectors.registration_rows) as spreadsheet rows."""
    return ([row[key] for key in REGISTRATION_KEYS] for row in rows)


def annex2_rows(rows: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """Annex 2 rows (selectors.annex2_rows) as spreadsheet rows."""
    return ([row[key] for key in ANNEX2_KEYS] for row in rows)


def duty_record_rows(records: QuerySet[DutyRecord]) -> Iterator[list[Any]]:
    """The register of duty records, streamed."""
    for r in records.iterator(chunk_size=2000):
        yield [
            r.occurred_on,
            r.person.name,
            r.organisation.name,
            r.post.name if r.post_id else "",
            r.place,
            r.content,
            r.effect,
            "已检查" if r.duty_check_id else "未检查",
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
        ]
