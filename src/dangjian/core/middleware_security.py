"""Security middleware of the hardening work: request limits, Cache-Control and
Permissions-Policy (CSP itself comes from django-csp's CSPMiddleware).

Order in settings.MIDDLEWARE:
- `RequestLimitMiddleware` right after AuthenticationMiddleware (it asks whether the visitor
  is signed in; nothing reads the body before the views' process_view stage, CSRF included):
  refuses oversized and too deeply nested JSON bodies with a clear 413/400 before a parser or
  Django's own size check can raise (and log a traceback).
- `SecurityHeadersMiddleware` anywhere after WhiteNoiseMiddleware (static files, answered by
  WhiteNoise, never reach it and keep their long cache); best right after it.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape

from dangjian.core.parsers import json_depth_error

TOO_LARGE = "请求内容过大（超过{limit}），请精简后再提交。"
BAD_LENGTH = "请求内容长度无效。"

JSON_TYPES = ("application/json", "+json")

# The page shown for refused web (non-API) requests: self-contained, no script, no style.
REFUSED_PAGE = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
    "<title>请求未被接受</title></head><body><h1>请求未被接受</h1><p>{message}</p>"
    '<p><a href="/">返回首页</a></p></body></html>'
)


def _size_text(size: int) -> str:
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    return f"{size // 1024} KB"


def refuse(request, message: str, status: int) -> HttpResponse:
    """A refusal in the form the client expects: JSON under /api/, a small page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(
        REFUSED_PAGE.format(message=escape(message)),
        status=status,
        content_type="text/html; charset=utf-8",
    )


def _is_anonymous(request) -> bool:
    """No credentials at all: no API token header and no signed-in session (without
    AuthenticationMiddleware before us, a session cookie counts as signed in)."""
    if request.META.get("HTTP_AUTHORIZATION"):
        return False
    user = getattr(request, "user", None)
    if user is not None:
        return not user.is_authenticated
    session_cookie = settings.SESSION_COOKIE_NAME
    return session_cookie not in request.COOKIES


def body_limit(request) -> int:
    """The largest body accepted for this request (bytes)."""
    if _is_anonymous(request):
        return int(settings.ANONYMOUS_REQUEST_MAX_BYTES)
    return int(settings.REQUEST_MAX_BYTES)


class RequestLimitMiddleware:
    """Body size by Content-Length (smaller for anonymous visitors) and JSON nesting depth."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = self.check(request)
        return refused if refused is not None else self.get_response(request)

    def check(self, request):
        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw_length)
        except ValueError:
            return refuse(request, BAD_LENGTH, 400)
        if length < 0:
            return refuse(request, BAD_LENGTH, 400)
        limit = body_limit(request)
        if length > limit:
            return refuse(request, TOO_LARGE.format(limit=_size_text(limit)), 413)
        content_type = request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
        if length and content_type.endswith(JSON_TYPES):
            error = json_depth_error(request.body)
            if error:
                return refuse(request, error, 400)
        return None


def _is_static(request) -> bool:
    return bool(settings.STATIC_URL) and request.path.startswith(settings.STATIC_URL)


def _shared(request, response) -> bool:
    """A page the same for every anonymous visitor that its view marked `public_cache` (the
    published work column): its own Cache-Control stands. Never for a signed-in user, and never
    for a response that sets a cookie (a session, a CSRF token, a flash message being cleared):
    a shared cache would hand that cookie, or the message, to the next visitor."""
    user = getattr(request, "user", None)
    return (
        getattr(response, "public_cache", False)
        and not getattr(user, "is_authenticated", False)
        and not response.cookies
    )


class SecurityHeadersMiddleware:
    """`Cache-Control: no-store, private` on every dynamic response (pages, API, exports,
    media: nearly all carry personal data, and every one to a signed-in user does), and the
    Permissions-Policy header. Static files keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        if not _is_static(request) and not _shared(request, response):
            current = response.get("Cache-Control", "")
            if "no-store" not in current:
                response["Cache-Control"] = "no-store, private"
            response.headers.pop("Expires", None)
        return response
