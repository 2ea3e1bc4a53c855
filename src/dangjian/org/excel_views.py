"""People import (template, upload, progress) and export as XLSX. Logic lives in org.excel."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.export import PersonalDataAudit, xlsx_response
from dangjian.core.web import officer_required
from dangjian.org import excel, exports, selectors, tasks
from dangjian.org.filters import PersonFilter
from dangjian.org.forms import ImportForm
from dangjian.org.models import ImportJob

STEP_ROWS = 1000  # rows validated per progress step


def _xlsx_response(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _own_job(request, pk) -> ImportJob:
    """A job is visible only to the user who uploaded it."""
    return get_object_or_404(ImportJob.objects.filter(created_by=request.user), pk=pk)


@officer_required
@require_GET
def import_template(request):
    content = excel.build_template(request.user)
    return _xlsx_response(
        HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE), "人员导入模板.xlsx"
    )


@officer_required
def person_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = excel.import_job_create(
                user=request.user, uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            # A background job (Celery; without a broker it runs here, once the upload commits).
            transaction.on_commit(lambda: tasks.run_people_import.delay(job.pk))
            return redirect("org:import_job", job.pk)
    recent = ImportJob.objects.filter(created_by=request.user).only(
        "original_name", "created_at", "state", "total_rows", "imported_rows"
    )[:10]
    return render(
        request,
        "org/person_import.html",
        {
            "form": form,
            "recent": recent,
            "columns": excel.COLUMNS,
            "max_rows": excel.MAX_ROWS,
        },
    )


def _progress_context(job: ImportJob) -> dict:
    return {
        "job": job,
        "running": job.state in (ImportJob.State.VALIDATING, ImportJob.State.IMPORTING),
        "error_count": excel.error_count(job.errors),
    }


@officer_required
@require_GET
def import_job(request, pk):
    job = _own_job(request, pk)
    return render(request, "org/import_job.html", _progress_context(job))


@officer_required
@require_GET
def import_progress(request, pk):
    """The job's state as its page polls it while the background job runs."""
    job = _own_job(request, pk)
    return render(request, "org/_import_progress.html", _progress_context(job))


@officer_required
@require_POST
def import_step(request, pk):
    """Advance a job by one step in the request (a job whose worker is gone; the command)."""
    job = _own_job(request, pk)
    job = excel.import_job_step(job=job, chunk=STEP_ROWS)
    return render(request, "org/_import_progress.html", _progress_context(job))


@officer_required
@require_GET
def person_export(request):
    people = PersonFilter.for_page(request, selectors.people_for_list(request.user)).qs
    full_identity = selectors.sees_full_identity(request.user)
    label = "人员名册（含完整身份证号、手机号）" if full_identity else "人员名册"
    audit = PersonalDataAudit(request, label)
    content = exports.export_people(
        people.order_by("name", "id"), full_identity=full_identity, count=audit.count
    )
    filename = f"人员名册-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(request, content, filename, audit=audit)
