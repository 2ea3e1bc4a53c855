"""Sign-in with the throttle and the second factor; 我的账号: second factor and API tokens."""

import time

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken

from dangjian.core import authguard, otp, tokens
from dangjian.core.forms import (
    LockoutAuthenticationForm,
    OtpCodeForm,
    PasswordConfirmForm,
    TokenCreateForm,
)
from dangjian.core.models import ApiToken

PENDING = "otp_pending"  # the user who gave the right password and owes a code
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """Password first (through core.authguard); a user with an authenticator then gives a code
    at login_verify before the session is signed in. Other sign-in methods add their links to
    core/login.html (block `login_extra`)."""

    template_name = "core/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if otp.has_device(user):
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": int(time.time()),
                "next": self.get_success_url(),
            }
            return redirect("login_verify")
        return super().form_valid(form)


def _safe_next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


@never_cache
def login_verify(request):
    """The second step of sign-in: a code from the authenticator, or a recovery code. Also where
    a session signed in another way (single sign-on) verifies before going on."""
    if request.user.is_authenticated:
        if request.user.is_verified():
            return redirect(_safe_next(request, request.GET.get("next", "")))
        user, pending = request.user, None
        next_url = request.GET.get("next", "")
    else:
        user, pending = _pending_user(request)
        if user is None:
            messages.info(request, "登录已超时，请重新输入用户名和密码。")
            return redirect("login")
        next_url = pending["next"]
    if not otp.has_device(user):
        request.session.pop(otp.SESSION_HAS_DEVICE, None)
        return redirect("otp_setup" if request.user.is_authenticated else "login")
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = user.get_username()
        refusal = authguard.check(request, username)
        if refusal is not None:
            form.add_error(None, refusal.message)
        else:
            device = otp.verify(user, form.cleaned_data["code"])
            if device is None:
                refusal = authguard.failed(request, username, detail="动态码错误")
                form.add_error(None, refusal.message if refusal else "动态码不正确或已使用。")
            else:
                if pending is not None:
                    request.login_detail = "密码+动态码"
                    login(request, user, backend=pending["backend"])
                    request.session.pop(PENDING, None)
                django_otp.login(request, device)
                request.session[otp.SESSION_HAS_DEVICE] = True
                if device.__class__.__name__ == "StaticDevice":
                    messages.warning(request, "您使用了一个恢复码，每个恢复码只能使用一次。")
                return redirect(_safe_next(request, next_url))
    return render(request, "core/login_verify.html", {"form": form, "username": user})


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account(request):
    """我的账号: the second factor and the user's API tokens."""
    user = request.user
    context = {
        "has_device": otp.has_device(user),
        "otp_required": otp.required(user),
        "recovery_left": StaticToken.objects.filter(device__user=user).count(),
        "tokens": ApiToken.objects.filter(user=user),
        "token_form": TokenCreateForm(),
        "password_form": PasswordConfirmForm(user),
        "token_days": settings.API_TOKEN_DAYS,
    }
    return _no_store(render(request, "core/account.html", context))


@never_cache
@login_required
def otp_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the secret), confirm with a code,
    receive ten recovery codes, shown once."""
    if otp.has_device(request.user):
        # Replacing an authenticator starts on 我的账号, with the password (otp_disable).
        return redirect("account" if request.user.is_verified() else "login_verify")
    device = otp.enrolment_device(request.user)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp.enrol_confirm(
            user=request.user, device=device, code=form.cleaned_data["code"], request=request
        )
        if codes is not None:
            django_otp.login(request, device)
            request.session[otp.SESSION_HAS_DEVICE] = True
            return _no_store(render(request, "core/otp_codes.html", {"codes": codes, "new": True}))
        form.add_error("code", "动态码不正确，请核对手机时间后重新输入。")
    context = {
        "form": form,
        "qr_svg": otp.qr_svg(device),
        "secret": otp.secret_text(device),
    }
    return _no_store(render(request, "core/otp_setup.html", context))


@require_POST
@login_required
def otp_disable(request):
    form = PasswordConfirmForm(request.user, request.POST)
    if not form.is_valid():
        messages.error(request, "当前密码不正确，双因素认证未停用。")
        return redirect("account")
    otp.disable(user=request.user, actor=request.user, request=request)
    request.session[otp.SESSION_HAS_DEVICE] = False
    messages.success(request, "已停用双因素认证。")
    return redirect("otp_setup" if otp.required(request.user) else "account")


@require_POST
@login_required
def otp_recovery_codes(request):
    form = PasswordConfirmForm(request.user, request.POST)
    if not form.is_valid() or not otp.has_device(request.user):
        messages.error(request, "当前密码不正确，恢复码未重新生成。")
        return redirect("account")
    codes = otp.recovery_codes_reset(user=request.user, request=request)
    return _no_store(render(request, "core/otp_codes.html", {"codes": codes, "new": False}))


@require_POST
@login_required
def token_create(request):
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "令牌名称不能超过100个字。")
        return redirect("account")
    token, raw = tokens.token_issue(
        user=request.user, name=form.cleaned_data["name"], request=request
    )
    return _no_store(render(request, "core/token_created.html", {"token": token, "raw": raw}))


@require_POST
@login_required
def token_revoke(request, pk: int):
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404
    if tokens.token_revoke(token=token, actor=request.user, request=request):
        messages.success(request, f"已吊销令牌 {token.prefix}…。")
    return redirect("account")
