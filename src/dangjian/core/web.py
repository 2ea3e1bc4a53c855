"""Plumbing shared by the screens of every app: access checks and form submission."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.scoping import get_for_user, scope_for


def officer_required(view):
    """Management screens are for officers; members have only their own records."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not scope_for(request.user).is_officer:
            raise PermissionDenied("仅党组织书记、委员和组织部干事可以访问。")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def editable_or_403(queryset, user, pk):
    """A row the user may change: 404 when invisible, 403 when visible but read-only."""
    obj = get_for_user(queryset, user, pk=pk)
    if not queryset.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied("您没有修改该记录的权限。")
    return obj


def submit(request, form, call, message):
    """On a valid POST run `call(cleaned_data)`; rule violations land on the form's fields.

    Returns the service's result (truthy) on success, None otherwise.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(dict(form.cleaned_data))
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    messages.success(request, message)
    return result if result is not None else True


def client_address(request) -> str:
    """The visitor's address. Behind a reverse proxy (DANGJIAN_BEHIND_PROXY=1) every request
    comes from the proxy, so the address the proxy appended to X-Forwarded-For is used: the
    last entry, the only one a visitor cannot forge."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
