"""Export layouts: the people list (人员名册) as XLSX, in the import template's columns.

A write-only workbook whose sheet is compressed as it is written (core.export.streamed_sheet),
to a temporary file, then read out in pieces: memory stays bounded however many rows."""

import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dangjian.core import jobs
from dangjian.core.export import file_pieces, safe_row, streamed_sheet
from dangjian.org import rules
from dangjian.org.excel import COLUMNS, FIELDS
from dangjian.org.models import Person, Unit, UnitKind

# The template's columns, with the branch's name after its code.
EXPORT_HEADERS = [
    *(c.label for c in COLUMNS[: FIELDS.index("primary_org") + 1]),
    "所在党支部",
    *(c.label for c in COLUMNS[FIELDS.index("primary_org") + 1 :]),
]


def _export_row(person: Person, full_identity: bool, date_cell: Callable[[Any], Any]) -> list:
    id_number = person.id_number or ""
    if not full_identity:
        id_number = rules.mask_id_number(id_number)
    phone = person.phone if full_identity else rules.mask_phone(person.phone)
    return [
        person.name,
        person.get_gender_display(),
        person.ethnicity,
        date_cell(person.birth_date),
        id_number,
        phone,
        person.get_category_display(),
        *_unit_cells(person.unit),
        person.get_party_status_display(),
        date_cell(person.joined_on),
        person.primary_org.code if person.primary_org else "",
        person.primary_org.name if person.primary_org else "",
        person.group.code if person.group else "",
        person.staff_number,
        person.note,
    ]


def _unit_cells(unit: Unit | None) -> tuple[str, str]:
    """(所在单位, 班级) as in the template: a class is shown under its college."""
    if unit is None:
        return "", ""
    if unit.kind == UnitKind.CLASS and unit.parent_id:
        return unit.parent.name, unit.name
    return unit.name, ""


def export_people(
    queryset: QuerySet[Person],
    full_identity: bool,
    count: Callable[[Iterable[Person]], Iterable[Person]] = iter,
) -> Iterator[bytes]:
    """The people of `queryset` as an XLSX file, yielded in pieces (memory stays bounded).

    ID numbers and phone numbers are masked unless `full_identity`. `count` wraps the rows as
    they are written (the security audit's PersonalDataAudit.count).
    """
    queryset = queryset.select_related("primary_org", "group", "unit__parent")
    with tempfile.TemporaryFile() as tmp:
        with streamed_sheet(tmp, "人员名册") as ws:
            for index, header in enumerate(EXPORT_HEADERS, start=1):
                width = 21 if header == "身份证号" else 14 if header == "所在党支部" else 12
                ws.column_dimensions[get_column_letter(index)].width = width
            ws.freeze_panes = "A2"
            header_cells = []
            for header in EXPORT_HEADERS:
                cell = WriteOnlyCell(ws, value=header)
                cell.font = Font(bold=True)
                header_cells.append(cell)
            ws.append(header_cells)

            def date_cell(value):
                if value is None:
                    return None
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd"
                return cell

            for person in jobs.counted(count(queryset.iterator(chunk_size=2000))):
                ws.append(safe_row(ws, _export_row(person, full_identity, date_cell)))
        yield from file_pieces(tmp)
