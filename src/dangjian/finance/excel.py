"""The dues import (党费收缴导入) as XLSX: the template and the reading of an upload. All or
nothing: every row is checked first and each bad row and column is listed; only a file with no
bad row is written (services.payments_import)."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from dangjian.core.access import Actor
from dangjian.core.export import XLSX_CONTENT_TYPE, workbook_bytes
from dangjian.core.rules import office_date
from dangjian.finance import rules
from dangjian.finance.models import DuesStandard
from dangjian.finance.services import ImportRow
from dangjian.org.models import Person
from dangjian.org.rules import MEMBER_STATUSES

logger = logging.getLogger(__name__)

SHEET = "党费收缴"
COLUMNS = ("工号/学号", "姓名", "年度", "月份", "实交金额（元）", "缴纳日期", "备注")
REQUIRED = ("工号/学号", "姓名", "年度", "月份")
MAX_ROWS = 5000
__all__ = ["XLSX_CONTENT_TYPE", "Problem", "build_template", "check_rows", "read_sheet"]
NOT_XLSX = "无法读取该文件，请上传用导入模板填写的.xlsx文件。"


def build_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([f"{c}*" if c in REQUIRED else c for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(["示例：20240001", "张三", 2026, 3, 12.5, "2026-03-15", "示例行导入时跳过"])
    for letter, width in zip("ABCDEFG", (16, 10, 8, 6, 14, 14, 24), strict=True):
        ws.column_dimensions[letter].width = width
    help_ws = wb.create_sheet("填写说明")
    for line in (
        "每行填写一名党员一个月的党费：工号/学号与姓名须与人员名册一致，年度、月份为所交党费的月份。",
        "实交金额以元为单位，最多两位小数；未交的月份实交金额和缴纳日期留空，即记为欠缴。",
        "缴纳日期在该月月底之后的记为补缴；补交党费的时间一般不得超过6个月（中组发〔2008〕3号第十二条）。",
        "须先核定该党员当年的党费标准。任何一行有误时整个文件都不导入，并列出所有错误。",
    ):
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 100
    return workbook_bytes(wb)


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行【{self.column}】{self.message}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _int(value: Any) -> int | None:
    try:
        number = float(_text(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def read_sheet(file: Any) -> list[tuple[int, list[Any]]]:
    """(row number, cells in COLUMNS order) of the data rows; blank and example rows skipped."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML or openpyxl errors: not a usable xlsx
        logger.info("unreadable dues import: %r", exc)
        raise ValidationError(NOT_XLSX) from exc
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        lines = ws.iter_rows(values_only=True)
        header = [_text(v).rstrip("*＊").strip() for v in (next(lines, None) or ())]
        missing = [c for c in COLUMNS if c not in header and c in REQUIRED]
        if missing:
            raise ValidationError(f"表头缺少以下列：{'、'.join(missing)}。请使用党费收缴导入模板。")
        positions = [header.index(c) if c in header else -1 for c in COLUMNS]
        rows = []
        for number, line in enumerate(lines, start=2):
            cells = [line[i] if 0 <= i < len(line) else None for i in positions]
            if all(c is None or _text(c) == "" for c in cells):
                continue
            if _text(cells[0]).startswith("示例"):
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise ValidationError(f"单次最多导入{MAX_ROWS}行，请分成几个文件上传。")
        return rows
    except ValidationError:
        raise
    except Exception as exc:
        logger.info("unreadable dues import sheet: %r", exc)
        raise ValidationError(NOT_XLSX) from exc
    finally:
        wb.close()


def check_rows(
    actor: Actor, lines: Sequence[tuple[int, list[Any]]]
) -> tuple[list[ImportRow], list[Problem]]:
    """Every row checked against the people the actor keeps, the year's standards and the
    payment rules: (rows ready to write, problems). Three queries whatever the rows."""
    numbers = {_text(cells[0]) for _, cells in lines if _text(cells[0])}
    people = {
        p.staff_number: p
        for p in Person.objects.editable_by(actor)
        .filter(staff_number__in=numbers, is_active=True, party_status__in=MEMBER_STATUSES)
        .select_related("primary_org")
    }
    years = {_int(cells[2]) for _, cells in lines}
    standards = set(
        DuesStandard.objects.filter(
            person__in=list(people.values()), year__in=[y for y in years if y]
        ).values_list("person_id", "year")
    )
    rows, problems, seen = [], [], {}
    for number, cells in lines:
        found = []

        def bad(column: str, message: str, found=found, number=number) -> None:
            found.append(Problem(number, column, message))

        staff_number, name = _text(cells[0]), _text(cells[1])
        person = people.get(staff_number)
        if not staff_number:
            bad("工号/学号", "必填。")
        elif person is None:
            bad("工号/学号", "在您管理的党员中没有该工号/学号。")
        elif name != person.name:
            bad("姓名", f"与名册不符（名册为“{person.name}”）。")
        elif person.primary_org_id is None:
            bad("工号/学号", "该党员没有所在党支部，请先在人员名册中填写。")
        year, month = _int(cells[2]), _int(cells[3])
        if year is None or not 2000 <= year <= 2100:
            bad("年度", "应为2000至2100之间的年份。")
            year = None
        if month is None or not 1 <= month <= 12:
            bad("月份", "应为1至12。")
            month = None
        paid, error = rules.parse_amount(cells[4])
        if error:
            bad("实交金额（元）", error)
        paid_on = None
        if _text(cells[5]):
            paid_on, date_error = office_date(cells[5])
            if date_error:
                bad("缴纳日期", date_error)
        if year and month and not error:
            labels = {"paid": "实交金额（元）", "paid_on": "缴纳日期"}
            for key, message in rules.payment_error(paid, paid_on, year, month).items():
                bad(labels[key], message)
        if person is not None and year:
            if (person.pk, year) not in standards:
                bad("年度", f"该党员尚未核定{year}年党费标准。")
            if month:
                key = (person.pk, year, month)
                if key in seen:
                    bad("月份", f"与第{seen[key]}行重复（同一党员同一月份）。")
                seen.setdefault(key, number)
        if found:
            problems.extend(found)
        elif person is not None and year and month:
            note = _text(cells[6])[:200]
            rows.append(ImportRow(number, person, year, month, paid, paid_on, note))
    return rows, problems
