"""The type-ahead endpoints: `?q=` → `{"results": [{"id": …, "label": …}]}` (org.pickers)."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from dangjian.org import pickers


def _answer(rows: list[tuple[int, str]]) -> JsonResponse:
    return JsonResponse({"results": [{"id": pk, "label": label} for pk, label in rows]})


@login_required
@require_GET
def pick_organisations(request):
    kinds = tuple(k for k in request.GET.getlist("kind") if k in pickers.ORG_KINDS)
    return _answer(pickers.pick_organisations(request.user, request.GET.get("q", ""), kinds))


@login_required
@require_GET
def pick_people(request):
    members = request.GET.get("members") == "1"
    return _answer(pickers.pick_people(request.user, request.GET.get("q", ""), members))
