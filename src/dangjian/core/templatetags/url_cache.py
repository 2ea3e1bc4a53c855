"""`{% url %}` with the reversal remembered: a template builtin that replaces Django's tag.

Reversing a URL name walks the resolver each time (about 90 µs); the officers' menu alone
reverses 78 names per page, a quarter of a page's Python time at province scale (docs/
BENCHMARKS.md). A name with the same arguments, URLconf, script prefix and current app always
reverses to the same path, so the result is kept per process (bounded; an error is not kept).
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()


@lru_cache(maxsize=8192)
def cached_reverse(view_name, args, kwargs, current_app, urlconf, prefix) -> str:
    # `prefix` is only part of the key: reverse() reads the thread's script prefix itself.
    return reverse(
        view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


def _hashable(values) -> bool:
    return all(isinstance(v, str | int) and not isinstance(v, bool) for v in values)


class CachedURLNode(defaulttags.URLNode):
    def render(self, context):
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        if not (_hashable(args) and _hashable(kwargs.values())):
            return super().render(context)  # objects as arguments: Django's own path
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        try:
            url = cached_reverse(
                view_name,
                args,
                tuple(sorted(kwargs.items())),
                current_app,
                get_urlconf() or settings.ROOT_URLCONF,
                get_script_prefix(),
            )
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    node.__class__ = CachedURLNode
    return node
