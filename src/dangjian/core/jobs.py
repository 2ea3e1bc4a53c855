"""Background jobs (core.Job) on Celery: every XLSX export runs as one.

How an export becomes a job, with one code path for every export page:

1. The export view runs as it always did (scope, rights, filters) and ends with
   `core.export.xlsx_response(request, content, filename, audit=...)`; `content` is a
   generator that has not read a row yet.
2. `xlsx_response` calls `export_response`, which records a Job (the owner, the page's path and
   query string, the client's address and host) and queues it for a Celery worker (`start`);
   the generator is dropped unread and the browser goes to the job's page, which polls its
   progress (htmx) and offers the file when it is done.
3. The worker (`run`) asks the same view again, as the job's owner, with a request rebuilt from
   the job (`_request_for`): the view's scope and rights are checked again at run time, and its
   `xlsx_response` now returns the unread content (`ExportResult`), which the worker writes to
   the job's file (`_write`: counting rows for the progress bar, recording the personal-data
   audit).

Without a broker (the demo, the tests: CELERY_TASK_ALWAYS_EAGER) step 2 writes the content the
view has just prepared (`_write`, the same as the worker) and answers with the file, as before
jobs; the job is in 我的导出 all the same.

On PostgreSQL the export runs inside a transaction, so `QuerySet.iterator()` streams through a
server-side cursor declared without `WITH HOLD` (outside a transaction Django declares it
`WITH HOLD`, and PostgreSQL materialises the whole result before the first row).
"""

import contextlib
import contextvars
import io
import itertools
import logging
import queue
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage import default_storage as message_storage
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.http import content_disposition_header
from django_htmx.middleware import HtmxDetails

from dangjian.core.models import Job
from dangjian.core.web import client_address

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_EVERY = 5000  # rows between two progress reports
FILE_CHUNK = 256 * 1024

NOT_FOUND = "要导出的内容不存在，或您已无权查看。"
REFUSED = "您没有导出该内容的权限。"
NO_FILE = "导出未生成文件：请回到原页面检查筛选条件后重新导出。"
INTERNAL = "导出失败：系统内部错误，已记录日志。请稍后重试，或联系系统管理员。"
STALE = "任务长时间未完成（后台服务可能已重启），请重新导出。"


class JobFailed(Exception):
    """A job that cannot finish, with the reason shown to its owner (Chinese)."""


# --- the export's side: what xlsx_response does ---------------------------------------------


class ExportResult(HttpResponse):
    """What an export view answers inside a job: the workbook still to be written."""

    def __init__(self, content: Iterable[bytes], filename: str, audit: Any = None):
        super().__init__()
        self.export_content = content
        self.filename = filename
        self.audit = audit


def export_response(
    request: HttpRequest, content: Iterable[bytes], filename: str, audit: Any = None
) -> HttpResponse:
    """The answer of an export view: inside its job the content to write; in a web request a
    new job — queued for a worker, or (no broker) run here on the content the view has just
    prepared, answering with its file."""
    if getattr(request, "job", None) is not None:
        return ExportResult(content, filename, audit)
    if not request.user.is_authenticated:  # every export page signs in first; a job has an owner
        raise PermissionDenied(REFUSED)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        job = Job.objects.create(
            owner=request.user,
            title=filename[:200],
            params=_params(request),
            state=Job.State.RUNNING,
            started_at=timezone.now(),
        )
        _complete(job, lambda: ExportResult(content, filename, audit), worker=False)
        if job.downloadable:
            return file_response(job)
        return redirect("job_detail", job.pk)
    close = getattr(content, "close", None)
    if close is not None:
        close()  # an unstarted generator: nothing was read; the worker asks the view again
    job = Job.objects.create(owner=request.user, title=filename[:200], params=_params(request))
    start(job)
    return redirect("job_detail", job.pk)


def _params(request: HttpRequest) -> dict:
    return {
        "path": escape_uri_path(request.path_info),
        "query": request.META.get("QUERY_STRING", ""),
        "ip": client_address(request),
        "host": request.get_host(),
        "secure": request.is_secure(),
    }


@dataclass
class _Progress:
    job_id: int
    rows: int = 0

    def add(self, n: int = 1) -> None:
        before = self.rows
        self.rows += n
        if before // PROGRESS_EVERY != self.rows // PROGRESS_EVERY:
            report_rows(self.job_id, self.rows)


_progress: contextvars.ContextVar[_Progress | None] = contextvars.ContextVar(
    "job_progress", default=None
)


def counted(rows: Iterable) -> Iterator:
    """`rows` as they are written; inside a job each one advances its progress."""
    progress = _progress.get()
    if progress is None:
        yield from rows
        return
    for row in rows:
        progress.add()
        yield row


