"""一人一档 and 一支部一档: the file of one person or one organisation, on screen, as an A4
print (`?print=1`) and as its Word and PDF downloads (a person's file is personal data: the
print and the downloads are recorded)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dangjian.core import documents
from dangjian.core.scoping import get_for_user
from dangjian.org.models import Organisation, Person
from dangjian.reports.files import branch_file, person_file


@login_required
def person_file_page(request, pk, fmt=None):
    person = get_for_user(Person.objects.select_related("primary_org", "unit"), request.user, pk=pk)
    context = {"file": person_file(request.user, person, timezone.localdate())}
    if fmt or request.GET.get("print"):
        return documents.respond(
            request,
            "reports/person_file_print.html",
            context,
            fmt=fmt or "html",
            filename=f"党员一人一档（{person.name}）",
            label=f"一人一档：{person.name}",
            rows=1,
        )
    return render(request, "reports/person_file.html", context)


@login_required
def branch_file_page(request, pk, fmt=None):
    org = get_for_user(Organisation.objects.all(), request.user, pk=pk)
    context = {"file": branch_file(request.user, org, timezone.localdate())}
    if fmt or request.GET.get("print"):
        return documents.respond(
            request,
            "reports/branch_file_print.html",
            context,
            fmt=fmt or "html",
            filename=f"一支部一档（{org.name}）",
        )
    return render(request, "reports/branch_file.html", context)
