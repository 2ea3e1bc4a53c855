"""{% help_url %}: the 帮助 link of the top bar. It names the page being shown; the help index
finds the reader's role and redirects to the section that explains the page (so pages pay
nothing for the link: no query until 帮助 is clicked)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def help_url(context: template.Context) -> str:
    url = reverse("manual:index")
    request = context.get("request")
    match = getattr(request, "resolver_match", None) if request is not None else None
    if match is None or not match.view_name:
        return url
    return f"{url}?{urlencode({'page': match.view_name})}"
