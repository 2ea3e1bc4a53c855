"""一人一档 and 一支部一档: the file of one person or one organisation, on screen and as an A4
print (a person's print is recorded as a print of personal data)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dangjian.core.export import render_print
from dangjian.core.scoping import get_for_user
from dangjian.org.models import Organisation, Person
from dangjian.reports.files import branch_file, person_file


@login_required
def person_file_page(request, pk):
    person = get_for_user(Person.objects.select_related("primary_org", "unit"), request.user, pk=pk)
    context = {"file": person_file(request.user, person, timezone.localdate())}
    if request.GET.get("print"):
        return render_print(
            request,
            "reports/person_file_print.html",
            context,
            label=f"一人一档：{person.name}",
            rows=1,
        )
    return render(request, "reports/person_file.html", context)


@login_required
def branch_file_page(request, pk):
    org = get_for_user(Organisation.objects.all(), request.user, pk=pk)
    context = {"file": branch_file(request.user, org, timezone.localdate())}
    template = (
        "reports/branch_file_print.html" if request.GET.get("print") else "reports/branch_file.html"
    )
    return render(request, template, context)
