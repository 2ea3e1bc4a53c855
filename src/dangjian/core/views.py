from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangjian.core.scoping import scope_for
from dangjian.org import selectors


@login_required
def home(request):
    context = {"counts": None, "roots": []}
    if scope_for(request.user).is_officer:
        counts = selectors.scope_counts(request.user)
        context["counts"] = counts
        context["roots"] = list(selectors.officer_roots(request.user))
        context["stat_cards"] = [
            ("党总支", counts["general_branches"], "bi-diagram-2"),
            ("党支部", counts["branches"], "bi-diagram-3"),
            ("党员（含预备党员）", counts["members"], "bi-person-badge"),
            ("入党申请人至发展对象", counts["pipeline"], "bi-person-up"),
        ]
    return render(request, "core/home.html", context)
