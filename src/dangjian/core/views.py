from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangjian.core.scoping import scope_for
from dangjian.org import selectors


@login_required
def home(request):
    scope = scope_for(request.user)
    context = {
        "counts": selectors.scope_counts(request.user) if scope.is_officer else None,
        "roots": selectors.officer_roots(request.user) if scope.is_officer else [],
    }
    return render(request, "core/home.html", context)
