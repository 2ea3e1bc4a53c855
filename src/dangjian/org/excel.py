"""People import and export as XLSX (openpyxl). Logic only: no views.

Import: the upload is read once, streamed (openpyxl read-only), into a JSON-lines row file
that the job keeps; the job then validates that file chunk by chunk (the progress bar) and,
only when every row is valid, writes all people in one transaction. openpyxl cannot resume
half-way through a sheet, so re-reading the workbook for every chunk would cost the whole
parse each time; the row file makes a chunk cost only its own rows.

The export's column layout lives in org.exports.
"""

import itertools
import json
import logging
import os
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from dangjian.core import audit
from dangjian.core import rules as core_rules
from dangjian.core.crypto import keyed_hash
from dangjian.core.export import workbook_bytes
from dangjian.core.imports import write_data_sheet, write_help_sheet
from dangjian.core.models import AuditEvent
from dangjian.core.rules import field_changes
from dangjian.org import counts, rules
from dangjian.org.models import (
    Degree,
    Education,
    Gender,
    ImportJob,
    Organisation,
    OrgKind,
    PartyStatus,
    Person,
    PersonCategory,
    TitleLevel,
    Unit,
    UnitKind,
)
from dangjian.org.services import PERSON_FIELDS

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET = "人员信息"
ORG_SHEET = "组织编码"
EXAMPLE_PREFIX = "示例："  # rows whose name starts with this are the template's example
MAX_ROWS = 20_000  # the import step of 20,000 rows stays well inside a web request
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_STORED_ERRORS = 1000
BATCH_SIZE = 1000
# A person's primary organisation is a branch (or a general branch / committee directly).
PRIMARY_ORG_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE)


@dataclass(frozen=True)
class Column:
    label: str
    field: str
    required: bool = False
    rule: str = ""
    width: int = 12
    max_length: int | None = None
    choices: tuple = ()  # (value, label) pairs; the cell holds the label
    text: bool = False  # formatted as text in the template (long digit strings)

    @property
    def header(self) -> str:
        return f"{self.label}*" if self.required else self.label

    @property
    def labels(self) -> list[str]:
        return [label for _value, label in self.choices]


COLUMNS = (
    Column("姓名", "name", True, "必填，不超过50个字。", 10, max_length=50),
    Column("性别", "gender", True, "必填，填“男”或“女”。", 6, choices=tuple(Gender.choices)),
    Column("民族", "ethnicity", False, "选填，不填时默认为“汉族”。", 8, max_length=20),
    Column(
        "出生日期",
        "birth_date",
        False,
        f"可填写{core_rules.DATE_FORMATS_TEXT}（月、日可不补0）；"
        "填写了身份证号时可不填（自动取身份证号中的出生日期），未填身份证号时必填。",
        12,
    ),
    Column(
        "身份证号",
        "id_number",
        False,
        "18位居民身份证号码，末位可为X，系统自动核对校验位；请以文本格式填写；"
        "同一身份证号在文件中和系统中都不能重复。",
        21,
        text=True,
    ),
    Column("手机号", "phone", False, "选填，11位数字，以1开头。", 13, text=True),
    Column(
        "人员类别",
        "category",
        True,
        "必填，填“教职工”“学生”或“离退休”。",
        9,
        choices=tuple(PersonCategory.choices),
    ),
    Column("所在单位", "unit", False, "选填，填写系统中已有的行政单位名称。", 16),
    Column(
        "班级",
        "class_unit",
        False,
        "学生填写，须是“所在单位”（学院）下已有的班级。",
        14,
        max_length=100,
    ),
    Column(
        "政治面貌",
        "party_status",
        True,
        "必填，填" + "、".join(f"“{label}”" for _v, label in PartyStatus.choices) + "之一。",
        12,
        choices=tuple(PartyStatus.choices),
    ),
    Column("入党日期", "joined_on", False, "预备党员、正式党员填写，格式同出生日期。", 12),
    Column(
        "所在党支部编码",
        "primary_org",
        True,
        "必填，填写“组织编码”表中党支部（或直属党总支、党委）的编码，须在您的管理范围内。",
        14,
        text=True,
    ),
    Column(
        "所在党小组编码",
        "group",
        False,
        "选填，填写所在党支部下属党小组的编码。",
        14,
        text=True,
    ),
    Column(
        "工号/学号",
        "staff_number",
        False,
        "选填，教职工填工号、学生填学号；用作登录用户名，不能与系统中已有的重复。",
        14,
        max_length=32,
        text=True,
    ),
    Column(
        "学历",
        "education",
        False,
        "选填，填" + "、".join(f"“{label}”" for _v, label in Education.choices) + "之一。",
        10,
        choices=tuple(Education.choices),
    ),
    Column(
        "学位",
        "degree",
        False,
        "选填，填" + "、".join(f"“{label}”" for _v, label in Degree.choices) + "之一。",
        6,
        choices=tuple(Degree.choices),
    ),
    Column("职称", "professional_title", False, "选填，如：教授、讲师。", 10, max_length=50),
    Column(
        "职称级别",
        "title_level",
        False,
        "选填，填" + "、".join(f"“{label}”" for _v, label in TitleLevel.choices) + "之一。",
        8,
        choices=tuple(TitleLevel.choices),
    ),
    Column("行政职务", "post", False, "选填，如：院长、科长。", 10, max_length=50),
    Column("籍贯", "native_place", False, "选填，如：福建省福州市。", 12, max_length=50),
    Column(
        "组织关系所在",
        "relation_held_here",
        False,
        "选填，填“本单位”或“外单位”，不填时为“本单位”。",
        10,
        choices=(("here", "本单位"), ("elsewhere", "外单位")),
    ),
    Column(
        "组织关系所在单位",
        "relation_held_at",
        False,
        "组织关系在外单位时必填，填写所在单位名称。",
        16,
        max_length=100,
    ),
    Column("备注", "note", False, "选填。", 20),
)
# Columns added after the first templates: a file without them is still read (cells blank).
OPTIONAL_HEADERS = {
    "工号/学号",
    "学历",
    "学位",
    "职称",
    "职称级别",
    "行政职务",
    "籍贯",
    "组织关系所在",
    "组织关系所在单位",
}
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
FIELDS = [c.field for c in COLUMNS]

