"""The annual tables as one workbook, one sheet per table (statistics.tables' layout)."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dangjian.core.export import workbook_bytes
from dangjian.statistics.models import StatisticsRun
from dangjian.statistics.selectors import tables_of


def workbook(run: StatisticsRun) -> bytes:
    """The run's tables: a title row (organisation, cut-off, period), the column headers,
    then one row per organisation counted. Aggregates only: no personal data."""
    wb = Workbook()
    wb.remove(wb.active)
    heading = (
        f"{run.organisation.name} 党内统计 截至{run.cut_off:%Y年%m月%d日}"
        f"（变动统计期间 {run.period_start:%Y-%m-%d} 至 {run.cut_off:%Y-%m-%d}）"
    )
    for table in tables_of(run):
        ws = wb.create_sheet(table["title"][:31])
        ws.append([heading])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append(["单位", *(column.label for column in table["columns"])])
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in table["rows"]:
            ws.append([row["name"], *(cell["value"] for cell in row["cells"])])
        ws.column_dimensions["A"].width = 28
        for index in range(2, len(table["columns"]) + 2):
            ws.column_dimensions[get_column_letter(index)].width = 11
        ws.freeze_panes = "B3"
    return workbook_bytes(wb)
