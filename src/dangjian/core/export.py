"""XLSX exports shared by every app: a titled table in its original column order, written in
openpyxl's write-only mode and streamed to the browser in pieces (memory stays bounded)."""

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from urllib.parse import quote

from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import render
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STREAM_CHUNK = 64 * 1024


def xlsx_table(
    *,
    sheet: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    title: str = "",
    widths: Sequence[int] | None = None,
) -> Iterator[bytes]:
    """One sheet: an optional title row, a bold header row, then `rows` (dates formatted,
    long text wrapped). Yields the file in pieces."""
    with tempfile.TemporaryFile() as tmp:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(sheet[:31])
        for index, width in enumerate(widths or [16] * len(headers), start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        if title:
            cell = WriteOnlyCell(ws, value=title)
            cell.font = Font(bold=True, size=14)
            ws.append([cell])
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(ws, value=header)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header_cells.append(cell)
        ws.append(header_cells)
        wrap = Alignment(vertical="top", wrap_text=True)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(value, str) and len(value) > 20:
                    cell.alignment = wrap
                cells.append(cell)
            ws.append(cells)
        wb.save(tmp)
        tmp.seek(0)
        while piece := tmp.read(STREAM_CHUNK):
            yield piece


class PersonalDataAudit:
    """The security audit of one export (or print) of personal data: `count()` wraps the rows
    as they are written; `record()` writes one SecurityEvent EXPORT/PRINT naming the user,
    what (`label`, the export's title) and how many rows — once.

        audit = PersonalDataAudit(request, "人员名册")
        content = xlsx_table(..., rows=audit.count(rows))
        return xlsx_response(content, filename, audit=audit)
    """

    def __init__(self, request: HttpRequest, label: str, kind: str = ""):
        from dangjian.core.models import SecurityEvent

        self.request = request
        self.label = label
        self.kind = kind or SecurityEvent.Kind.EXPORT
        self.rows = 0
        self.recorded = False

    def count(self, rows: Iterable) -> Iterator:
        for row in rows:
            self.rows += 1
            yield row

    def record(self, rows: int | None = None) -> None:
        from dangjian.core import security_log

        if self.recorded:
            return
        self.recorded = True
        security_log.record(
            self.kind,
            request=self.request,
            detail=self.label,
            rows=self.rows if rows is None else rows,
        )


def _recorded(content: Iterator[bytes], audit: PersonalDataAudit) -> Iterator[bytes]:
    """The file's pieces; once they are all written (the rows are counted by then, since the
    workbook is complete before its first piece) the export is recorded."""
    try:
        yield from content
    finally:
        audit.record()


def xlsx_response(
    content: Iterator[bytes], filename: str, *, audit: PersonalDataAudit | None = None
) -> StreamingHttpResponse:
    """A streamed download; `filename` may be Chinese (RFC 5987 encoding). An export of personal
    data passes its `audit` (rows counted through `audit.count`): it is recorded once streamed."""
    if audit is not None:
        content = _recorded(content, audit)
    response = StreamingHttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def render_print(request: HttpRequest, template: str, context: dict, *, label: str, rows: int):
    """A print page of personal data (A4): rendered, and recorded as one PRINT event naming
    what (`label`) and how many rows (people, entries) it shows."""
    from dangjian.core.models import SecurityEvent

    response = render(request, template, context)
    PersonalDataAudit(request, label, SecurityEvent.Kind.PRINT).record(rows)
    return response