EXAMPLE_ROW = (
    f"{EXAMPLE_PREFIX}张三",
    "男",
    "汉族",
    "1990-01-31",
    "",
    "13800138000",
    "教职工",
    "",
    "",
    "正式党员",
    "2015-07-01",
    "",
    "",
    "",
    "大学本科",
    "学士",
    "讲师",
    "中级",
    "",
    "福建省福州市",
    "本单位",
    "",
    "本行为示例，导入时自动跳过，可删除",
)

NOT_XLSX = "无法读取该文件：请上传用Excel（或WPS）保存的.xlsx文件，不支持.xls、.csv等格式。"
ORG_UNKNOWN = "所在党支部编码不存在或不在您的管理范围内"
GROUP_UNKNOWN = "所在党小组编码不存在或不在您的管理范围内"


# --- Template --------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="B4141B")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def build_template(user) -> bytes:
    """The import template: data sheet, filling rules, and the organisations in the user's scope."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    orgs = list(
        Organisation.objects.editable_by(user).active().only("path", "code", "name", "kind")
    )
    example = list(EXAMPLE_ROW)
    branch = next((o for o in orgs if o.kind == OrgKind.BRANCH), None)
    if branch:
        example[FIELDS.index("primary_org")] = branch.code
    write_data_sheet(ws, COLUMNS, example, MAX_ROWS)
    ws.row_dimensions[1].height = 22

    help_lines = (
        "1. 每行填写一人；第1行为表头，请勿修改、删除或调换表头。",
        "2. 第2行为示例（姓名以“示例：”开头），导入时自动跳过，可删除。",
        f"3. 系统先逐行校验全部数据；只要有一处错误，本次不导入任何数据，"
        f"并按行号和列名列出全部问题。单次最多导入{MAX_ROWS}行。",
        "4. 身份证号、手机号和组织编码请以文本格式填写，避免Excel把长数字变成科学计数法。",
        f"5. 可填写的组织编码见“{ORG_SHEET}”表（仅列出您有权导入的党组织）。",
    )
    write_help_sheet(wb, COLUMNS, help_lines, label_width=16)

    org_ws = wb.create_sheet(ORG_SHEET)
    org_ws.append(["编码", "名称", "类型", "上级组织"])
    names = {o.path: o.name for o in orgs}
    steplen = Organisation.steplen
    for org in orgs:
        parent = names.get(org.path[:-steplen], "")
        org_ws.append([org.code, org.name, org.get_kind_display(), parent])
    for cell in org_ws[1]:
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
    for letter, width in zip("ABCD", (14, 30, 10, 30), strict=True):
        org_ws.column_dimensions[letter].width = width
    org_ws.freeze_panes = "A2"
    return workbook_bytes(wb)


# --- Reading the upload ----------------------------------------------------------------------


def _normalise_header(value) -> str:
    return str(value or "").strip().rstrip("*＊").strip()


def _header_positions(header: Sequence) -> list[int]:
    """The sheet position of each template column, by header name (extra columns ignored)."""
    found: dict[str, int] = {}
    for index, value in enumerate(header):
        found.setdefault(_normalise_header(value), index)
    missing = [c.label for c in COLUMNS if c.label not in found | dict.fromkeys(OPTIONAL_HEADERS)]
    if missing:
        raise ValidationError(
            f"表头缺少以下列：{'、'.join(missing)}。请下载最新的导入模板，不要修改第1行表头。"
        )
    return [found.get(c.label, -1) for c in COLUMNS]


def _json_cell(value):
    """A cell as a JSON value: dates become ISO text; numbers stay numbers (see _text)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    return value


