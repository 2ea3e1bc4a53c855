"""党内统计: the latest stored tables of an organisation at a cut-off, 重新统计, XLSX export.
The page reads a stored run (a few short queries); the counting is the background task's."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import access
from dangjian.core.export import xlsx_response
from dangjian.core.scoping import get_for_user
from dangjian.core.web import officer_required
from dangjian.org.models import Organisation
from dangjian.org.widgets import org_picker
from dangjian.statistics import exports, rules, selectors, services
from dangjian.statistics.forms import RunForm
from dangjian.statistics.permissions import RUN_STATISTICS


def _org_and_cut_off(request) -> tuple[Organisation, date]:
    """The organisation (in the user's scope, else 404) and cut-off the query string asks for,
    or the user's first organisation and this year's year end."""
    org_id = request.GET.get("org", "")
    if org_id:
        if not org_id.isdigit():
            raise Http404
        org = get_for_user(Organisation.objects.all(), request.user, pk=int(org_id))
    else:
        org = selectors.organisations_for(request.user).first()
        if org is None:
            raise PermissionDenied("仅党组织书记、委员和组织部干事可以访问。")
    today = timezone.localdate()
    try:
        cut_off = date.fromisoformat(request.GET.get("cut_off", ""))
    except ValueError:
        cut_off = rules.default_cut_off(today)
    if rules.cut_off_error(cut_off, today):
        cut_off = rules.default_cut_off(today)
    return org, cut_off


@officer_required
@require_GET
def statistics_page(request):
    org, cut_off = _org_and_cut_off(request)
    done, pending = selectors.latest_runs(org, cut_off)
    return render(
        request,
        "statistics/statistics.html",
        {
            "org": org,
            "cut_off": cut_off,
            "run": done,
            "pending": pending,
            "tables": selectors.tables_of(done) if done else [],
            "org_picker": org_picker("org", org),
            "cut_off_choices": rules.cut_off_choices(timezone.localdate()),
            "can_run": access.can(request.user, RUN_STATISTICS, org),
            "query": urlencode({"org": org.pk, "cut_off": cut_off.isoformat()}),
        },
    )


@officer_required
@require_POST
def statistics_run(request):
    form = RunForm(request.POST, organisations=Organisation.objects.visible_to(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("statistics:page")
    org, cut_off = form.cleaned_data["org"], form.cleaned_data["cut_off"]
    url = reverse("statistics:page") + "?" + urlencode({"org": org.pk, "cut_off": cut_off})
    try:
        run = services.run_request(actor=request.user, organisation=org, cut_off=cut_off)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect(url)
    run.refresh_from_db()
    if run.state == run.State.DONE:
        messages.success(request, "统计完成。")
    else:
        messages.info(request, "已开始统计，完成后刷新本页即可看到结果。")
    return redirect(url)


@officer_required
@require_GET
def statistics_export(request) -> HttpResponse:
    org, cut_off = _org_and_cut_off(request)
    done, _pending = selectors.latest_runs(org, cut_off)
    if done is None:
        raise Http404("尚无统计结果，请先重新统计。")
    content = iter([exports.workbook(done)])
    return xlsx_response(request, content, f"党内统计_{org.name}_{cut_off:%Y%m%d}.xlsx")
