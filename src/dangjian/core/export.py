"""XLSX exports shared by every app: a titled table in its original column order, written in
openpyxl's write-only mode with the sheet compressed straight into the file (memory and
temporary disk stay bounded however many rows), as a background job (core.jobs)."""

import contextlib
import datetime
import io
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import IO
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, IllegalCharacterError
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH, to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from dangjian.core import jobs

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STREAM_CHUNK = 64 * 1024

# A spreadsheet program reads text starting with one of these as a formula (CSV/DDE injection:
# `=HYPERLINK(...)` typed into the public suggestion box would run in an officer's Excel).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def as_text(cell):
    """Make `cell` (any openpyxl cell) keep a formula-like string as plain text: stored as a
    string (never `<f>`), with the quote-prefix style so Excel and WPS show the text exactly as
    typed and do not turn it into a formula when the cell is edited. Returns the cell."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_cell(ws, value):
    """A write-only cell for `value`: formula-like text is written as text (see as_text)."""
    if isinstance(value, Cell):
        return as_text(value)
    return as_text(WriteOnlyCell(ws, value=value))


def workbook_bytes(wb: Workbook) -> bytes:
    """An ordinary (not streamed) workbook as the bytes of its file, every sheet neutralised
    first (formula-like text kept as text)."""
    for ws in wb.worksheets:
        neutralise_sheet(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def neutralise_sheet(ws) -> None:
    """For ordinary (not write-only) worksheets: every formula-like string cell becomes text."""
    for row in ws.iter_rows():
        for cell in row:
            as_text(cell)


# --- a workbook whose one sheet is compressed as it is written --------------------------------
#
# openpyxl's write-only mode writes a sheet's XML to a temporary file, then copies it into the zip
# on save: about ten times the file's size on disk for a large export. Here the sheet's XML goes
# straight into its zip entry (deflated as written). openpyxl still writes the sheet's frame
# (columns, frozen panes, margins) and the rest of the workbook (styles, workbook, content types)
# on save; the rows are serialised here, about ten times faster than openpyxl's cell objects: a
# plain value becomes the cell openpyxl would write for it, a formula-like string text with the
# quote prefix (as `as_text`), and an openpyxl cell (bold header, styled date) keeps its style.
# One sheet per workbook.

SHEET_PART = "xl/worksheets/sheet1.xml"
WRAP = Alignment(vertical="top", wrap_text=True)
_FORMULA_FIRST = frozenset(FORMULA_PREFIXES)  # each prefix is one character
_SPECIAL_FIRST = _FORMULA_FIRST | {"#"}  # "#": maybe an error code such as #N/A
_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}


_FIRST_PLAIN_DATE = date(1900, 3, 1)
_WINDOWS_EPOCH_ORDINAL = WINDOWS_EPOCH.toordinal()


def _escaped(value: str) -> str:
    # str.translate is slow on Chinese text (about 1.3 us a cell); most cells need nothing.
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


class _StreamedSheet(WriteOnlyWorksheet):
    # Strings longer than this are wrapped; dates and datetimes get this number format (None:
    # openpyxl's defaults). Set before the first append.
    wrap_longer_than: int | None = None
    date_format: str | None = None

    def __init__(self, parent: Workbook, title: str, archive: zipfile.ZipFile):
        super().__init__(parent, title)
        self._archive = archive
        self._entry: IO[bytes] | None = None
        self._suffix = b""
        self._row = 0
        self._done = False
        self._styles: dict[tuple, int] = {}
        self._letters = [""]
        self._date_style: int | None = None

    @property
    def closed(self):
        return self._done

    def _get_writer(self):
        if self._writer is None:
            # The frame: openpyxl's XML of this sheet without rows, split at its sheetData.
            frame = WorksheetWriter(self, out=io.BytesIO())
            frame.write_top()
            frame.write_rows()
            frame.write_tail()
            frame.close()
            xml = frame.out.getvalue().replace(b"<sheetData/>", b"<sheetData></sheetData>")
            head, found, self._suffix = xml.partition(b"<sheetData></sheetData>")
            if not found:
                raise ValueError("unexpected worksheet frame")
            self._writer = frame  # its relationships are the sheet's
            self._entry = self._archive.open(SHEET_PART, "w", force_zip64=True)
            self._entry.write(head + b"<sheetData>")

    def append(self, row):
        self._get_writer()
        self._row += 1
        r = self._row
        letters = self._letters
        while len(letters) <= len(row):
            letters.append(get_column_letter(len(letters)))
        parts = [f'<row r="{r}">']
        plain_up_to = self.wrap_longer_than or 32767
        for column, value in enumerate(row, start=1):
            if value is None:
                continue
            ref = f"{letters[column]}{r}"
            kind = type(value)
            if kind is str:
                # Most text needs neither wrapping, a quote prefix, nor preserved spaces: its
                # cell is written here (illegal characters are checked once per row, below).
                if not value:
                    parts.append(f'<c r="{ref}" t="inlineStr"/>')
                elif (
                    len(value) <= plain_up_to
                    and value[0] not in _SPECIAL_FIRST
                    and not value[0].isspace()
                    and not value[-1].isspace()
                ):
                    text = _escaped(value)
                    parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
                else:
                    parts.append(self._text(ref, value))
            elif kind is int or kind is float:
                parts.append(f'<c r="{ref}" t="n"><v>{safe_string(value)}</v></c>')
            elif kind is date and self.date_format:
                if value >= _FIRST_PLAIN_DATE and self.parent.epoch == WINDOWS_EPOCH:
                    serial = str(value.toordinal() - _WINDOWS_EPOCH_ORDINAL)
                else:  # before 1900-03-01 Excel counts a 29 February 1900 that never was
                    serial = safe_string(to_excel(value, self.parent.epoch))
                if self._date_style is None:
                    self._date_style = self._style(number_format=self.date_format)
                parts.append(f'<c r="{ref}" t="n" s="{self._date_style}"><v>{serial}</v></c>')
            else:
                if not isinstance(value, Cell):
                    value = WriteOnlyCell(self, value=value)
                    if self.date_format and value.data_type == "d":
                        value.number_format = self.date_format
                parts.append(self._cell(ref, value))
        parts.append("</row>")
        xml = "".join(parts)
        if ILLEGAL_CHARACTERS_RE.search(xml):
            bad = next(v for v in row if isinstance(v, str) and ILLEGAL_CHARACTERS_RE.search(v))
            raise IllegalCharacterError(f"{bad} cannot be used in worksheets.")
        self._entry.write(xml.encode())

    def _style(self, **attributes) -> int:
        """The workbook's id of a cell style (default font, these attributes), made once."""
        key = tuple(sorted(attributes.items()))
        if key not in self._styles:
            cell = WriteOnlyCell(self)
            for name, value in attributes.items():
                setattr(cell, name, value)
            self._styles[key] = cell.style_id
        return self._styles[key]

    def _text(self, ref: str, value: str, style: int | None = None) -> str:
        if len(value) > 32767:
            value = value[:32767]
        if not value:
            return f'<c r="{ref}" t="inlineStr"/>'
        if ILLEGAL_CHARACTERS_RE.search(value):
            raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
        first = value[0]
        if first == "#" and value in ERROR_CODES:
            return f'<c r="{ref}" t="e"><v>{value}</v></c>'
        if style is None:
            wrap = self.wrap_longer_than is not None and len(value) > self.wrap_longer_than
            quote = first in _FORMULA_FIRST  # is_formula_like: every prefix is one character
            if wrap or quote:
                attributes: dict = {"quotePrefix": True} if quote else {}
                if wrap:
                    attributes["alignment"] = WRAP
                style = self._style(**attributes)
        s = "" if style is None else f' s="{style}"'
        space = ' xml:space="preserve"' if first.isspace() or value[-1].isspace() else ""
        text = _escaped(value)
        return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{text}</t></is></c>'

    def _cell(self, ref: str, cell: Cell) -> str:
        """An openpyxl cell, with its style; a formula is written as text (see as_text)."""
        style = cell.style_id if cell.has_style else None
        value = cell._value
        if cell.data_type in ("s", "f"):
            if cell.data_type == "f" or is_formula_like(value):
                cell.quotePrefix = True
                style = cell.style_id
            return self._text(ref, str(value), style)
        s = "" if style is None else f' s="{style}"'
        if cell.data_type == "d":
            if getattr(value, "tzinfo", None) is not None:
                raise TypeError("Excel does not support timezones in datetimes.")
            value = to_excel(value, self.parent.epoch)
            return f'<c r="{ref}" t="n"{s}><v>{safe_string(value)}</v></c>'
        if cell.data_type == "b":
            return f'<c r="{ref}" t="b"{s}><v>{int(bool(value))}</v></c>'
        if cell.data_type == "e":
            return f'<c r="{ref}" t="e"{s}><v>{value}</v></c>'
        if value is None:
            return f'<c r="{ref}"{s}/>' if s else ""
        return f'<c r="{ref}" t="n"{s}><v>{safe_string(value)}</v></c>'

    def close(self):
        if self._done:
            return
        self._get_writer()
        self._entry.write(b"</sheetData>" + self._suffix)
        self._entry.close()
        self._done = True


