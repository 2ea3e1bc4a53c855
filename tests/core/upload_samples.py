"""Small real files of the allowed kinds, and files the upload policy must refuse."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str = "dangjian") -> bytes:
    """A minimal valid one-page PDF, written by hand (objects, xref table, trailer)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def png_bytes() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


OOXML_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
RELS = "application/vnd.openxmlformats-package.relationships+xml"
CONTENT_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{OOXML_TYPES}">'
    f'<Default Extension="rels" ContentType="{RELS}"/>'
    f'<Override PartName="/word/document.xml" ContentType="{WORD_MAIN}"/></Types>'
)


def docx_bytes() -> bytes:
    """A minimal Word document (OOXML package)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats'
            '.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>会议记录</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", "党支部"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/people/')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="fetch(\'/api/v1/people/\')"></svg>'
# A file that is a PDF by its first bytes and a web page to a browser that sniffs.
PDF_HTML_POLYGLOT = b"%PDF-1.4\n<html><script>fetch('/api/v1/people/')</script></html>\n%%EOF"
# A picture with a page hidden in it (GIF header, then markup).
GIF_HTML_POLYGLOT = b"GIF89a\x01\x00\x01\x00\x00\x00\x00<script>alert(document.cookie)</script>"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


ACCEPTED = {
    "会议记录.pdf": pdf_bytes,
    "活动照片.png": png_bytes,
    "心得体会.docx": docx_bytes,
    "名单.xlsx": xlsx_bytes,
}
REFUSED = {
    "page.html": HTML,
    "logo.svg": SVG,
    "report.pdf": HTML,  # a web page named as a PDF
    "scan.pdf": PDF_HTML_POLYGLOT,
    "photo.gif": GIF_HTML_POLYGLOT,
    "setup.exe": b"MZ\x90\x00" + b"\x00" * 60,
    "notes.docx": pdf_bytes(),  # extension and content disagree
}
