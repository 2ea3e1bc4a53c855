"""core.documents: the PDF renderer reaches only this project's static files, a missing
renderer is a Chinese 503 (never a 500), the Word body keeps the print page's structure
(merged cells, line breaks, no print bar), and download names are Chinese (RFC 5987)."""

import io
import socket
import sys

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from docx import Document
from docx.enum.section import WD_ORIENT
from pypdf import PdfReader

from dangjian.core import documents

PAGE = """<!doctype html><html><head><title>测试表</title>
<link rel="stylesheet" href="/static/core/print.css">{head}</head>
<body class="{body}"><div class="print-bar no-print"><a href="#">← 返回</a>
<button type="button" data-print>打印</button></div>
<div class="sheet">{sheet}</div></body></html>"""


def page(sheet, head="", body="a4-portrait"):
    return PAGE.format(sheet=sheet, head=head, body=body)


# --- PDF: static files only ------------------------------------------------------------------


def test_the_fetcher_serves_static_files_and_refuses_everything_else():
    fetch = documents.static_only_fetcher().fetch
    css = fetch(documents.PDF_ORIGIN + "/static/core/print.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    for url in (
        "file:///etc/passwd",
        "http://example.com/static/core/print.css",
        documents.PDF_ORIGIN + "/media/x.png",
        documents.PDF_ORIGIN + "/static/../settings.py",
        documents.PDF_ORIGIN + "/static/core/../../settings.py",
        documents.PDF_ORIGIN + "/static/%2e%2e/%2e%2e/settings.py",
        "data:text/css,body{color:red}",
    ):
        with pytest.raises(ValueError):
            fetch(url)


def test_a_pdf_never_opens_a_network_connection(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network access while rendering a PDF")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    html = page(
        '<h1>党员名册</h1><img src="http://example.com/tracker.png">'
        '<img src="file:///etc/hostname"><p>正文</p>',
        head='<link rel="stylesheet" href="https://cdn.example.com/x.css">',
    )
    content = documents.pdf_bytes(html)
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert content.startswith(b"%PDF") and "党员名册" in text and "正文" in text
    assert "打印" not in text  # the print bar is not printed


def test_without_weasyprint_the_pdf_link_answers_503_in_chinese(monkeypatch, rf_user):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as without Pango
    response = documents.pdf_response(rf_user, "core/print_base.html", {}, "承诺书")
    assert response.status_code == 503
    assert "暂不能生成PDF" in response.content.decode()
    assert "fonts-noto-cjk" in response.content.decode()


def test_the_503_page_links_back_only_within_the_site(monkeypatch, rf_user):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    rf_user.META["HTTP_REFERER"] = "https://evil.example/phish"
    page = documents.pdf_response(rf_user, "core/print_base.html", {}, "x").content.decode()
    assert "evil.example" not in page
    rf_user.META["HTTP_REFERER"] = "http://testserver/posts/commitments/1/print/"
    page = documents.pdf_response(rf_user, "core/print_base.html", {}, "x").content.decode()
    assert 'href="http://testserver/posts/commitments/1/print/"' in page


@pytest.fixture
def rf_user(world):
    request = RequestFactory().get("/posts/commitments/1/print.pdf")
    request.user = world.secretary_a
    return request


# --- Word: the print page's structure --------------------------------------------------------


def read(html) -> Document:
    return Document(io.BytesIO(documents.docx_bytes(html, {})))


def test_word_keeps_headings_meta_tables_and_merged_cells():
    doc = read(
        page(
            "<h1>党支部整改汇总表</h1>"
            '<div class="meta"><span>单位：机关党总支</span><span>2026年</span></div>'
            "<table><thead><tr><th>序号</th><th>类别</th><th>项目</th></tr></thead><tbody>"
            '<tr><td class="c">1</td><td rowspan="2">支部建设</td><td>班子<br>健全</td></tr>'
            "<tr><td>2</td><td>制度</td></tr>"
            '<tr><td colspan="2">小计</td><td>10</td></tr>'
            "</tbody></table>"
            '<div class="sign"><span>书记（签名）：</span><span>　　年　　月　　日</span></div>'
        )
    )
    texts = [p.text for p in doc.paragraphs]
    assert "党支部整改汇总表" in texts
    assert "单位：机关党总支　　　2026年" in texts
    assert "书记（签名）：　　　　　年　　月　　日" in texts  # the ideographic spaces kept
    assert not any("打印" in t or "返回" in t for t in texts)  # no print bar
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "类别", "项目"]
    assert table.rows[1].cells[1]._tc is table.rows[2].cells[1]._tc  # rowspan
    assert table.rows[3].cells[0]._tc is table.rows[3].cells[1]._tc  # colspan
    assert table.rows[1].cells[2].text == "班子\n健全"
    assert doc.sections[0].header.paragraphs[0].text == "测试表"  # the template's header
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT


def test_a_landscape_form_is_a_landscape_document():
    doc = read(page("<h1>一览表</h1><table><tr><td>1</td></tr></table>", body="a4-landscape"))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height


def test_word_escapes_what_was_typed():
    # Text typed by a user is text in Word: no template tag is evaluated, no XML injected.
    doc = read(page("<p>{{ title }} {% if 1 %}x{% endif %} &lt;w:p&gt; &amp;</p>"))
    assert "{{ title }} {% if 1 %}x{% endif %} <w:p> &" in [p.text for p in doc.paragraphs]


def test_download_names_are_chinese_and_safe():
    response = documents.attachment(HttpResponse(), '机关一支部/2026年"汇总表".pdf')
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''"
        "%E6%9C%BA%E5%85%B3%E4%B8%80%E6%94%AF%E9%83%A8_2026%E5%B9%B4_%E6%B1%87%E6%80%BB%E8%A1%A8_.pdf"
    )


def test_word_escapes_the_title_in_the_header():
    # The page title (the header of every page) often carries typed text (a meeting's topic, a
    # nominee's name): it is text too, never XML spliced into the document (an "&" or "<"
    # made the download a 500, and markup became fields Word would run).
    typed = '会议</w:t></w:r><w:r><w:fldSimple w:instr="INCLUDEPICTURE &quot;http://x/&quot;"/>'
    html = page("<p>正文\x0b第二行</p>").replace(
        "<title>测试表</title>", f"<title>{typed} &amp; &lt;\x0b</title>"
    )
    doc = read(html)
    header = doc.sections[0].header.paragraphs[0]
    assert header.text == (
        '会议</w:t></w:r><w:r><w:fldSimple w:instr="INCLUDEPICTURE "http://x/""/> & <'
    )
    assert "<w:fldSimple" not in header._p.xml
    assert "正文 第二行" in [p.text for p in doc.paragraphs]