class _StreamedSheetWriter(ExcelWriter):
    def write_worksheet(self, ws):
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if not ws.closed:
            ws.close()  # its XML is in the archive already
        ws._rels = ws._writer._rels
        self.manifest.append(ws)


@contextlib.contextmanager
def streamed_sheet(out: IO[bytes], title: str) -> Iterator[WriteOnlyWorksheet]:
    """A write-only sheet (set column widths and frozen panes before the first `append`) of a
    new workbook written to `out`, complete when the block ends."""
    # The fastest deflate: a third larger than openpyxl's default level (1,000,000 people: 127
    # MB), but compression no longer dominates the export's time.
    with zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1
    ) as archive:
        wb = Workbook(write_only=True)
        ws = _StreamedSheet(wb, title[:31], archive)
        wb._sheets.append(ws)
        yield ws
        ws.close()  # the sheet's entry first: a zip takes one entry at a time
        wb.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
        _StreamedSheetWriter(wb, archive).write_data()


def file_pieces(tmp: IO[bytes]) -> Iterator[bytes]:
    tmp.seek(0)
    while piece := tmp.read(STREAM_CHUNK):
        yield piece


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
        with streamed_sheet(tmp, sheet) as ws:
            for index, width in enumerate(widths or [16] * len(headers), start=1):
                ws.column_dimensions[get_column_letter(index)].width = width
            if title:
                cell = safe_cell(ws, title)
                cell.font = Font(bold=True, size=14)
                ws.append([cell])
            header_cells = []
            for header in headers:
                cell = safe_cell(ws, header)
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                header_cells.append(cell)
            ws.append(header_cells)
            ws.wrap_longer_than = 20
            ws.date_format = "yyyy-mm-dd"
            for row in jobs.counted(rows):
                ws.append(row if isinstance(row, list | tuple) else list(row))
        yield from file_pieces(tmp)


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
    request: HttpRequest,
    content: Iterator[bytes],
    filename: str,
    *,
    audit: PersonalDataAudit | None = None,
    job: bool = True,
) -> HttpResponse:
    """The answer of an export view; `filename` may be Chinese (RFC 5987 encoding). An export of
    personal data passes its `audit` (rows counted through `audit.count`): it is recorded once
    the file is written.

    Every export runs as a background job (core.jobs: the page of its progress, or the file
    itself when jobs run in the request). `job=False` only for files holding one-time secrets
    (initial passwords, survey links), which are never stored: streamed to the browser."""
    if job:
        return jobs.export_response(request, content, filename, audit)
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
