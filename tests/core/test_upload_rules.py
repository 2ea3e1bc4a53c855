"""The pure rules of the upload policy (core.rules): what a file's content is, and why a file
is refused."""

import pytest

from dangjian.core import rules
from tests.core import upload_samples as samples

MB = 1024 * 1024
ALL = rules.DOCUMENT_KINDS


def test_extension_is_lower_case_and_last():
    assert rules.upload_extension("照片.JPG") == ".jpg"
    assert rules.upload_extension("a.tar.gz") == ".gz"
    assert rules.upload_extension("C:\\Users\\me\\报告.PDF") == ".pdf"
    assert rules.upload_extension("README") == ""
    assert rules.upload_extension(".htaccess") == ""


@pytest.mark.parametrize(
    ("head", "kinds"),
    [
        (b"%PDF-1.7\n", {"pdf"}),
        (rules.OLE_MAGIC + b"\x00" * 8, {"doc", "xls", "ppt"}),
        (b"<!DOCTYPE html><html>", set()),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", set()),
        (b"<?xml version='1.0'?><root/>", set()),
        (b"MZ\x90\x00", set()),  # a Windows program
        (b"#!/bin/sh\nrm -rf /", set()),
        (b" %PDF-1.4", set()),  # the PDF header must come first
    ],
)
def test_content_kinds_from_the_first_bytes(head, kinds):
    assert rules.content_kinds(head) == kinds


def test_content_kinds_of_pictures_follow_the_detected_type():
    assert rules.content_kinds(b"\x89PNG", image_mime="image/png") == {"png"}
    assert rules.content_kinds(b"\xff\xd8\xff", image_mime="image/jpeg") == {"jpeg"}
    # filetype knows more pictures than we serve: anything else is no allowed kind.
    assert rules.content_kinds(b"BM", image_mime="image/bmp") == set()


def test_zip_kinds_follow_the_package_structure():
    zip_head = rules.ZIP_MAGIC + b"\x14\x00"
    ooxml = ["[Content_Types].xml", "_rels/.rels"]
    assert rules.content_kinds(zip_head, zip_names=[*ooxml, "word/document.xml"]) == {
        "docx",
        "zip",
    }
    assert rules.content_kinds(zip_head, zip_names=[*ooxml, "xl/workbook.xml"]) == {"xlsx", "zip"}
    assert rules.content_kinds(zip_head, zip_names=[*ooxml, "ppt/presentation.xml"]) == {
        "pptx",
        "zip",
    }
    odt = "application/vnd.oasis.opendocument.text"
    assert rules.content_kinds(zip_head, zip_names=["mimetype"], odf_mimetype=odt) == {
        "odt",
        "zip",
    }
    assert rules.content_kinds(zip_head, zip_names=["photos/a.jpg"]) == {"zip"}
    assert rules.content_kinds(zip_head, zip_names=None) == set()  # not a readable zip


def test_markup_is_found_in_any_case():
    assert rules.has_active_content(b"GIF89a...<ScRiPt>alert(1)</script>")
    assert rules.has_active_content(b"%PDF-1.4 <HTML>")
    assert rules.has_active_content(b"<?xml-stylesheet href='x.xsl'?>")
    assert not rules.has_active_content(samples.pdf_bytes())
    assert not rules.has_active_content(samples.png_bytes())


@pytest.mark.parametrize("name", ["page.html", "page.htm", "logo.svg", "data.xml", "run.js"])
def test_markup_and_script_types_are_refused_by_name_naming_the_allowed_types(name):
    error = rules.upload_error(name, 100, frozenset(), allowed=ALL, max_bytes=10 * MB)
    assert error.startswith(f"不能上传“{rules.upload_extension(name)}”文件。只接受：")
    assert "PDF（.pdf）" in error and "图片（.jpg、.jpeg、.png、.gif、.webp）" in error
    assert ".svg" not in error.split("只接受：")[1]


def test_file_without_extension_is_refused():
    error = rules.upload_error("README", 10, frozenset({"pdf"}), allowed=ALL, max_bytes=MB)
    assert error.startswith("不能上传无扩展名的文件。")


def test_content_must_be_what_the_extension_says():
    # an HTML page named .pdf: no kind found
    error = rules.upload_error("report.pdf", 10, frozenset(), allowed=ALL, max_bytes=MB)
    assert "不是真正的PDF文件" in error and "“.pdf”" in error
    # a PDF named .docx
    assert "不是真正的Word" in rules.upload_error(
        "notes.docx", 10, frozenset({"pdf"}), allowed=ALL, max_bytes=MB
    )
    # a Word document named .zip is still a zip archive
    assert (
        rules.upload_error("a.zip", 10, frozenset({"docx", "zip"}), allowed=ALL, max_bytes=MB)
        is None
    )
    # legacy Office files share one header: .doc, .xls, .ppt and WPS names all fit it
    ole = frozenset({"doc", "xls", "ppt"})
    for name in ("a.doc", "a.xls", "a.ppt", "a.wps", "a.et", "a.dps"):
        assert rules.upload_error(name, 10, ole, allowed=ALL, max_bytes=MB) is None


def test_a_polyglot_with_markup_is_refused():
    error = rules.upload_error(
        "scan.pdf", 10, frozenset({"pdf"}), allowed=ALL, max_bytes=MB, active=True
    )
    assert "网页或脚本代码" in error


def test_size_cap_boundary():
    pdf = frozenset({"pdf"})
    assert rules.upload_error("a.pdf", 10 * MB, pdf, allowed=ALL, max_bytes=10 * MB) is None
    error = rules.upload_error("a.pdf", 10 * MB + 1, pdf, allowed=ALL, max_bytes=10 * MB)
    assert error == "文件大小10.0MB，超过了10MB的上限。"
    # the size is known before the content is read
    assert rules.upload_error("a.pdf", 10, None, allowed=ALL, max_bytes=MB) is None


def test_an_area_can_narrow_the_allowed_kinds():
    error = rules.upload_error("a.pdf", 10, frozenset({"pdf"}), allowed=("xlsx",), max_bytes=MB)
    assert error == "不能上传“.pdf”文件。只接受：Excel/WPS表格（.xlsx）。"


def test_quota_boundary():
    assert rules.quota_error(400 * MB, 100 * MB, 500 * MB) is None
    error = rules.quota_error(400 * MB, 100 * MB + 1, 500 * MB)
    assert "已上传的文件共400MB" in error and "每人500MB" in error
