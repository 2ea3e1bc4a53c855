"""Session timeouts and the second factor, for signed-in browser sessions. Requests signed with
an API token are not affected: they are authenticated later, by DRF, not by the session."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from dangjian.core import otp, rules
from dangjian.core.signals import SESSION_LAST_SEEN, SESSION_STARTED

# Last activity is written at most once a minute, so a page view is not always a session write
# (an idle session may thus end up to a minute early).
LAST_SEEN_RESOLUTION = 60

EXPIRED_MESSAGES = {
    "idle": "由于长时间未操作，您已自动退出登录，请重新登录。",
    "absolute": "登录已超过有效时长，请重新登录。",
}
EXPIRED_DETAILS = {"idle": "空闲超时自动退出", "absolute": "登录时长到期自动退出"}


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _to(request, url_name: str):
    url = reverse(url_name)
    if request.method == "GET" and request.path != url:
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SessionTimeoutMiddleware:
    """Signs a session out after SESSION_IDLE_MINUTES without a request, and
    SESSION_ABSOLUTE_SECONDS after sign-in however busy (the cookie's own age slides)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SESSION_STARTED, now)
            last_seen = session.get(SESSION_LAST_SEEN, started)
            reason = rules.session_expiry(
                now,
                started=started,
                last_seen=last_seen,
                idle_seconds=settings.SESSION_IDLE_MINUTES * 60,
                absolute_seconds=settings.SESSION_ABSOLUTE_SECONDS,
            )
            if reason is not None:
                request.logout_detail = EXPIRED_DETAILS[reason]
                logout(request)
                if _is_api(request):
                    return self.get_response(request)
                messages.info(request, EXPIRED_MESSAGES[reason])
                return _to(request, "login")
            if now - last_seen >= LAST_SEEN_RESOLUTION:
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """A signed-in user who has an authenticator must verify with it; one who must have a second
    factor (core.otp.required) and has none is sent to enrolment. Until then, nothing else."""

    OPEN_URL_NAMES = ("login", "login_verify", "logout", "otp_setup")

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def __call__(self, request):
        if settings.OTP_ENFORCE:
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _open(self, request) -> bool:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in self.OPEN_URL_NAMES}
        path = request.path
        return (
            path in self._open_paths
            or path.startswith(settings.STATIC_URL)
            or path.startswith("/public/")
        )

    def _refusal(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return None
        session = request.session
        if otp.SESSION_HAS_DEVICE not in session:
            session[otp.SESSION_HAS_DEVICE] = otp.has_device(user)
        if session[otp.SESSION_HAS_DEVICE]:
            target, message = "login_verify", "请输入身份验证器上的动态码完成登录。"
        elif otp.required(user):
            target, message = "otp_setup", "您的账号须启用双因素认证后才能继续使用。"
        else:
            return None
        if self._open(request):
            return None
        if _is_api(request):
            return JsonResponse({"detail": message}, status=403)
        return _to(request, target)
