"""Column layouts of the printed and exported tables of member duty evaluation."""

from typing import Any

from dangjian.appraisal.models import Honour

# 党员履岗考评结果表: the headers, the keys of selectors.table_rows, the column widths.
RESULT_HEADERS = [
    "序号",
    "姓名",
    "所在支部",
    "岗位",
    "述岗自评",
    "民意测评（票数）",
    "综合评定",
    "总分",
    "等次",
    "荣誉",
    "整改",
]
RESULT_KEYS = [
    "index",
    "name",
    "branch",
    "posts",
    "self",
    "masses",
    "branch_score",
    "final",
    "grade",
    "honours",
    "rectification",
]
HONOUR_HEADERS = ["年度", "姓名", "所在支部", "荣誉", "依据的考评", "授予日期", "备注"]
RESULT_WIDTHS = [6, 10, 20, 24, 10, 14, 10, 8, 10, 20, 10]

# 党员荣誉
HONOUR_WIDTHS = [8, 10, 20, 20, 36, 12, 20]


def honour_row(h: Honour) -> list[Any]:
    return [
        h.year,
        h.person.name,
        h.organisation.name,
        h.get_kind_display(),
        h.cycle.title if h.cycle_id else "",
        h.awarded_on,
        h.note,
    ]


# 考评进度 per branch (the cycle page's table).
PROGRESS_HEADERS = [
    "序号",
    "党支部",
    "考评对象",
    "述岗自评",
    "综合评定",
    "民意测评已回收",
    "最少有效票数",
    "已发放链接",
    "未完成",
]
