"""XLSX exports shared by every app: a titled table in its original column order, written in
openpyxl's write-only mode and streamed to the browser in pieces (memory stays bounded)."""

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from urllib.parse import quote

from django.http import StreamingHttpResponse
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


def xlsx_response(content: Iterator[bytes], filename: str) -> StreamingHttpResponse:
    """A streamed download; `filename` may be Chinese (RFC 5987 encoding)."""
    response = StreamingHttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
