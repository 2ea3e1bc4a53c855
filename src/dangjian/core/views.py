from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import reminders, uploads
from dangjian.core.scoping import scope_for
from dangjian.org import selectors
from dangjian.reports import dashboard


@login_required
def home(request):
    context = {"counts": None, "roots": []}
    if scope_for(request.user).is_officer:
        counts = selectors.scope_counts(request.user)
        context["counts"] = counts
        context["roots"] = list(selectors.officer_roots(request.user))
        context["todos"] = dashboard.officer_todos(request.user)
        context["evaluation_todos"] = dashboard.evaluation_todos(request.user)
        context["quarter_reports"] = dashboard.officer_reports(request.user)
        context["stat_cards"] = [
            ("党总支", counts["general_branches"], "bi-diagram-2"),
            ("党支部", counts["branches"], "bi-diagram-3"),
            ("党员（含预备党员）", counts["members"], "bi-person-badge"),
            ("入党申请人至发展对象", counts["pipeline"], "bi-person-up"),
        ]
    person = request.user.person
    if person is not None and person.is_member:
        context["mine"] = dashboard.member_overview(person)
    context["reminders"] = list(reminders.open_for(request.user.person_id))
    context["today"] = timezone.localdate()
    return render(request, "core/home.html", context)


@login_required
@require_POST
def reminder_dismiss(request, pk):
    """Hide one of the user's own reminders."""
    if not reminders.dismiss(person_id=request.user.person_id, pk=pk):
        raise Http404
    return redirect("home")


# Uploaded files and the rows that own them: a file is served only to users who may see its row.
PROTECTED_FILES = (
    ("posts.DutyRecord", "attachment"),
    ("targets.TaskProgress", "evidence"),
    ("orglife.Meeting", "attachment"),
    ("development.CaseEvent", "document"),
    ("development.ProbationReport", "document"),
    ("assessment.ItemScore", "evidence"),
    ("assessment.BonusClaim", "evidence"),
)


@login_required
@require_GET
def media_file(request, path):
    """An uploaded file (duty record attachment, task evidence, meeting attachment, development
    documents), checked against the scope of the row that holds it — never a public folder.
    Served as a download under its original name (pictures inline), typed by its content, in a
    CSP sandbox and never cached (core.uploads.serve)."""
    for label, field in PROTECTED_FILES:
        model = apps.get_model(label)
        row = model.objects.visible_to(request.user).filter(**{field: path}).first()
        if row is not None:
            break
    else:
        raise Http404
    file_path = (settings.MEDIA_ROOT / path).resolve()
    if settings.MEDIA_ROOT.resolve() not in file_path.parents or not file_path.is_file():
        raise Http404
    return uploads.serve(file_path, getattr(row, field).original_name)
