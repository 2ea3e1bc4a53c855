"""Reading the downloads back: a Word file with python-docx, a PDF with pypdf."""

import io
from urllib.parse import unquote

from docx import Document
from pypdf import PdfReader

from dangjian.core.documents import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE


def filename(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''"), disposition
    return unquote(disposition.split("''", 1)[1])


def docx_text(response) -> str:
    """Every paragraph and table cell of the .docx answer, one per line."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert filename(response).endswith(".docx")
    doc = Document(io.BytesIO(response.content))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    lines.extend(p.text for p in doc.sections[0].header.paragraphs)
    return "\n".join(lines)


def pdf_text(response) -> tuple[str, int]:
    """The text of the PDF answer and its number of pages."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == PDF_CONTENT_TYPE
    assert response.content.startswith(b"%PDF")
    assert filename(response).endswith(".pdf")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)
