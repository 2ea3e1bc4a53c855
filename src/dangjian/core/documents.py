"""Word (.docx) and PDF downloads of the print pages.

A print page (A4, `core/print_base.html`) is the one layout of a form. Its two downloads come
from the same rendered template, so the three can never disagree:

- PDF: WeasyPrint renders the page's HTML with the print style sheet. Its URL fetcher serves
  only this project's static files (no network, no `file://` outside them); fonts come from
  the system (fonts-noto-cjk). If WeasyPrint or Pango is missing the answer is a Chinese error
  page (503), never a 500.
- Word: the page's sheet (headings, paragraphs, the meta and signature lines, tables with
  their merged cells) is rebuilt with python-docx as the body of the docxtpl template
  `core/docx/print.docx` (A4, the document's title in the header, page numbers and the date
  made in the footer; rebuilt by `scripts/build_docx_templates.py`).

A print view serves the three through `respond(request, template, context, fmt=..., ...)`;
`document_paths(...)` declares its three URLs (`…/print/`, `…/print.pdf`, `…/print.docx`
style: the print URL plus `.pdf` / `.docx`). A document holding personal data names it
(`label`): the print is recorded as PRINT, a download as EXPORT, as exports are.
"""

from __future__ import annotations

import io
import logging
import mimetypes
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils._os import safe_join
from django.utils.http import url_has_allowed_host_and_scheme

log = logging.getLogger(__name__)

PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = ("html", "pdf", "docx")
DOCX_TEMPLATE = Path(__file__).resolve().parent / "docx" / "print.docx"

# The origin the print page is rendered under for WeasyPrint: never contacted, only matched.
PDF_ORIGIN = "http://dangjian.invalid"


class DocumentUnavailable(Exception):
    """The PDF renderer (WeasyPrint and its Pango libraries) is not installed."""


# --- file names ------------------------------------------------------------------------------

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """Name the download (Chinese allowed: RFC 5987, as core.export names XLSX files)."""
    filename = _UNSAFE_NAME.sub("_", filename).strip() or "document"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- PDF -------------------------------------------------------------------------------------


def _static_file(url: str) -> Path | None:
    """The file of a static URL of this project rendered under PDF_ORIGIN, or None."""
    static = PDF_ORIGIN + settings.STATIC_URL
    if not url.startswith(static):
        return None
    name = unquote(urlsplit(url).path[len(settings.STATIC_URL) :])
    if not name or ".." in Path(name).parts or name.startswith("/"):
        return None
    found = finders.find(name)
    if found:
        return Path(found if isinstance(found, str) else found[0])
    try:
        candidate = Path(safe_join(str(settings.STATIC_ROOT), name))
    except Exception:  # SuspiciousFileOperation: outside STATIC_ROOT
        return None
    return candidate if candidate.is_file() else None


def static_only_fetcher():
    """A WeasyPrint URL fetcher that answers this project's static files and refuses every
    other URL (another host, `file:`, `data:` included): rendering a page never reaches the
    network or the disk beyond the static files."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            found = _static_file(url)
            if found is None:
                log.info("PDF: refused to fetch %s", url[:200])
                raise ValueError(f"not a static file of this site: {url[:200]}")
            mime = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": mime})

    return StaticOnlyFetcher()


def pdf_bytes(html: str) -> bytes:
    """The PDF of a rendered print page."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango's shared libraries are missing
        raise DocumentUnavailable(str(exc)) from exc
    document = HTML(string=html, base_url=PDF_ORIGIN + "/", url_fetcher=static_only_fetcher())
    return document.write_pdf()


def pdf_response(request: HttpRequest, template: str, context: dict, filename: str) -> HttpResponse:
    """The print `template` rendered as a PDF download (`filename` without or with `.pdf`)."""
    html = render_to_string(template, {**context, "document_format": "pdf"}, request)
    try:
        content = pdf_bytes(html)
    except DocumentUnavailable as exc:
        log.warning("PDF unavailable: %s", exc)
        return unavailable(request)
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    return attachment(response, _with_suffix(filename, ".pdf"))