def _is_blank(values: Sequence) -> bool:
    return all(v is None or v == "" for v in values)


def _convert(source, out) -> int:
    """Stream the data sheet of `source` into `out` as JSON lines [row, v1, ... v14].

    Blank rows and the template's example row are skipped; returns the number of rows.
    """
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML or openpyxl errors: all mean "not a usable xlsx"
        logger.info("unreadable import file: %r", exc)
        raise ValidationError(NOT_XLSX) from exc
    try:
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        positions = _header_positions(next(rows, None) or ())
        count = 0
        for number, row in enumerate(rows, start=2):
            values = [_json_cell(row[i]) if 0 <= i < len(row) else None for i in positions]
            if _is_blank(values) or str(values[0] or "").startswith(EXAMPLE_PREFIX):
                continue
            count += 1
            if count > MAX_ROWS:
                raise ValidationError(f"单次最多导入{MAX_ROWS}行，请分成几个文件上传。")
            out.write(json.dumps([number, *values], ensure_ascii=False).encode() + b"\n")
        return count
    except ValidationError:
        raise
    except Exception as exc:
        logger.info("unreadable import sheet: %r", exc)
        raise ValidationError(NOT_XLSX) from exc
    finally:
        wb.close()


def import_job_create(*, user, uploaded_file) -> ImportJob:
    """Check and read an uploaded workbook into a new job (nothing is imported yet).

    Raises ValidationError (Chinese) for a non-xlsx or unreadable file, a header without the
    template's columns, an empty sheet or too many rows.
    """
    name = os.path.basename(uploaded_file.name or "")
    if not name.lower().endswith(".xlsx"):
        raise ValidationError("请上传.xlsx格式的Excel文件（可先下载导入模板填写）。")
    if uploaded_file.size is not None and uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"文件超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB，请分成几个文件上传。")
    with tempfile.TemporaryFile() as rows_file:
        total = _convert(uploaded_file, rows_file)
        if not total:
            raise ValidationError("文件中没有人员数据：第1行为表头，从第2行起每行填写一人。")
        rows_file.seek(0)
        job = ImportJob(created_by=user, original_name=name[:200], total_rows=total)
        job.file.save(f"{uuid.uuid4().hex}.jsonl", File(rows_file, name="rows.jsonl"), save=False)
        job.save()
    return job


def _job_rows(job: ImportJob, start: int = 0, stop: int | None = None) -> Iterator[tuple]:
    """(row number, [values in COLUMNS order]) for rows start..stop of the job's row file."""
    with job.file.storage.open(job.file.name, "rb") as f:
        for line in itertools.islice(f, start, stop):
            number, *values = json.loads(line)
            yield number, values


# --- Validating one row ----------------------------------------------------------------------

AMBIGUOUS = object()


