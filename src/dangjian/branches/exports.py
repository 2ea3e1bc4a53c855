"""XLSX of annex 4 (党支部调查摸底与分类定级表): one branch's form in the order of the print page —
basic facts, the scoring table, then problems, self-grade, the masses' opinion and the decision.
The summary forms (annexes 5 and 6) are plain tables written by core.export.xlsx_table."""

import io
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

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
