"""{% help_url %}: the 帮助 link of the top bar, opening the manual section that explains the
page being shown, in the reader's own chapter when it has one."""

from django import template
from django.urls import reverse

from dangjian.manual import rules, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def help_url(context: template.Context) -> str:
    request = context.get("request")
    if request is None:
        return reverse("manual:index")
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else ""
    mine = selectors.role_chapter(request.user)
    chapter, anchor = rules.help_section(view_name, mine)
    if not selectors.readable(request.user, rules.BY_SLUG[chapter]):
        chapter, anchor = mine, ""
    url = reverse("manual:chapter", args=[chapter])
    return f"{url}#{anchor}" if anchor else url