@dataclass
class ImportContext:
    """What a row is checked against: the importer's organisations, the units, today."""

    orgs: dict[str, Organisation]
    units: dict[str, object]  # name → Unit, or AMBIGUOUS when several units share the name
    classes: dict[tuple[int, str], Unit]  # (college id, class name) → class unit
    today: date = field(default_factory=timezone.localdate)

    @classmethod
    def for_user(cls, user) -> "ImportContext":
        orgs = {o.code: o for o in Organisation.objects.editable_by(user)}
        units: dict[str, object] = {}
        classes: dict[tuple[int, str], Unit] = {}
        for unit in Unit.objects.filter(dissolved_on__isnull=True):
            if unit.kind == UnitKind.CLASS:
                classes[unit.parent_id, unit.name] = unit
            else:
                units[unit.name] = AMBIGUOUS if unit.name in units else unit
        return cls(orgs=orgs, units=units, classes=classes)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def clean_row(number: int, raw: Sequence, ctx: ImportContext) -> tuple[dict, list[dict]]:
    """Check one row. Returns (Person field values, errors); use the values only without errors.

    Each error is {"row": sheet row number, "column": column label, "message": Chinese text}.
    """
    errors: list[dict] = []

    def error(field_name: str, message: str) -> None:
        label = COLUMN_BY_FIELD[field_name].label
        errors.append({"row": number, "column": label, "message": message})

    values = dict(zip(FIELDS, raw, strict=True))
    text = {name: _text(value) for name, value in values.items()}
    out: dict = {}

    for column in COLUMNS:
        value = text[column.field]
        if column.required and not value:
            error(column.field, "必填项，不能为空")
        elif column.max_length and len(value) > column.max_length:
            error(column.field, f"不能超过{column.max_length}个字")
        elif column.choices and value:
            lookup = {label: key for key, label in column.choices}
            if value in lookup:
                out[column.field] = lookup[value]
            else:
                error(column.field, "应为以下之一：" + "、".join(column.labels))

    out["name"] = text["name"]
    out["staff_number"] = text["staff_number"]
    out["ethnicity"] = text["ethnicity"] or "汉族"
    out["note"] = text["note"]
    # The complete record's columns (choices are set above when valid).
    out.setdefault("education", "")
    out.setdefault("degree", "")
    out.setdefault("title_level", "")
    for name in ("professional_title", "post", "native_place", "relation_held_at"):
        out[name] = text[name]
    out["relation_held_here"] = out.pop("relation_held_here", "here") != "elsewhere"
    message = rules.relation_error(out["relation_held_here"], out["relation_held_at"])
    if message:
        error("relation_held_at", message)
    if out["relation_held_here"]:
        out["relation_held_at"] = ""

    # ID number, then the birth date that must agree with it.
    id_number = text["id_number"].upper()
    id_ok = False
    if isinstance(values["id_number"], float):
        error("id_number", "请以文本格式填写身份证号（Excel会把长数字的末几位变成0）")
    elif id_number:
        message = rules.id_number_error(id_number)
        if message:
            error("id_number", message)
        else:
            id_ok = True
    out["id_number"] = id_number if id_ok else None

    dates = {}
    for name in ("birth_date", "joined_on"):
        dates[name] = None
        if text[name]:
            parsed, message = core_rules.office_date(values[name])
            if message:
                error(name, message)
            elif parsed > ctx.today:
                error(name, "不能晚于今天")
            else:
                dates[name] = parsed
    birth = dates["birth_date"]
    if id_ok:
        id_birth = rules.id_birth_date(id_number)
        if birth and birth != id_birth:
            error("birth_date", f"与身份证号中的出生日期（{id_birth:%Y-%m-%d}）不一致")
        birth = birth or id_birth
    elif not text["birth_date"] and not id_number:
        error("birth_date", "未填写身份证号时，出生日期为必填项")
    out["birth_date"] = birth
    out["joined_on"] = dates["joined_on"]
    if out.get("party_status") == PartyStatus.PROBATIONARY and dates["joined_on"]:
        out["status_since"] = out["probation_starts_on"] = dates["joined_on"]
        out["probation_ends_on"] = rules.probation_end(dates["joined_on"])

    out["phone"] = text["phone"]
    message = rules.phone_error(text["phone"])
    if message:
        error("phone", message)

    out["unit"] = None
    if text["unit"]:
        unit = ctx.units.get(text["unit"])
        if unit is None:
            error("unit", f"系统中没有名为“{text['unit']}”的单位")
        elif unit is AMBIGUOUS:
            error("unit", f"系统中有多个名为“{text['unit']}”的单位，请联系组织部处理")
        else:
            out["unit"] = unit
    if text["class_unit"]:
        # A student's unit is their class, found under the college given as 所在单位.
        college = out["unit"]
        if not text["unit"]:
            error("class_unit", "填写班级时须同时填写所在单位（学院）")
        elif college is not None:
            klass = ctx.classes.get((college.pk, text["class_unit"]))
            if klass is None:
                error("class_unit", f"“{college.name}”下没有名为“{text['class_unit']}”的班级")
            else:
                out["unit"] = klass

    org = ctx.orgs.get(text["primary_org"]) if text["primary_org"] else None
    if text["primary_org"]:
        if org is None:
            error("primary_org", ORG_UNKNOWN)
        elif org.kind not in PRIMARY_ORG_KINDS:
            error("primary_org", "应填写党支部编码（党小组编码请填在“所在党小组编码”列）")
            org = None
        elif org.is_dissolved:
            error("primary_org", f"{org.name}已撤销")
            org = None
    out["primary_org"] = org

    out["group"] = None
    if text["group"]:
        group = ctx.orgs.get(text["group"])
        if group is None or group.kind != OrgKind.GROUP:
            error("group", GROUP_UNKNOWN)
        elif group.is_dissolved:
            error("group", f"{group.name}已撤销")
        elif org is not None and not group.path.startswith(org.path):
            error("group", f"{group.name}不属于{org.name}")
        else:
            out["group"] = group

    return out, errors


