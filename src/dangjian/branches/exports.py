"""XLSX of annex 4 (党支部调查摸底与分类定级表): one branch's form in the order of the print page —
basic facts, the scoring table, then problems, self-grade, the masses' opinion and the decision.
The summary forms (annexes 5 and 6), the year's table and the items are plain tables written by
core.export.xlsx_table: their columns and rows are laid out here."""

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from dangjian.branches import rules, selectors
from dangjian.branches.models import GradingYear, RectificationItem
from dangjian.org.models import Organisation

SCORE_HEADERS = ["序号", "类别", "评分项目", "评分要点", "分值", "得分", "存在问题及情况"]
WIDTHS = [6, 14, 20, 44, 8, 8, 40]


def grading_workbook(context: dict) -> Iterator[bytes]:
    """The annex 4 workbook from the print page's context (grading, groups, facts)."""
    grading = context["grading"]
    wb = Workbook()
    ws = wb.active
    ws.title = "调查摸底与分类定级表"
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[chr(64 + index)].width = width
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(vertical="top", wrap_text=True)
    bold = Font(bold=True)

    def put(row: list, *, header: bool = False, merge_last: bool = False) -> None:
        ws.append(row)
        r = ws.max_row
        for c in range(1, len(row) + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = border
            cell.alignment = (
                Alignment(horizontal="center", vertical="center", wrap_text=True)
                if header
                else wrap
            )
            if header:
                cell.font = bold
        if merge_last and len(row) < len(WIDTHS):
            ws.merge_cells(start_row=r, start_column=len(row), end_row=r, end_column=len(WIDTHS))

    ws.append([context["title"]])
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(WIDTHS))
    for label, value in context["facts"]:
        put([label, value], merge_last=True)
        ws.cell(row=ws.max_row, column=1).font = bold
    ws.append([])
    put(SCORE_HEADERS, header=True)
    number = 0
    for group in context["groups"]:
        for score in group["rows"]:
            number += 1
            put(
                [
                    number,
                    group["label"],
                    score.name,
                    score.guidance,
                    float(score.points),
                    float(score.score) if score.score is not None else None,
                    score.finding,
                ]
            )
        put(
            ["", f"{group['label']}小计", "", "", float(group["points"]), float(group["score"]), ""]
        )
    put(
        [
            "",
            "合计",
            "",
            f"建议等次：{grading.get_suggested_grade_display() or '（未评完）'}",
            float(context["points_total"]),
            float(grading.total),
            "",
        ]
    )
    ws.append([])
    for label, value in context["opinions"]:
        put([label, value], merge_last=True)
        ws.cell(row=ws.max_row, column=1).font = bold
    out = io.BytesIO()
    wb.save(out)
    yield out.getvalue()


# --- the year's table of branches; the items ------------------------------------------------

YEAR_HEADERS = [
    "党总支",
    "党支部",
    "支部类别",
    "初次定级得分",
    "初定等级",
    "复评等级",
    "等级变化",
    "整改提高方案",
    "整改事项（完成/总数）",
    "逾期事项",
]
YEAR_WIDTHS = [20, 24, 8, 12, 10, 10, 10, 16, 18, 10]


def year_rows(qs: QuerySet[Organisation], grading_year: GradingYear) -> Iterator[list[Any]]:
    """The year's branches in the tree's order, decorated 500 at a time."""
    batch: list[Organisation] = []
    for org in qs.order_by("path").iterator(chunk_size=500):
        batch.append(org)
        if len(batch) == 500:
            yield from _year_rows(batch, grading_year)
            batch = []
    yield from _year_rows(batch, grading_year)


def _year_rows(batch: list[Organisation], grading_year: GradingYear) -> Iterator[list[Any]]:
    for r in selectors.decorate_branches(batch, grading_year):
        yield [
            r.group_label,
            r.name,
            r.get_category_display() if r.category else "",
            float(r.initial_total) if r.initial_label and r.initial_total is not None else None,
            r.initial_label,
            r.regrade_label,
            f"{r.movement_arrow} {r.movement_label}".strip(),
            r.plan_label or "未制定",
            f"{r.items_done}/{r.items_total}",
            r.items_overdue,
        ]


ITEM_HEADERS = [
    "序号",
    "党支部",
    "年度",
    "存在问题",
    "整改措施",
    "责任人",
    "完成时限",
    "长期性项目",
    "状态",
    "完成日期",
    "整改成效",
    "销号",
]
ITEM_WIDTHS = [6, 22, 8, 36, 36, 10, 12, 8, 12, 12, 30, 12]


def item_rows(qs: QuerySet[RectificationItem], today: date) -> Iterator[list[Any]]:
    ordered = qs.order_by("plan__branch__path", "plan__year", "order", "id")
    for index, i in enumerate(ordered.iterator(chunk_size=2000), start=1):
        yield [
            index,
            i.plan.branch.name,
            i.plan.year,
            i.problem,
            i.measures,
            i.responsible.name,
            i.deadline,
            "是" if i.long_term else "否",
            rules.ITEM_STATUS_LABELS[i.status(today)],
            i.done_on,
            i.result,
            f"{i.verified_on:%Y-%m-%d}" if i.verified_on else "",
        ]


# --- annex 5: 党支部分类定级汇总表; annex 6: 党支部整改汇总表 ----------------------------------

SUMMARY_HEADERS = [
    "序号",
    "党总支",
    "党支部",
    "支部类别",
    "党员数",
    "得分",
    "初定等级",
    "复评等级",
    "备注",
]
RECTIFICATION_HEADERS = [
    "序号",
    "党总支",
    "党支部",
    "定级等级",
    "存在问题",
    "整改措施",
    "责任人",
    "完成时限",
    "完成情况",
]
