"""帮助: the user manual, one chapter per role, rendered from docs/manual/."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangjian.manual import render as renderer
from dangjian.manual import rules, selectors


def index(request: HttpRequest) -> HttpResponse:
    """帮助 opens the chapter written for the reader's role."""
    return redirect("manual:chapter", selectors.role_chapter(request.user))


def chapter(request: HttpRequest, slug: str) -> HttpResponse:
    found = rules.BY_SLUG.get(slug)
    if found is None:
        raise Http404("没有这一章。")
    if not selectors.readable(request.user, found):
        return redirect_to_login(request.get_full_path())
    rendered = renderer.render(found)
    return render(
        request,
        "manual/chapter.html",
        {
            "chapter": found,
            "rendered": rendered,
            "chapters": selectors.chapters_for(request.user),
            "role_chapter": selectors.role_chapter(request.user),
        },
    )
