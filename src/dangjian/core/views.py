from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import reminders, uploads


@login_required
@require_POST
def reminder_dismiss(request, pk):
    """Hide one of the user's own reminders."""
    if not reminders.dismiss(person_id=request.user.person_id, pk=pk):
        raise Http404
    return redirect("home")


@login_required
@require_GET
def media_file(request, path):
    """An uploaded file (duty record attachment, task evidence, meeting attachment, development
    documents), checked against the scope of the row that holds it — never a public folder.
    Served as a download under its original name (pictures inline), typed by its content, in a
    CSP sandbox and never cached (core.uploads.serve)."""
    for model, field in uploads.protected_fields():
        row = model.objects.visible_to(request.user).filter(**{field: path}).first()
        if row is not None:
            break
    else:
        raise Http404
    file_path = (settings.MEDIA_ROOT / path).resolve()
    if settings.MEDIA_ROOT.resolve() not in file_path.parents or not file_path.is_file():
        raise Http404
    return uploads.serve(file_path, getattr(row, field).original_name)
