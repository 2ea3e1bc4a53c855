"""Checking the Word and PDF downloads of a print page (core.documents): read the .docx back
with python-docx and the PDF with pypdf, and ask both as every role of the cast.

    word, pdf = assert_downloads(client, "posts:commitment_print", [c.pk], contains=["赵党员"])
    assert_download_roles(as_role, "posts:commitment_print", [c.pk], MATRIX)
"""

import io
from collections.abc import Iterable, Mapping
from urllib.parse import unquote

from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from dangjian.core.documents import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE
from tests.harness import assert_role_matrix

# The print pages' matrix: an officer in scope reads, another branch's officer finds nothing,
# a member may not, an anonymous visitor signs in first.
OFFICER_ONLY = {"officer": 200, "other_officer": 404, "member": 403, "anonymous": 302}


def filename(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.lower().startswith("attachment; filename*=utf-8''"), disposition
    return unquote(disposition.split("''", 1)[1])


def body(response) -> bytes:
    """The file: a download made directly, or by a job (run in the request without a broker)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def docx_text(response) -> str:
    """Every paragraph and table cell of a .docx answer (the header too), one per line."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert filename(response).endswith(".docx")
    doc = Document(io.BytesIO(body(response)))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    lines.extend(p.text for p in doc.sections[0].header.paragraphs)
    return "\n".join(lines)


def pdf_text(response) -> str:
    """The text of a PDF answer, pages separated by a form feed."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == PDF_CONTENT_TYPE
    content = body(response)
    assert content.startswith(b"%PDF-")
    assert filename(response).endswith(".pdf")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 1
    return "\f".join(page.extract_text() for page in reader.pages)


def assert_downloads(
    client, name: str, args: Iterable = (), *, query: str = "", contains: Iterable[str] = ()
) -> tuple[str, str]:
    """The print page `name` links its downloads, and both hold every text of `contains`
    (a known field's value). Returns (the Word text, the PDF text)."""
    args = list(args)
    page = client.get(reverse(name, args=args) + query)
    assert page.status_code == 200
    html = page.content.decode()
    docx_url = reverse(f"{name}_docx", args=args)
    pdf_url = reverse(f"{name}_pdf", args=args)
    assert docx_url in html and pdf_url in html and "下载 Word" in html and "下载 PDF" in html
    word = docx_text(client.get(docx_url + query))
    pdf = pdf_text(client.get(pdf_url + query))
    for text in contains:
        assert text in word, (text, word[:2000])
        assert text in pdf.replace("\n", ""), (text, pdf[:2000])
    return word, pdf


def assert_download_roles(
    client_factory, name: str, args: Iterable = (), expected: Mapping = OFFICER_ONLY, query=""
) -> None:
    """Both downloads answer each role as the print page does."""
    args = list(args)
    for suffix in ("_docx", "_pdf"):
        assert_role_matrix(client_factory, reverse(name + suffix, args=args) + query, expected)
