"""Excel imports of records (meetings, study hours, positions, development dossiers…): one
plumbing, one `Spec` per kind of record.

An app describes an import once, in its `imports.py` (found like `permissions.py`):

    register(Spec(kind="study-hours", label="学习学时", columns=(...), example=(...),
                  write_row=..., open_context=...))

and gets the template download, the upload page (through the upload policy: `UploadField` of
the "imports" area), the background job with its progress, the validation result listing every
bad row with its column and reason, the confirmation, and the API (`/api/v1/imports/`).

How a job runs (`run`, the Celery task's body; in-process without a broker):

1. The upload is read once (openpyxl, read-only) into the job's rows; a header without the
   template's required columns, an empty sheet or more than IMPORT_MAX_ROWS rows is refused at
   once, with nothing stored.
2. **Validation** is a dry run: inside one transaction every row is written through the spec's
   `write_row`, which calls the app's own services (the rights, the rules, the audit), each row
   in its own savepoint; what a row breaks is collected as errors naming row and column. The
   transaction is then rolled back, always: the result is exactly what the import would do.
3. With no error the job waits for the officer's confirmation; **committing** runs the same
   pass again and keeps it only when every row still passes (a row that changed meanwhile
   makes it import nothing and list the rows). One bad row: nothing imported.

The rows read from the file (personal data) are dropped when the job ends; its errors stay.
"""

import logging
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dangjian.core import audit
from dangjian.core.export import workbook_bytes
from dangjian.core.models import AuditEvent, DataImport

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET = "导入数据"
HELP_SHEET = "填写说明"
EXAMPLE_PREFIX = "示例："  # a row whose first cell starts with this is the template's example
MAX_STORED_ERRORS = 1000
PROGRESS_EVERY = 50

NOT_XLSX = "无法读取该文件：请上传用Excel（或WPS）保存的.xlsx文件，不支持.xls、.csv等格式。"
INTERNAL = "导入失败：系统内部错误，已记录日志，未导入任何数据。请稍后重试或联系系统管理员。"

HEADER_FILL = PatternFill("solid", fgColor="B4141B")
HEADER_FONT = Font(bold=True, color="FFFFFF")
EXAMPLE_FONT = Font(italic=True, color="808080")


@dataclass(frozen=True)
class Column:
    label: str
    field: str
    required: bool = False
    rule: str = ""
    width: int = 12
    choices: tuple[str, ...] = ()  # the labels a cell may hold (a drop-down in the template)
    text: bool = False  # formatted as text in the template (long digit strings, codes)
    aliases: tuple[str, ...] = ()  # other headers accepted (a learning platform's export)

    @property
    def header(self) -> str:
        return f"{self.label}*" if self.required else self.label

    @property
    def labels(self) -> tuple[str, ...]:
        return self.choices