def unavailable(request: HttpRequest) -> HttpResponse:
    """503: no PDF renderer on this server; back to the page the link was on (this site's)."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
    return render(
        request,
        "core/document_unavailable.html",
        {"back_url": referer if safe else "/"},
        status=503,
    )


# --- Word ------------------------------------------------------------------------------------

BLOCKS = {"p", "div", "section", "h1", "h2", "h3", "h4", "ul", "ol", "li", "table", "article"}
HIDDEN_CLASSES = {"no-print", "d-print-none", "print-bar"}


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _hidden(el) -> bool:
    return bool(_classes(el) & HIDDEN_CLASSES) or el.tag in ("script", "style", "button")


# Characters XML 1.0 cannot hold (a vertical tab pasted from Word, say): python-docx refuses
# them, so one in a typed field would make the whole download fail.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str | None) -> str:
    # ASCII whitespace only: 　 (U+3000) is layout. A control character is a space.
    return re.sub(r"[ \t\r\n\f]+", " ", _NOT_XML.sub(" ", value or ""))


def _inline_runs(el, bold=False, underline=False) -> Iterable[tuple[str, bool, bool]]:
    """The text of an inline element as (text, bold, underline) runs; "\\n" for a line
    break (br, and the end of a nested block such as a div inside a table cell)."""
    if el.tag == "br":
        yield "\n", False, False
        return
    bold = bold or el.tag in ("b", "strong", "th")
    underline = underline or el.tag == "u"
    if el.text:
        yield _text(el.text), bold, underline
    for child in el:
        if not isinstance(child.tag, str) or _hidden(child):
            pass
        else:
            if child.tag in BLOCKS:
                yield "\n", False, False
            yield from _inline_runs(child, bold, underline)
            if child.tag in BLOCKS:
                yield "\n", False, False
        if child.tail:
            yield _text(child.tail), bold, underline


def _clean_runs(runs: Iterable[tuple[str, bool, bool]]) -> list[tuple[str, bool, bool]]:
    """Collapse blank runs and duplicate line breaks; trim the ends."""
    out: list[tuple[str, bool, bool]] = []
    for text, bold, underline in runs:
        if text == "\n":
            if out and out[-1][0] != "\n":
                out.append((text, False, False))
            continue
        if not text:
            continue
        if out and out[-1][0] == "\n":
            text = text.lstrip(" ")
            if not text:
                continue
        out.append((text, bold, underline))
    while out and out[-1][0] in ("\n", " "):
        out.pop()
    if out and out[0][0] != "\n":
        out[0] = (out[0][0].lstrip(" "), out[0][1], out[0][2])
    while out and out[0][0] in ("\n", ""):
        out.pop(0)
    return out


def _add_runs(paragraph, runs: list[tuple[str, bool, bool]], *, size=None, bold=None) -> None:
    from docx.enum.text import WD_BREAK

    for text, run_bold, underline in runs:
        if text == "\n":
            paragraph.add_run().add_break(WD_BREAK.LINE)
            continue
        run = paragraph.add_run(text)
        run.bold = bold if bold is not None else (run_bold or None)
        if underline:
            run.underline = True
        if size:
            run.font.size = size


class _DocxBuilder:
    """Rebuilds a print page's sheet in a docxtpl subdocument."""

    def __init__(self, subdoc, width: int):
        self.doc = subdoc
        self.width = width  # the text's width on the page (EMU)

    def block(self, el) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
        from docx.shared import Pt

        if not isinstance(el.tag, str) or _hidden(el):
            return
        tag, classes = el.tag, _classes(el)
        if tag == "table":
            self.table(el)
        elif tag in ("h1", "h2", "h3", "h4"):
            p = self.doc.add_paragraph()
            size = {"h1": Pt(18), "h2": Pt(13)}.get(tag, Pt(12))
            _add_runs(p, _clean_runs(_inline_runs(el)), size=size, bold=True)
            if tag == "h1":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_before = Pt(6)
            p.paragraph_format.keep_with_next = True
        elif tag in ("ul", "ol"):
            for number, li in enumerate(el.findall("li"), start=1):
                p = self.doc.add_paragraph()
                marker = f"{number}. " if tag == "ol" else "• "
                _add_runs(p, [(marker, False, False), *_clean_runs(_inline_runs(li))])
        elif classes & {"meta", "sign"}:
            # A line of labelled fields (姓名：… 所在党支部：…), spread as on the print page.
            parts = [
                _clean_runs(_inline_runs(span)) for span in el if isinstance(span.tag, str)
            ] or [_clean_runs(_inline_runs(el))]
            p = self.doc.add_paragraph()
            if "sign" in classes:
                p.paragraph_format.space_before = Pt(24)
            for index, runs in enumerate(parts):
                if index:
                    p.add_run("　　　")
                _add_runs(p, runs)
        elif tag in ("div", "section", "article") and any(
            isinstance(c.tag, str) and c.tag in BLOCKS for c in el
        ):
            if el.text and el.text.strip():
                self.doc.add_paragraph(_text(el.text).strip())
            for child in el:
                self.block(child)
                if child.tail and child.tail.strip():
                    self.doc.add_paragraph(_text(child.tail).strip())
            if "page-break" in classes:
                self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            runs = _clean_runs(_inline_runs(el))
            if runs:
                p = self.doc.add_paragraph()
                _add_runs(p, runs)
                if classes & {"date", "seal"}:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if "c" in classes or "cut" in classes:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def table(self, el) -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt
        from docx.table import _Cell

        rows = [tr for tr in el.iter("tr") if not _hidden(tr)]
        if not rows:
            return
        # The grid: each cell placed at its row and column, spans reserved.
        taken: set[tuple[int, int]] = set()
        placed = []
        columns = 1
        for r, tr in enumerate(rows):
            c = 0
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                while (r, c) in taken:
                    c += 1
                rowspan = max(1, min(int(cell.get("rowspan") or 1), len(rows) - r))
                colspan = max(1, min(int(cell.get("colspan") or 1), 60))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken.add((r + dr, c + dc))
                placed.append((r, c, rowspan, colspan, cell))
                c += colspan
                columns = max(columns, c)
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = "Table Grid"
        # The cells by row and column, read once (python-docx's table.cell() reads the whole
        # table at each call: quadratic on a long form).
        grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        for r, c, _rowspan, _colspan, cell in placed:
            target = grid[r][c]
            paragraph = target.paragraphs[0]
            _add_runs(paragraph, _clean_runs(_inline_runs(cell)), size=Pt(10))
            if cell.tag == "th" or "c" in _classes(cell):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for r, tr in enumerate(rows):
            if tr.getparent().tag == "thead":
                _repeat_header(table.rows[r])
        self.widths(table, grid, placed, columns)
        for r, c, rowspan, colspan, _cell in placed:
            if rowspan > 1 or colspan > 1:
                grid[r][c].merge(grid[r + rowspan - 1][min(c + colspan, columns) - 1])
        self.doc.add_paragraph()

    def widths(self, table, grid, placed, columns: int) -> None:
        """Column widths as the print page's browser would share them: by the longest text of
        a single-column cell (a label column narrow, a text column wide), within bounds."""
        weight = [3.0] * columns  # two characters and the cell margins at least
        for _r, c, _rowspan, colspan, cell in placed:
            if colspan == 1:
                longest = max((len(line) for line in cell.text_content().split("\n")), default=0)
                weight[c] = max(weight[c], min(float(longest), 24.0))
        total = sum(weight)
        table.autofit = False
        widths = [int(self.width * w / total) for w in weight]
        for c, col in enumerate(table._tbl.tblGrid.gridCol_lst):
            col.w = widths[c]
        for row in grid:
            for c, cell in enumerate(row):
                cell.width = widths[c]


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def docx_bytes(html: str, context: dict) -> bytes:
    """The Word document of a rendered print page: its sheet as the body of the template."""
    import lxml.html
    from docx.enum.section import WD_ORIENT
    from docxtpl import DocxTemplate

    tree = lxml.html.fromstring(html)
    sheet = next(iter(tree.find_class("sheet")), None)
    if sheet is None:
        sheet = tree.find("body") if tree.find("body") is not None else tree
    body_el = tree.find("body")
    landscape = body_el is not None and "a4-landscape" in _classes(body_el)
    title_el = tree.find(".//title")
    title = _text(title_el.text_content()).strip() if title_el is not None else ""

    tpl = DocxTemplate(str(DOCX_TEMPLATE))
    tpl.init_docx()
    section = tpl.docx.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    subdoc = tpl.new_subdoc()
    builder = _DocxBuilder(subdoc, section.page_width - section.left_margin - section.right_margin)
    if sheet.text and sheet.text.strip():
        subdoc.add_paragraph(_text(sheet.text).strip())
    for child in sheet:
        builder.block(child)
        if child.tail and child.tail.strip():
            subdoc.add_paragraph(_text(child.tail).strip())
    tpl.render(
        {
            # docxtpl splices values into the XML unescaped (no autoescape): typed text in
            # the title must arrive as text.
            "title": xml_escape(title),
            "generated": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "body": subdoc,
        }
    )
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def docx_response(
    request: HttpRequest, template: str, context: dict, filename: str
) -> HttpResponse:
    """The print `template` as a Word download (`filename` without or with `.docx`)."""
    html = render_to_string(template, {**context, "document_format": "docx"}, request)
    response = HttpResponse(docx_bytes(html, context), content_type=DOCX_CONTENT_TYPE)
    return attachment(response, _with_suffix(filename, ".docx"))