def read_ahead(rows: Iterator, batch: int = 2000, depth: int = 4) -> Iterator:
    """`rows` (a streaming query), read by a helper thread up to `depth` batches ahead, so that
    the database's work and the fetching overlap the caller's writing of the file.

    On PostgreSQL only: the first batch is read here, so the query runs on this thread's
    connection inside its transaction (no `WITH HOLD`); the helper then only fetches further
    batches from the same server-side cursor. Elsewhere `rows` as they are."""
    if connection.vendor != "postgresql":
        yield from rows
        return
    first = list(itertools.islice(rows, batch))
    yield from first
    if len(first) < batch:
        return
    batches: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: Any) -> bool:
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def fetch() -> None:
        try:
            while offer(chunk := list(itertools.islice(rows, batch))) and chunk:
                pass
        except BaseException as error:  # noqa: BLE001 - handed to the reader below
            offer(error)

    helper = threading.Thread(target=fetch, name="export-read-ahead", daemon=True)
    helper.start()
    try:
        while (chunk := batches.get()) != []:
            if isinstance(chunk, BaseException):
                raise chunk
            yield from chunk
    finally:
        stop.set()  # the reader stopped early (an error, a closed download): the helper ends
        helper.join()


# Progress goes to the cache, not the job's row: the export runs inside a transaction (above),
# so a row written there would stay invisible to the page polling it until the end.
def _progress_key(job_id: int) -> str:
    return f"job:{job_id}:rows"


def report_rows(job_id: int, rows: int) -> None:
    cache.set(_progress_key(job_id), rows, timeout=settings.JOB_STALE_HOURS * 3600)


def rows_so_far(job: Job) -> int:
    """Rows written: while running, as last reported; then as recorded."""
    if job.running:
        return cache.get(_progress_key(job.pk)) or 0
    return job.rows


# --- queueing and running --------------------------------------------------------------------


def start(job: Job) -> None:
    """Queue the job for a worker once the transaction that made it commits (with no broker,
    Celery runs the task here and now)."""
    from dangjian.core.tasks import run_job

    transaction.on_commit(lambda: run_job.delay(job.pk))


def run(job_id: int) -> None:
    """Run a queued job to its end (the Celery task's body). A job already taken by another
    worker, or finished, is left alone (the broker may deliver a task twice)."""
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    _complete(job, lambda: _export_of(job), worker=True)


def _complete(job: Job, produce: Callable[[], ExportResult], *, worker: bool) -> None:
    """Write the export `produce` gives and record the job done, or failed with the reason."""
    try:
        name, rows, personal = _write(job, produce, worker=worker)
    except JobFailed as exc:
        _finish(job, Job.State.FAILED, error=str(exc))
    except Exception:
        logger.exception("export job %s failed", job.pk)
        _finish(job, Job.State.FAILED, error=INTERNAL)
    else:
        _finish(job, Job.State.DONE, name=name, rows=rows, personal=personal)


def _finish(
    job: Job, state: str, *, name: str = "", rows: int = 0, error: str = "", personal=False
) -> None:
    """One UPDATE, mirrored on `job`."""
    now = timezone.now()
    fields = {
        "state": state,
        "file": name,
        "file_size": job.file.storage.size(name) if name else 0,
        "rows": rows,
        "error": error[:500],
        "finished_at": now,
        "expires_at": now + timedelta(days=settings.EXPORT_KEEP_DAYS),
    }
    if personal:
        fields["params"] = {**job.params, "personal_data": True}
    Job.objects.filter(pk=job.pk).update(**fields)
    for field, value in fields.items():
        setattr(job, field, value)
    cache.delete(_progress_key(job.pk))


@contextlib.contextmanager
def _streaming(*, worker: bool) -> Iterator[None]:
    """On PostgreSQL, a transaction: server-side cursors without WITH HOLD (already so inside
    one). A worker's is exempt from the statement timeout of web requests. Elsewhere nothing:
    SQLite's transactions here take the write lock (`transaction_mode: IMMEDIATE`), and its
    cursors stream anyway."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if worker:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 0")
        yield


def _write(job: Job, produce: Callable[[], ExportResult], *, worker: bool) -> tuple[str, int, bool]:
    """(file name, rows, whether personal data) of the export, written to the job's storage."""
    storage = job.file.storage
    # A fresh name (uuid): removed below if anything fails, even halfway through writing it.
    name = job.file.field.generate_filename(job, f"{uuid.uuid4().hex}{_suffix(job.title)}")
    try:
        with _streaming(worker=worker):
            result = produce()
            progress = _Progress(job.pk)
            token = _progress.set(progress)
            try:
                name = storage.save(
                    name, File(_Reader(result.export_content), f"export{_suffix(job.title)}")
                )
            finally:
                _progress.reset(token)
            if result.audit is not None:
                result.audit.record()
            return name, progress.rows, result.audit is not None
    except BaseException:
        storage.delete(name)  # no error when it was never written
        raise


