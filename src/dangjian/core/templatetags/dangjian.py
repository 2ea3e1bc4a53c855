"""Template helpers shared by every app (presentation only; no business rules here)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_active(context, *prefixes: str) -> str:
    """'active' when the current view's name ('app:view') starts with one of `prefixes`."""
    match = getattr(context.get("request"), "resolver_match", None)
    name = match.view_name if match else ""
    return "active" if any(name.startswith(p) for p in prefixes) else ""
