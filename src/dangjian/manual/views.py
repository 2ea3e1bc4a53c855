"""帮助: the user manual, one chapter per role, rendered from docs/manual/."""

from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from dangjian.manual import render as renderer
from dangjian.manual import rules, selectors


def index(request: HttpRequest) -> HttpResponse:
    """帮助 opens the chapter written for the reader's role; from a page (?page=<URL name>, the
    top bar's link) at the section explaining that page, in the reader's own chapter when it
    has one and it may be read."""
    mine = selectors.role_chapter(request.user)
    chapter, anchor = rules.help_section(request.GET.get("page", "")[:100], mine)
    if not selectors.readable(request.user, rules.BY_SLUG[chapter]):
        chapter, anchor = mine, ""
    url = reverse("manual:chapter", args=[chapter])
    return HttpResponseRedirect(f"{url}#{quote(anchor)}" if anchor else url)


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
