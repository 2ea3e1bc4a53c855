"""Export layouts: the people list (人员名册) as XLSX, in the import template's columns.

A write-only workbook whose sheet is compressed as it is written (core.export.streamed_sheet),
to a temporary file, then read out in pieces: memory stays bounded however many rows."""

import tempfile
from collections.abc import Callable, Iterable, Iterator

from django.db.models import QuerySet
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dangjian.core import jobs
from dangjian.core.export import file_pieces, streamed_sheet
from dangjian.org import rules
from dangjian.org.excel import COLUMNS, FIELDS
from dangjian.org.models import Person, UnitKind

# The template's columns, with the branch's name after its code.
EXPORT_HEADERS = [
    *(c.label for c in COLUMNS[: FIELDS.index("primary_org") + 1]),
    "所在党支部",
    *(c.label for c in COLUMNS[FIELDS.index("primary_org") + 1 :]),
]


# What a row reads: plain values, not model instances (a million rows of four models each cost
# more than writing the file). ID and phone numbers are decrypted as the values are read.
ROW_VALUES = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "category",
    "unit__name",
    "unit__kind",
    "unit__parent_id",
    "unit__parent__name",
    "party_status",
    "joined_on",
    "primary_org__code",
    "primary_org__name",
    "group__code",
    "staff_number",
    "education",
    "degree",
    "professional_title",
    "title_level",
    "post",
    "native_place",
    "relation_held_here",
    "relation_held_at",
    "note",
)


def _labels(field: str) -> dict:
    return {value: str(label) for value, label in Person._meta.get_field(field).flatchoices}


def _row_maker(full_identity: bool) -> Callable[[tuple], list]:
    genders, categories, statuses = _labels("gender"), _labels("category"), _labels("party_status")
    educations, degrees, levels = _labels("education"), _labels("degree"), _labels("title_level")

    def row(values: tuple) -> list:
        (name, gender, ethnicity, birth_date, id_number, phone, category, unit_name, unit_kind,
         unit_parent_id, unit_parent_name, party_status, joined_on, org_code, org_name,
         group_code, staff_number, education, degree, professional_title, title_level, post,
         native_place, held_here, held_at, note) = values  # fmt: skip
        id_number = id_number or ""
        if not full_identity:
            id_number = rules.mask_id_number(id_number)
            phone = rules.mask_phone(phone)
            native_place = rules.mask_native_place(native_place)
        return [
            name,
            str(genders.get(gender, gender)),
            ethnicity,
            birth_date,
            id_number,
            phone,
            str(categories.get(category, category)),
            *_unit_cells(unit_name, unit_kind, unit_parent_id, unit_parent_name),
            str(statuses.get(party_status, party_status)),
            joined_on,
            org_code or "",
            org_name or "",
            group_code or "",
            staff_number,
            educations.get(education, ""),
            degrees.get(degree, ""),
            professional_title,
            levels.get(title_level, ""),
            post,
            native_place,
            "本单位" if held_here else "外单位",
            held_at,
            note,
        ]

    return row


def _unit_cells(name, kind, parent_id, parent_name) -> tuple[str, str]:
    """(所在单位, 班级) as in the template: a class is shown under its college."""
    if name is None:
        return "", ""
    if kind == UnitKind.CLASS and parent_id:
        return parent_name, name
    return name, ""


def export_people(
    queryset: QuerySet[Person],
    full_identity: bool,
    count: Callable[[Iterable[tuple]], Iterable[tuple]] = iter,
) -> Iterator[bytes]:
    """The people of `queryset` as an XLSX file, yielded in pieces (memory stays bounded).

    ID numbers and phone numbers are masked unless `full_identity`. `count` wraps the rows as
    they are written (the security audit's PersonalDataAudit.count).
    """
    values = jobs.read_ahead(queryset.values_list(*ROW_VALUES).iterator(chunk_size=2000))
    row = _row_maker(full_identity)
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
            ws.date_format = "yyyy-mm-dd"
            # Formula-like text is written as text by the sheet itself (core.export).
            for person in jobs.counted(count(values)):
                ws.append(row(person))
        yield from file_pieces(tmp)