def _export_of(job: Job) -> ExportResult:
    """The export the job's page makes for its owner now (scope and rights checked again)."""
    request = _request_for(job)
    match = resolve(request.path_info)
    request.resolver_match = match
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Http404 as exc:
        raise JobFailed(NOT_FOUND) from exc
    except PermissionDenied as exc:
        raise JobFailed(str(exc.args[0]) if exc.args else REFUSED) from exc
    if not isinstance(response, ExportResult):
        raise JobFailed(_why_no_file(request, response))
    return response


def _why_no_file(request: HttpRequest, response: HttpResponse) -> str:
    said = [str(message) for message in get_messages(request)]
    if said:
        return "；".join(said)
    if response.status_code == 403:
        return REFUSED
    if response.status_code == 404:
        return NOT_FOUND
    return NO_FILE


def _request_for(job: Job) -> HttpRequest:
    """The request that started the job, rebuilt for its owner: same page, query string, host
    and client address (the audit records them)."""
    params = job.params
    path = unquote_to_bytes(params["path"]).decode("iso-8859-1")  # WSGI's PATH_INFO
    ip = params.get("ip") or "127.0.0.1"
    secure = bool(params.get("secure"))
    host = params.get("host") or (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".")
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": params.get("query", ""),
        "SERVER_NAME": host.split(":")[0],
        "SERVER_PORT": "443" if secure else "80",
        "HTTP_HOST": host,
        "REMOTE_ADDR": ip,
        "HTTP_X_FORWARDED_FOR": ip,
        "wsgi.url_scheme": "https" if secure else "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    if secure and settings.SECURE_PROXY_SSL_HEADER:
        environ[settings.SECURE_PROXY_SSL_HEADER[0]] = settings.SECURE_PROXY_SSL_HEADER[1]
    request = WSGIRequest(environ)
    request.user = job.owner
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()  # never saved
    request._messages = message_storage(request)  # type: ignore[attr-defined]
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    request.job = job  # type: ignore[attr-defined]
    return request


class _Reader(io.RawIOBase):
    """The export's pieces as a file to read (what storage.save takes)."""

    def __init__(self, pieces: Iterable[bytes]):
        self._pieces = iter(pieces)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            piece = next(self._pieces, None)
            if piece is None:
                break
            self._buffer += piece
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


# --- the file, and cleaning up ----------------------------------------------------------------


# Besides XLSX exports, jobs write the Word and PDF downloads of long print pages
# (core.documents); the file's kind is its title's suffix.
CONTENT_TYPES = {
    ".xlsx": XLSX_CONTENT_TYPE,
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _suffix(title: str) -> str:
    suffix = "." + title.rsplit(".", 1)[-1].lower() if "." in title else ""
    return suffix if suffix in CONTENT_TYPES else ".xlsx"


def file_response(job: Job) -> FileResponse:
    """The job's file as a download under its title, never cached."""
    response = FileResponse(
        job.file.storage.open(job.file.name, "rb"), content_type=CONTENT_TYPES[_suffix(job.title)]
    )
    response["Content-Disposition"] = content_disposition_header(True, job.title)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@dataclass
class SweepResult:
    expired: int = 0
    stale: int = 0


def sweep(now=None) -> SweepResult:
    """Remove expired jobs with their files; record jobs left queued or running too long (their
    worker is gone) as failed. Safe to run often (the reminder sweep runs it)."""
    now = now or timezone.now()
    result = SweepResult()
    for job in Job.objects.filter(expires_at__lt=now).only("pk", "file"):
        if job.file:
            job.file.storage.delete(job.file.name)
        job.delete()
        result.expired += 1
    stale = now - timedelta(hours=settings.JOB_STALE_HOURS)
    result.stale = Job.objects.filter(
        state__in=[Job.State.QUEUED, Job.State.RUNNING], created_at__lt=stale
    ).update(
        state=Job.State.FAILED,
        error=STALE,
        finished_at=now,
        expires_at=now + timedelta(days=settings.EXPORT_KEEP_DAYS),
    )
    from dangjian.core import imports  # the record imports' jobs (core.imports)

    result.stale += imports.sweep_stale(now)
    return result
