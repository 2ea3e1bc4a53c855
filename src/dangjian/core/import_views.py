"""Pages of the Excel imports of records (core.imports): the list of kinds, each kind's
template and upload page, and a job's page (progress polled with htmx, the validation result,
the confirmation). Officers only; a job is seen by its uploader alone."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import imports
from dangjian.core.models import DataImport
from dangjian.core.uploads import UploadField, help_text
from dangjian.core.web import officer_required

PREVIEW_ROWS = 10


class UploadForm(forms.Form):
    file = UploadField(
        area="imports",
        label="Excel文件",
        help_text="请使用导入模板填写，保存为.xlsx格式。" + help_text("imports"),
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )


def _spec(kind: str) -> imports.Spec:
    spec = imports.spec_for(kind)
    if spec is None:
        raise Http404
    return spec


def _own_job(request, pk) -> DataImport:
    return get_object_or_404(DataImport.objects.visible_to(request.user), pk=pk)


@officer_required
@require_GET
def import_index(request):
    recent = DataImport.objects.visible_to(request.user).only(
        "kind", "original_name", "created_at", "state", "total_rows", "imported_rows"
    )[:20]
    labels = {s.kind: s.label for s in imports.specs()}
    return render(
        request,
        "core/imports/index.html",
        {
            "specs": imports.specs(),
            "recent": [(job, labels.get(job.kind, job.kind)) for job in recent],
            "max_rows": imports.max_rows(),
        },
    )


@officer_required
@require_GET
def import_template(request, kind):
    spec = _spec(kind)
    response = HttpResponse(
        imports.build_template(spec, request.user), content_type=imports.XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{spec.label}导入模板.xlsx")
    return response


@officer_required
def import_upload(request, kind):
    spec = _spec(kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.job_create(
                actor=request.user, spec=spec, uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect("import_job", job.pk)
    recent = DataImport.objects.visible_to(request.user).filter(kind=spec.kind)[:10]
    return render(
        request,
        "core/imports/upload.html",
        {
            "spec": spec,
            "form": form,
            "recent": recent,
            "help_lines": imports.help_lines(spec),
        },
        status=400 if form.errors else 200,
    )


def _job_context(job: DataImport) -> dict:
    spec = imports.spec_for(job.kind)
    preview = []
    if job.state == DataImport.State.VALID and spec is not None:
        preview = [row[1:] for row in job.rows[:PREVIEW_ROWS]]
    done = imports.rows_done(job)
    return {
        "job": job,
        "spec": spec,
        "running": job.running,
        "done_rows": done,
        "percent": round(100 * done / job.total_rows) if job.total_rows else 100,
        "preview": preview,
        "error_count": len([e for e in job.errors if e.get("row") is not None]),
    }


@officer_required
@require_GET
def import_job(request, pk):
    job = _own_job(request, pk)
    return render(request, "core/imports/job.html", _job_context(job))


@officer_required
@require_GET
def import_progress(request, pk):
    job = _own_job(request, pk)
    return render(request, "core/imports/_progress.html", _job_context(job))


@officer_required
@require_POST
def import_commit(request, pk):
    job = _own_job(request, pk)
    try:
        imports.job_commit(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("import_job", job.pk)
