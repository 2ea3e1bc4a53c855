#!/usr/bin/env python3
"""Build the docxtpl template of the Word downloads: src/dangjian/core/docx/print.docx.

The template is the frame of every Word download of a print page (core.documents): A4 with
the print page's margins, a body font that has the Chinese glyphs (宋体 in Word and WPS), the
document's title in the header, the page number and the date it was made in the footer, and
the tag `{{p body }}` where the print page's sheet goes. Run it after changing this script
and commit the .docx; review it by opening it (the tags are plain text):

    .venv/bin/python scripts/build_docx_templates.py
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "src/dangjian/core/docx/print.docx"


def east_asian_font(style, name: str) -> None:
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) updated by Word when the document opens or prints."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1")):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def build() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(15)
    section.left_margin = section.right_margin = Mm(12)
    section.header_distance = section.footer_distance = Mm(8)

    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10.5)
    east_asian_font(normal, "宋体")
    normal.paragraph_format.space_after = Pt(2)

    header = section.header.paragraphs[0]
    header.text = "{{ title }}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.runs[0].font.size = Pt(9)

    doc.add_paragraph("{{p body }}")

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    field(footer, "PAGE")
    footer.add_run(" 页　共 ")
    field(footer, "NUMPAGES")
    footer.add_run(" 页　　生成于 {{ generated }}")
    for run in footer.runs:
        run.font.size = Pt(9)

    core = doc.core_properties
    core.title, core.author, core.comments = "", "dangjian", ""
    return doc


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    build().save(OUT)
    print(OUT)