class RowError(Exception):
    """What is wrong with one row: [(field, message)], each message in Chinese."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class Spec:
    """One kind of import. `write_row(actor, values, ctx)` writes one row (values by column
    field, cells as read: text, numbers, dates) through the app's services, raising RowError
    (or the services' ValidationError / PermissionDenied) when the row is wrong;
    `open_context(user)` makes what rows share (look-up caches), once per pass;
    `check_file(rows)` finds errors across rows (the same record twice in the file) as
    [(row number, field, message)]; `template_sheets(user, workbook)` adds reference sheets
    (the organisations the importer may name)."""

    kind: str
    label: str
    noun: str  # what one row is, e.g. "次会议"
    columns: tuple[Column, ...]
    example: tuple
    write_row: Callable[[Any, dict, Any], Any]
    open_context: Callable[[Any], Any] = lambda user: None
    check_file: Callable[[list[tuple[int, dict]]], list[tuple[int, str, str]]] | None = None
    template_sheets: Callable[[Any, Workbook], None] | None = None
    notes: tuple[str, ...] = ()
    source: str = ""  # the documents whose rules the rows are checked against
    errors_by_field: dict[str, str] = field(default_factory=dict)  # service field → column

    def column_label(self, field_name: str) -> str:
        """The column a service's field error belongs to ("" for the row as a whole)."""
        field_name = self.errors_by_field.get(field_name, field_name)
        for column in self.columns:
            if column.field == field_name:
                return column.label
        return ""


_SPECS: dict[str, Spec] = {}


def register(spec: Spec) -> Spec:
    _SPECS[spec.kind] = spec
    return spec


def specs() -> list[Spec]:
    return list(_SPECS.values())


def spec_for(kind: str) -> Spec | None:
    return _SPECS.get(kind)


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


# --- cells -----------------------------------------------------------------------------------


def text(value: Any) -> str:
    """A cell as text: whole numbers without ".0" (Excel stores 工号 as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _json_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    return value


# --- the template ----------------------------------------------------------------------------


def build_template(spec: Spec, user) -> bytes:
    """The import template: the data sheet (headers, one example row), the filling rules, and
    the spec's reference sheets."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    example = list(spec.example)
    example[0] = f"{EXAMPLE_PREFIX}{example[0]}"
    write_data_sheet(ws, spec.columns, example, max_rows())

    write_help_sheet(wb, spec.columns, help_lines(spec), label_width=18)
    if spec.template_sheets is not None:
        spec.template_sheets(user, wb)
    return workbook_bytes(wb)


def write_data_sheet(ws: Any, columns: Sequence[Any], example: list, limit: int) -> None:
    """An import template's data sheet: the header row, the example row in grey, each column's
    width, text columns formatted as text, a drop-down of its labels for a column with
    choices (its `labels`), the header frozen. Shared with the people import (org.excel)."""
    ws.append([c.header for c in columns])
    ws.append(example)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header = ws.cell(row=1, column=index)
        header.fill, header.font = HEADER_FILL, HEADER_FONT
        header.alignment = Alignment(horizontal="center", vertical="center")
        ws.cell(row=2, column=index).font = EXAMPLE_FONT
        ws.column_dimensions[letter].width = column.width + 2
        if column.text:
            ws.column_dimensions[letter].number_format = "@"
            ws.cell(row=2, column=index).number_format = "@"
        if column.labels:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.labels) + '"',
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="填写有误",
                error=f"{column.label}应为：" + "、".join(column.labels),
            )
            validation.add(f"{letter}2:{letter}{limit + 1}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"


def write_help_sheet(
    wb: Any, columns: Sequence[Any], lines: Sequence[str], label_width: int
) -> None:
    """The template's 填写说明: each column required or not and its rule, then the lines."""
    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.append(["列名", "是否必填", "填写要求"])
    for column in columns:
        help_ws.append([column.label, "必填" if column.required else "选填", column.rule])
    help_ws.append([])
    for line in lines:
        help_ws.append([line])
    for cell in help_ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    help_ws.column_dimensions["A"].width = label_width
    help_ws.column_dimensions["B"].width = 10
    help_ws.column_dimensions["C"].width = 90


def help_lines(spec: Spec) -> list[str]:
    return [
        f"1. 每行填写一{spec.noun}；第1行为表头，请勿修改、删除表头（列的顺序可以调整）。",
        f"2. 第2行为示例（第一列以“{EXAMPLE_PREFIX}”开头），导入时自动跳过，可删除。",
        f"3. 系统先逐行校验全部数据；只要有一处错误，本次不导入任何数据，并按行号和列名列出全部"
        f"问题。单次最多导入{max_rows()}行。",
        "4. 日期填写如2024-05-01或2024/5/1；工号、身份证号和组织编码请以文本格式填写。",
        *spec.notes,
    ]


# --- reading the upload ----------------------------------------------------------------------


def _normalise_header(value: Any) -> str:
    return str(value or "").strip().rstrip("*＊").strip()


def _positions(spec: Spec, header: Sequence) -> list[int]:
    found: dict[str, int] = {}
    for index, value in enumerate(header):
        found.setdefault(_normalise_header(value), index)
    positions, missing = [], []
    for column in spec.columns:
        at = next((found[n] for n in (column.label, *column.aliases) if n in found), -1)
        if at < 0 and column.required:
            missing.append(column.label)
        positions.append(at)
    if missing:
        raise ValidationError(
            f"表头缺少以下列：{'、'.join(missing)}。请下载导入模板，不要修改第1行表头。"
        )
    return positions


def _unpacked_bytes(uploaded_file) -> int:
    """What the workbook's parts declare they unpack to (zipfile never yields more than the
    declared size); 0 when it is no zip (load_workbook then says it is not an xlsx)."""
    try:
        uploaded_file.seek(0)
        with zipfile.ZipFile(uploaded_file) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return 0
    finally:
        uploaded_file.seek(0)


def read_rows(spec: Spec, uploaded_file) -> list[list]:
    """[[sheet row number, value of each column…]] of the upload's first (or data) sheet;
    blank rows and the example row skipped. Raises ValidationError (Chinese).

    The work is bounded before and while reading (the upload limit counts compressed bytes,
    and a few MB of XML rows compress to almost nothing): the parts may unpack to at most
    IMPORT_MAX_UNPACKED_MB, the sheet is read up to twice IMPORT_MAX_ROWS rows, blank ones
    included, and only as wide as the columns the import reads."""
    unpacked_mb = settings.IMPORT_MAX_UNPACKED_MB
    if _unpacked_bytes(uploaded_file) > unpacked_mb * 1024 * 1024:
        raise ValidationError(
            f"该文件解压后超过{unpacked_mb}MB，不像是导入模板：请只保留“{DATA_SHEET}”表中的数据，"
            "或分成几个文件上传。"
        )
    try:
        wb = load_workbook(uploaded_file, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML or openpyxl errors: all mean "not a usable xlsx"
        logger.info("unreadable import file: %r", exc)
        raise ValidationError(NOT_XLSX) from exc
    limit = max_rows()
    scanned = 2 * limit
    try:
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        header = next(ws.iter_rows(max_row=1, values_only=True), None) or ()
        positions = _positions(spec, header)
        width = max(positions) + 1
        rows = ws.iter_rows(min_row=2, max_col=width, values_only=True)
        out: list[list] = []
        for number, row in enumerate(rows, start=2):
            if number > scanned + 1:
                raise ValidationError(
                    f"文件超过{scanned}行（含空行）：请删除多余的空行，单次最多导入{limit}行。"
                )
            values = [_json_cell(row[i]) if 0 <= i < len(row) else None for i in positions]
            if all(v is None or v == "" for v in values):
                continue
            if str(values[0] or "").startswith(EXAMPLE_PREFIX):
                continue
            if len(out) >= limit:
                raise ValidationError(f"单次最多导入{limit}行，请分成几个文件上传。")
            out.append([number, *values])
        return out
    except ValidationError:
        raise
    except Exception as exc:
        logger.info("unreadable import sheet: %r", exc)
        raise ValidationError(NOT_XLSX) from exc
    finally:
        wb.close()


def job_create(*, actor, spec: Spec, uploaded_file) -> DataImport:
    """Read an upload (already through the upload policy) into a new job and queue it for
    validation. Raises ValidationError (Chinese) for a file that cannot be imported."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录。")
    rows = read_rows(spec, uploaded_file)
    if not rows:
        raise ValidationError(f"文件中没有数据：第1行为表头，从第2行起每行填写一{spec.noun}。")
    name = os.path.basename(getattr(uploaded_file, "name", "") or "")[:200]
    job = DataImport.objects.create(
        kind=spec.kind,
        created_by=actor,
        original_name=name,
        total_rows=len(rows),
        rows=rows,
    )
    start(job)
    return job


@transaction.atomic
def job_commit(*, actor, job: DataImport) -> DataImport:
    """The officer confirms a validated import: queue the writing pass."""
    job = DataImport.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != getattr(actor, "pk", None):
        raise PermissionDenied("只能确认自己上传的导入。")
    if job.state != DataImport.State.VALID:
        raise ValidationError(f"该导入的状态为“{job.get_state_display()}”，不能确认导入。")
    job.state = DataImport.State.COMMIT_QUEUED
    job.save(update_fields=["state"])
    start(job)
    return job


# --- running ---------------------------------------------------------------------------------


def start(job: DataImport) -> None:
    """Queue the job's next pass once the transaction commits (without a broker Celery runs
    it here and now)."""
    from dangjian.core.tasks import run_import

    transaction.on_commit(lambda: run_import.delay(job.pk))


def _progress_key(job_id: int) -> str:
    return f"import:{job_id}:rows"


def rows_done(job: DataImport) -> int:
    """Rows checked so far: reported through the cache, since the pass runs in a transaction."""
    if job.running:
        return cache.get(_progress_key(job.pk)) or 0
    return job.total_rows


def run(job_id: int) -> None:
    """Run a queued pass (validation, or the confirmed import) of a job to its end. A job
    taken by another worker, or not queued, is left alone."""
    State = DataImport.State
    claimed = DataImport.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.VALIDATING
    )
    commit = False
    if not claimed:
        commit = bool(
            DataImport.objects.filter(pk=job_id, state=State.COMMIT_QUEUED).update(
                state=State.IMPORTING
            )
        )
        if not commit:
            return
    job = DataImport.objects.select_related("created_by").get(pk=job_id)
    spec = spec_for(job.kind)
    try:
        if spec is None:
            raise RuntimeError(f"unknown import kind {job.kind!r}")
        errors, written = _pass(spec, job, commit=commit)
    except Exception:
        logger.exception("import job %s failed", job_id)
        _finish(job, State.FAILED, errors=[{"row": None, "column": "", "message": INTERNAL}])
        return
    if errors:
        _finish(job, State.INVALID, errors=errors)
    elif commit:
        _finish(job, State.DONE, imported=written)
        audit.record(
            actor=job.created_by,
            action=AuditEvent.Action.IMPORT,
            obj=job,
            note=f"{spec.label}导入：{job.original_name}，{written}行",
        )
    else:
        DataImport.objects.filter(pk=job.pk).update(state=State.VALID, errors=[])
    cache.delete(_progress_key(job.pk))


def _finish(job: DataImport, state: str, *, errors=(), imported: int = 0) -> None:
    """The end of a job: its result kept, the rows it read (personal data) dropped."""
    DataImport.objects.filter(pk=job.pk).update(
        state=state,
        errors=_capped(list(errors)),
        imported_rows=imported,
        rows=[],
        finished_at=timezone.now(),
    )


def _capped(errors: list[dict]) -> list[dict]:
    errors.sort(key=lambda e: e["row"] or 0)
    if len(errors) > MAX_STORED_ERRORS:
        rest = len(errors) - MAX_STORED_ERRORS
        errors = errors[:MAX_STORED_ERRORS]
        errors.append({"row": None, "column": "", "message": f"另有{rest}处错误未列出"})
    return errors


def _row_errors(spec: Spec, number: int, exc: Exception) -> list[dict]:
    if isinstance(exc, RowError):
        pairs = exc.problems
    elif isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            pairs = [(f, m) for f, msgs in exc.message_dict.items() for m in msgs]
        else:
            pairs = [("", m) for m in exc.messages]
    else:  # PermissionDenied: the refusal names the rule
        pairs = [("", str(exc) or "您无权办理这一行的事项")]
    return [
        {"row": number, "column": spec.column_label(f), "message": str(m).rstrip("。")}
        for f, m in pairs
    ]


def _pass(spec: Spec, job: DataImport, *, commit: bool) -> tuple[list[dict], int]:
    """Write every row through the spec in one transaction, each row in its own savepoint;
    keep it only when `commit` and no row failed. Returns (errors, rows written)."""
    fields = [c.field for c in spec.columns]
    rows = [(row[0], dict(zip(fields, row[1:], strict=True))) for row in job.rows]
    errors: list[dict] = []
    repeated: set[int] = set()  # rows repeating an earlier one: not written (no second error)
    if spec.check_file is not None:
        for number, field_name, message in spec.check_file(rows):
            repeated.add(number)
            errors.append(
                {"row": number, "column": spec.column_label(field_name), "message": message}
            )
    written = 0
    actor = job.created_by
    with transaction.atomic():
        ctx = spec.open_context(actor)
        for index, (number, values) in enumerate(rows, start=1):
            if number in repeated:
                continue
            try:
                with transaction.atomic():
                    spec.write_row(actor, values, ctx)
                written += 1
            except (RowError, ValidationError, PermissionDenied) as exc:
                errors.extend(_row_errors(spec, number, exc))
            if index % PROGRESS_EVERY == 0:
                cache.set(_progress_key(job.pk), index, timeout=3600)
        if errors or not commit:
            transaction.set_rollback(True)
    return errors, written


STALE = "导入长时间未完成（后台服务可能已重启），未导入任何数据，请重新上传。"


def sweep_stale(now=None) -> int:
    """Jobs left queued or running longer than JOB_STALE_HOURS (their worker is gone): failed,
    their rows dropped. Nothing of theirs was written (a pass commits all rows or none)."""
    from datetime import timedelta

    now = now or timezone.now()
    stale = now - timedelta(hours=settings.JOB_STALE_HOURS)
    running = [s for s in DataImport.State if s in RUNNING_STATES]
    return DataImport.objects.filter(state__in=running, created_at__lt=stale).update(
        state=DataImport.State.FAILED,
        errors=[{"row": None, "column": "", "message": STALE}],
        rows=[],
        finished_at=now,
    )


RUNNING_STATES = (
    DataImport.State.QUEUED,
    DataImport.State.VALIDATING,
    DataImport.State.COMMIT_QUEUED,
    DataImport.State.IMPORTING,
)
