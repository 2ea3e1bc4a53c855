"""Background jobs' pages: 我的导出 (the user's recent jobs), one job's progress (polled by
htmx while it runs) and its file. A job is its owner's alone: anyone else gets 404."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from dangjian.core import jobs, security_log
from dangjian.core.models import Job, SecurityEvent

LIST_LIMIT = 50
POLL_SECONDS = 2


def _own(request, pk) -> Job:
    return get_object_or_404(Job.objects.visible_to(request.user), pk=pk)


def _context(job: Job) -> dict:
    return {"job": job, "rows": jobs.rows_so_far(job), "poll_seconds": POLL_SECONDS}


@login_required
@require_GET
def job_list(request):
    recent = Job.objects.visible_to(request.user).defer("params")[:LIST_LIMIT]
    return render(
        request,
        "core/jobs/list.html",
        {"jobs": recent, "limit": LIST_LIMIT, "keep_days": settings.EXPORT_KEEP_DAYS},
    )


@login_required
@require_GET
def job_detail(request, pk):
    return render(request, "core/jobs/detail.html", _context(_own(request, pk)))


@login_required
@require_GET
def job_progress(request, pk):
    """The progress panel alone (htmx replaces the panel with it until the job ends)."""
    return render(request, "core/jobs/_progress.html", _context(_own(request, pk)))


@login_required
@require_GET
def job_file(request, pk):
    job = _own(request, pk)
    if not job.downloadable or not job.file.storage.exists(job.file.name):
        raise Http404
    if job.params.get("personal_data"):
        security_log.record(
            SecurityEvent.Kind.EXPORT,
            request=request,
            detail=f"下载导出文件：{job.title}"[:500],
            rows=job.rows,
        )
    return jobs.file_response(job)