# --- one print view, three formats -----------------------------------------------------------


def _with_suffix(filename: str, suffix: str) -> str:
    return filename if filename.endswith(suffix) else filename + suffix


UNAVAILABLE = (
    "服务器尚未安装生成PDF所需的组件（WeasyPrint、Pango 和中文字体 fonts-noto-cjk），"
    "请联系系统管理员安装；在此之前可使用打印页面的“打印”或“下载 Word”。"
)


def respond(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    fmt: str = "html",
    filename: str,
    label: str = "",
    rows: int = 1,
    job: bool = False,
) -> HttpResponse:
    """A print view's answer: the A4 page, or its PDF or Word download. `label` names a
    document holding personal data: the page is recorded as a print of it, a download as an
    export (core.security_log), as XLSX exports are.

    `job=True` for a document that grows with its rows (a list over a whole committee: the
    results of 5,000 members are 125 PDF pages, over a minute): the download is a background
    job (core.jobs) as XLSX exports are — the worker asks this view again as the job's owner,
    and 我的导出 offers the file."""
    from dangjian.core.export import PersonalDataAudit
    from dangjian.core.models import SecurityEvent

    if fmt not in FORMATS:
        raise ValueError(fmt)
    suffix = {"html": "", "pdf": "（PDF）", "docx": "（Word）"}[fmt]
    if fmt == "html":
        context = {**context, "document_links": _links(request)}
        response = render(request, template, context)
        kind = SecurityEvent.Kind.PRINT
    elif job:
        from dangjian.core import jobs

        audit = None
        if label:
            audit = PersonalDataAudit(request, label + suffix, SecurityEvent.Kind.EXPORT)
            audit.rows = rows
        name = _with_suffix(_UNSAFE_NAME.sub("_", filename), f".{fmt}")
        return jobs.export_response(
            request, _job_content(request, template, context, fmt), name, audit
        )
    elif fmt == "pdf":
        response = pdf_response(request, template, context, filename)
        kind = SecurityEvent.Kind.EXPORT
    else:
        response = docx_response(request, template, context, filename)
        kind = SecurityEvent.Kind.EXPORT
    if label and response.status_code == 200:
        PersonalDataAudit(request, label + suffix, kind).record(rows)
    return response


