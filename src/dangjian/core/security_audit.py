"""One middleware for the security audit of every request:

- enforces the separation of administrative roles (三员分立, core.admin_roles);
- records every refusal as a SecurityEvent REFUSED with user, address, path and reason: a 403
  from a page (PermissionDenied, a refused.html answer, CSRF) or from the API (DRF
  PermissionDenied; NotAuthenticated, 401 or 403), and a 404 for an object that exists but is
  outside the user's scope (core.scoping.OutOfScope). A plain 404 is not a refusal;
- keeps the current request in a context variable so that account and role changes recorded
  by signals (core.account_audit) name who made them, from whichever interface.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.defaults import permission_denied
from rest_framework.permissions import BasePermission

from dangjian.core import admin_roles, security_log
from dangjian.core.models import SecurityEvent
from dangjian.core.scoping import OutOfScope

_current_request: ContextVar = ContextVar("dangjian_request", default=None)
REFUSAL_ATTR = "_dangjian_refusal"
GENERIC_REASON = "没有访问权限"


def current_request():
    """The request being served in this thread or task, or None (commands, the shell)."""
    return _current_request.get()


def note_refusal(request, reason: str) -> None:
    """Remember why `request` is refused; the middleware records it with the response.
    Accepts a Django request or a DRF Request."""
    request = getattr(request, "_request", request)
    setattr(request, REFUSAL_ATTR, reason or GENERIC_REASON)


def _reason_from_response(response) -> str:
    data = getattr(response, "data", None)
    if isinstance(data, dict) and data.get("detail"):
        return str(data["detail"])
    return ""


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _api_user(request):
    """The user an API request authenticates as with a header (a token), through the API's
    own authentication classes; None when there is none or it fails (the API answers that)."""
    if not (_is_api(request) and request.META.get("HTTP_AUTHORIZATION")):
        return None
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    drf_request = Request(
        request, authenticators=[cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    )
    # DRF's Request sets the user it authenticates on the Django request too; left there, the
    # view's SessionAuthentication would take a token request for a session one and refuse its
    # POST for want of a CSRF token. Only look, then put the request back as it was.
    session_user = request.user
    try:
        user = drf_request.user
    except APIException:
        return None
    finally:
        request.user = session_user
    return user if user is not None and user.is_authenticated else None


class SecurityAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            response = self._enforce_role(request)
            if response is None:
                response = self.get_response(request)
            self._record_refusal(request, response)
            return response
        finally:
            _current_request.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied | OutOfScope):
            note_refusal(request, str(exception))
        return None

    def _enforce_role(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            user = _api_user(request)
            if user is None:
                return None
            request._dangjian_api_user = user
        role = user.admin_role or ""
        extra = tuple(settings.AUDIT_ROLE_EXTRA_PATHS)
        decision = admin_roles.decide(role, request.path_info, extra)
        if decision == admin_roles.TO_AUDIT:
            return redirect("audit:events")
        if decision == admin_roles.TO_SECURITY:
            return redirect("audit:security")
        if decision == admin_roles.REFUSE:
            message = admin_roles.refusal_message(role or "other")
            note_refusal(request, message)
            if _is_api(request):
                return JsonResponse({"detail": message}, status=403)
            return permission_denied(request, PermissionDenied(message))
        return None

    def _record_refusal(self, request, response) -> None:
        reason = getattr(request, REFUSAL_ATTR, None)
        status = response.status_code
        if status == 403 or (status == 401 and _is_api(request)):
            reason = reason or _reason_from_response(response) or GENERIC_REASON
        elif not (status == 404 and reason):
            return
        detail = f"{reason}（HTTP {status} {request.method}）"
        security_log.record(
            SecurityEvent.Kind.REFUSED,
            request=request,
            user=getattr(request, "_dangjian_api_user", None),
            detail=detail,
        )


class NotAuditAdministrator(BasePermission):
    """The audit administrator has no API (三员分立), also with a token, which the middleware
    cannot see. Added to DRF's default permission classes in settings."""

    message = admin_roles.refusal_message("audit")

    def has_permission(self, request, view):
        user = request.user
        return not (user and user.is_authenticated and user.admin_role == "audit")