# --- The job: validate chunk by chunk, then write everything at once -------------------------


def error_count(errors: list[dict]) -> int:
    """How many errors a job found (the stored list is capped; see _merge_errors)."""
    return sum(e.get("count", 1) for e in errors)


def _merge_errors(stored: list[dict], new: list[dict]) -> list[dict]:
    """Stored errors plus new ones, sorted by row, capped with a line counting the rest."""
    listed = [e for e in stored if "count" not in e] + new
    omitted = sum(e["count"] for e in stored if "count" in e)
    if len(listed) > MAX_STORED_ERRORS:
        omitted += len(listed) - MAX_STORED_ERRORS
        listed = listed[:MAX_STORED_ERRORS]
    listed.sort(key=lambda e: e["row"] or 0)
    if omitted:
        listed.append(
            {"row": None, "column": "", "message": f"另有{omitted}处错误未列出", "count": omitted}
        )
    return listed


def _duplicates_in_file(job: ImportJob) -> list[dict]:
    """Every row whose ID number appears on another row of the file."""
    index = FIELDS.index("id_number")
    rows_by_id = defaultdict(list)
    for number, values in _job_rows(job):
        id_number = _text(values[index]).upper()
        if id_number:
            rows_by_id[id_number].append(number)
    errors = []
    for numbers in rows_by_id.values():
        for number in numbers if len(numbers) > 1 else ():
            others = "、".join(str(n) for n in numbers if n != number)
            errors.append(
                {"row": number, "column": "身份证号", "message": f"与第{others}行的身份证号重复"}
            )
    return errors


def _staff_numbers_taken(rows: list[tuple]) -> list[dict]:
    """Rows whose 工号/学号 is already another person's."""
    index = FIELDS.index("staff_number")
    rows_by_number = defaultdict(list)
    for number, values in rows:
        if staff_number := _text(values[index]):
            rows_by_number[staff_number].append(number)
    taken = Person.objects.filter(staff_number__in=list(rows_by_number)).values_list(
        "staff_number", flat=True
    )
    return [
        {"row": number, "column": "工号/学号", "message": "该工号/学号已登记在系统中"}
        for staff_number in taken
        for number in rows_by_number[staff_number]
    ]


def _staff_numbers_repeated(job: ImportJob) -> list[dict]:
    """Every row whose 工号/学号 appears on another row of the file."""
    index = FIELDS.index("staff_number")
    rows_by_number = defaultdict(list)
    for number, values in _job_rows(job):
        if staff_number := _text(values[index]):
            rows_by_number[staff_number].append(number)
    errors = []
    for numbers in rows_by_number.values():
        for number in numbers if len(numbers) > 1 else ():
            others = "、".join(str(n) for n in numbers if n != number)
            errors.append(
                {"row": number, "column": "工号/学号", "message": f"与第{others}行的工号/学号重复"}
            )
    return errors