def _job_content(request: HttpRequest, template: str, context: dict, fmt: str):
    """The document's bytes, made only when the job reads them."""
    from dangjian.core.jobs import JobFailed

    html = render_to_string(template, {**context, "document_format": fmt}, request)
    if fmt == "docx":
        yield docx_bytes(html, context)
        return
    try:
        content = pdf_bytes(html)
    except DocumentUnavailable as exc:
        log.warning("PDF unavailable: %s", exc)
        raise JobFailed(UNAVAILABLE) from exc
    yield content


def _links(request: HttpRequest) -> dict[str, str]:
    """The download links of a print page: its path with `.pdf` / `.docx` (query kept)."""
    base = request.path.rstrip("/")
    query = request.GET.copy()
    query.pop("print", None)
    q = f"?{query.urlencode()}" if query else ""
    return {"pdf": f"{base}.pdf{q}", "docx": f"{base}.docx{q}"}


# The print views that serve downloads (the API answers only these: core.documents_api).
DOCUMENT_VIEWS: set[Callable] = set()


def document_paths(route: str, view: Callable, name: str) -> list[URLPattern]:
    """The print page's URL and its two downloads: `route` (ending in "/"), the same without
    the slash plus `.pdf` and `.docx`, named `name`, `name_pdf`, `name_docx`."""
    assert route.endswith("/"), route
    DOCUMENT_VIEWS.add(view)
    stem = route.rstrip("/")
    return [
        path(route, view, name=name),
        path(f"{stem}.pdf", view, {"fmt": "pdf"}, name=f"{name}_pdf"),
        path(f"{stem}.docx", view, {"fmt": "docx"}, name=f"{name}_docx"),
    ]
