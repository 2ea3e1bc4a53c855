"""Plumbing shared by the screens of every app: access checks, form submission, refusals.

A form page is a declaration (ServiceFormView) and a button is one (ActionView); each calls one
service and says where to go next. Rules the service enforces come back as ValidationError (on
the form's fields, or as a message) and PermissionDenied (the refusal page, naming the rule).
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views import View

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.scoping import get_for_user, scope_for


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Management screens are for officers; members have only their own records."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not scope_for(request.user).is_officer:
            raise PermissionDenied("仅党组织书记、委员和组织部干事可以访问。")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def editable_or_403(queryset: Any, user: Any, pk: Any) -> Any:
    """A row the user may change: 404 when invisible, 403 when visible but read-only."""
    obj = get_for_user(queryset, user, pk=pk)
    if not queryset.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied("您没有修改该记录的权限。")
    return obj


def submit(
    request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any], message: str
) -> Any:
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


def client_address(request: HttpRequest) -> str:
    """The visitor's address. Behind a reverse proxy (DANGJIAN_BEHIND_PROXY=1) every request
    comes from the proxy, so the address the proxy appended to X-Forwarded-For is used: the
    last entry, the only one a visitor cannot forge."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


def form_errors(exc: ValidationError) -> str:
    """A service's ValidationError as one line for a flash message."""
    return "；".join(exc.messages)


def refused(request: HttpRequest, exc: Exception | str, back_url: str = "") -> HttpResponse:
    """A refused right: 403 with the rule in Chinese and a way back (core/refused.html)."""
    if isinstance(exc, str):
        message = exc
    else:
        message = exc.args[0] if exc.args else "您没有办理该事项的权限。"
    return render(
        request, "core/refused.html", {"message": message, "back_url": back_url}, status=403
    )


class ServiceFormView(LoginRequiredMixin, View):
    """A form page whose valid POST calls one service.

    Declare `form_class`, `title`, `success_message`, and implement `perform(data)` (call the
    service; return the row made or changed) and `get_success_url(result)`. Optional:
    `get_object()` (the scoped row being edited; passed to the form as `instance`),
    `access_action` (a core.access action the user needs on that row), `officers_only`,
    `crumbs`, `help_text`, `multipart`, `danger`, `submit_label`, `template_name`.
    """

    form_class: ClassVar[Any] = None
    template_name = "core/form_page.html"
    title = ""
    success_message = "已保存。"
    help_text = ""
    submit_label = "保存"
    multipart = False
    danger = False
    officers_only = True
    access_action: str | None = None
    # Extra keyword arguments the form takes: "user" passes request.user.
    form_user_kwarg = True
    # Show the edited row's audit trail under the form.
    show_events = True
    object: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            request.user.is_authenticated
            and self.officers_only
            and not scope_for(request.user).is_officer
        ):
            raise PermissionDenied("仅党组织书记、委员和组织部干事可以访问。")
        return super().dispatch(request, *args, **kwargs)

    # --- hooks -----------------------------------------------------------------------------

    def get_object(self) -> Any:
        return None

    def get_initial(self) -> dict[str, Any]:
        return {}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"data": self.request.POST or None}
        if self.object is None and (initial := self.get_initial()):
            kwargs["initial"] = initial
        if self.multipart:
            kwargs["files"] = self.request.FILES or None
        if self.object is not None:
            kwargs["instance"] = self.object
        if self.form_user_kwarg:
            kwargs["user"] = self.request.user
        return kwargs

    def perform(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def get_success_url(self, result: Any) -> str:
        raise NotImplementedError

    def get_title(self) -> str:
        return self.title

    def get_crumbs(self) -> list[tuple[str, str]]:
        return []

    def get_cancel_url(self) -> str:
        crumbs = self.get_crumbs()
        return crumbs[-1][0] if crumbs else "/"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {
            "title": self.get_title(),
            "crumbs": self.get_crumbs(),
            "cancel": self.get_cancel_url(),
            "help": self.help_text,
            "danger": self.danger,
            "multipart": self.multipart,
            "submit_label": self.submit_label,
            "object": self.object,
            "events": events_for(self.object)
            if self.show_events and self.object is not None and self.object.pk
            else None,
            **context,
        }

    # --- the flow --------------------------------------------------------------------------

    def setup_object(self) -> None:
        self.object = self.get_object()
        if self.access_action:
            access.require(self.request.user, self.access_action, self.object)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.setup_object()
        form = self.form_class(**self.get_form_kwargs())
        return render(request, self.template_name, self.get_context_data(form=form))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.setup_object()
        form = self.form_class(**self.get_form_kwargs())
        try:
            result = submit(request, form, self.perform, self.success_message)
        except PermissionDenied as exc:
            return refused(request, exc, self.get_cancel_url())
        if result:
            return redirect(self.get_success_url(result))
        return render(request, self.template_name, self.get_context_data(form=form))


class ActionView(LoginRequiredMixin, View):
    """A button: a POST that calls one service on one row and goes back.

    Implement `get_object()` (the scoped row) and `perform(obj)`; declare `success_message`
    and `get_success_url(obj)`. A rule the service refuses with ValidationError is shown as an
    error message on the page the user came back to; PermissionDenied is the refusal page.
    `form_class` (optional) validates the POST first; its cleaned data reach `perform`.
    """

    http_method_names = ["post"]
    success_message = "已办理。"
    access_action: str | None = None
    form_class: ClassVar[Any] = None
    officers_only = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            request.user.is_authenticated
            and self.officers_only
            and not scope_for(request.user).is_officer
        ):
            raise PermissionDenied("仅党组织书记、委员和组织部干事可以访问。")
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> Any:
        raise NotImplementedError

    def perform(self, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def get_success_url(self, obj: Any) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        if self.access_action:
            access.require(request.user, self.access_action, obj)
        data: dict[str, Any] = {}
        if self.form_class is not None:
            form = self.form_class(request.POST)
            if not form.is_valid():
                errors = [e for field in form.errors.values() for e in field]
                messages.error(request, "；".join(str(e) for e in errors))
                return redirect(self.get_success_url(obj))
            data = dict(form.cleaned_data)
        try:
            self.perform(obj, data)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        except PermissionDenied as exc:
            return refused(request, exc, self.get_success_url(obj))
        else:
            messages.success(request, self.success_message)
        return redirect(self.get_success_url(obj))