def _validate_chunk(job: ImportJob, chunk: int) -> None:
    ctx = ImportContext.for_user(job.created_by)
    start = job.validated_rows
    rows = list(_job_rows(job, start, start + chunk))
    errors: list[dict] = []
    rows_by_id = defaultdict(list)
    for number, values in rows:
        fields, row_errors = clean_row(number, values, ctx)
        errors += row_errors
        if fields["id_number"]:
            rows_by_id[fields["id_number"]].append(number)
    # ID numbers are encrypted: look them up by their keyed hash.
    by_hash = {keyed_hash(id_number): id_number for id_number in rows_by_id}
    existing = Person.objects.filter(id_number_hash__in=list(by_hash)).values_list(
        "id_number_hash", flat=True
    )
    for digest in existing:
        for number in rows_by_id[by_hash[digest]]:
            errors.append(
                {"row": number, "column": "身份证号", "message": "该身份证号已登记在系统中"}
            )
    errors += _staff_numbers_taken(rows)
    errors.sort(key=lambda e: e["row"])

    done = start + len(rows)
    merged = _merge_errors(job.errors, errors)
    state = ImportJob.State.VALIDATING
    if done >= job.total_rows or not rows:
        done = job.total_rows
        merged = _merge_errors(merged, _duplicates_in_file(job))
        merged = _merge_errors(merged, _staff_numbers_repeated(job))
        state = ImportJob.State.INVALID if merged else ImportJob.State.IMPORTING
    # Conditional update: a concurrent step on the same chunk makes this one a no-op.
    updated = ImportJob.objects.filter(
        pk=job.pk, state=ImportJob.State.VALIDATING, validated_rows=start
    ).update(validated_rows=done, errors=merged, state=state)
    if updated and state == ImportJob.State.INVALID:
        _discard_rows(job)


class _RowsChanged(Exception):
    """A row that passed validation fails when written (e.g. an organisation was dissolved)."""

    def __init__(self, errors):
        self.errors = errors


def _audit_event(person: Person, *, actor, content_type, note: str) -> AuditEvent:
    after = audit.snapshot(person, PERSON_FIELDS + ["party_status", "joined_on"])
    return AuditEvent(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        content_type=content_type,
        object_id=person.pk,
        object_repr=str(person)[:200],
        changes=field_changes({}, after),
        note=note,
    )


def _import_all(job: ImportJob) -> None:
    try:
        with transaction.atomic():
            claimed = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.IMPORTING).update(
                state=ImportJob.State.DONE
            )
            if not claimed:  # another step is importing (or has imported) this job
                return
            created = _write_people(job)
            ImportJob.objects.filter(pk=job.pk).update(imported_rows=created)
    except _RowsChanged as exc:
        _fail(job, exc.errors)
    except IntegrityError:
        message = (
            "写入时发现身份证号与系统中已有人员重复（可能刚被他人录入），请重新上传以查看具体行。"
        )
        _fail(job, [{"row": None, "column": "身份证号", "message": message}])
    _discard_rows(job)


def _write_people(job: ImportJob) -> int:
    """Create every row's person and its audit event, in batches; returns the count."""
    ctx = ImportContext.for_user(job.created_by)
    content_type = ContentType.objects.get_for_model(Person)
    note = f"批量导入：{job.original_name}"[:500]
    created = 0
    rows = _job_rows(job)
    while batch := list(itertools.islice(rows, BATCH_SIZE)):
        people = []
        for number, values in batch:
            fields, errors = clean_row(number, values, ctx)
            if errors:
                raise _RowsChanged(errors)
            people.append(Person(**fields))
        Person.objects.bulk_create(people)
        counts.add_people(people)  # bulk_create saves no row one by one: counted here
        AuditEvent.objects.bulk_create(
            _audit_event(p, actor=job.created_by, content_type=content_type, note=note)
            for p in people
        )
        created += len(people)
    return created


def _fail(job: ImportJob, errors: list[dict]) -> None:
    ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.IMPORTING).update(
        state=ImportJob.State.INVALID, errors=_merge_errors([], errors)
    )


def _discard_rows(job: ImportJob) -> None:
    """A finished job keeps its result and errors, not the personal data it read."""
    if job.file:
        job.file.storage.delete(job.file.name)


def import_job_step(*, job: ImportJob, chunk: int = 1000) -> ImportJob:
    """Advance a job by one step: validate the next `chunk` rows, or import when all passed.

    States: validating → invalid (any error; nothing written) or importing → done.
    """
    job.refresh_from_db()
    if job.state == ImportJob.State.VALIDATING:
        _validate_chunk(job, chunk)
    elif job.state == ImportJob.State.IMPORTING:
        _import_all(job)
    job.refresh_from_db()
    return job


def import_job_run(*, job: ImportJob, chunk: int = 1000, progress=None) -> ImportJob:
    """Run a job to the end; `progress(job)` is called after each step."""
    while job.state in (ImportJob.State.VALIDATING, ImportJob.State.IMPORTING):
        job = import_job_step(job=job, chunk=chunk)
        if progress:
            progress(job)
    return job
