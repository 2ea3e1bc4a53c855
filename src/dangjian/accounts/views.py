"""Account opening (账号开通), activation links, the forced first password change, password
reset by e-mail and the single sign-on entry points."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django_cas_ng import views as cas_views
from mozilla_django_oidc import views as oidc_views

from dangjian.accounts import selectors, services, sso, throttle
from dangjian.accounts.forms import (
    ActivationForm,
    BatchForm,
    NewPasswordForm,
    ThrottledPasswordResetForm,
)
from dangjian.accounts.models import AccountBatch
from dangjian.core import authguard, security_log
from dangjian.core.export import xlsx_response, xlsx_table
from dangjian.core.models import SecurityEvent
from dangjian.core.scoping import get_for_user
from dangjian.core.web import ActionView, officer_required, submit

# --- Hand-out of credentials ----------------------------------------------------------------
# Links and initial passwords exist in clear only in the shared cache, for the officer who made
# them, for ACCOUNT_HANDOUT_MINUTES; after that the batch can be reissued.


def _handout_key(request, batch_pk: int) -> str:
    return f"accounts:handout:{batch_pk}:{request.user.pk}"


def _stash(request, batch: AccountBatch, credentials) -> None:
    rows = [
        {
            "name": c.name,
            "organisation": c.organisation,
            "username": c.username,
            "secret": c.secret,
            "expires_at": c.expires_at,
        }
        for c in credentials
    ]
    cache.set(_handout_key(request, batch.pk), rows, settings.ACCOUNT_HANDOUT_MINUTES * 60)


def _handout(request, batch: AccountBatch) -> list[dict] | None:
    rows = cache.get(_handout_key(request, batch.pk))
    if rows is None:
        return None
    for row in rows:
        if batch.method == AccountBatch.Method.ACTIVATION:
            row["link"] = request.build_absolute_uri(
                reverse("accounts:activate", args=[row["secret"]])
            )
    return rows


def _status(grant, method: str) -> str:
    if not grant.user.is_active:
        return "已停用"
    if method == AccountBatch.Method.ACTIVATION:
        if grant.used_at:
            return "已激活"
        if grant.expires_at and grant.expires_at <= timezone.now():
            return "链接已过期"
        return "待激活"
    if grant.used_at or not grant.user.must_change_password:
        return "已启用"
    if grant.expires_at and grant.expires_at <= timezone.now():
        return "初始密码已过期"
    return "待修改初始密码"


# --- Officer pages --------------------------------------------------------------------------


@officer_required
def batch_list(request):
    """账号开通: choose a subtree, preview, open accounts; the batches made so far."""
    form = BatchForm(request.POST or None, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "create" in request.POST:
            try:
                batch, credentials = services.batch_create(
                    actor=request.user,
                    organisation=data["organisation"],
                    members_only=data["members_only"],
                    method=data["method"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                _stash(request, batch, credentials)
                messages.success(
                    request,
                    f"已开通{batch.created_count}个账号，请立即打印发放单或下载Excel"
                    f"（{settings.ACCOUNT_HANDOUT_MINUTES}分钟内有效）。",
                )
                return redirect("accounts:batch_detail", batch.pk)
        try:
            preview = services.batch_preview(
                actor=request.user,
                organisation=data["organisation"],
                members_only=data["members_only"],
            )
        except ValidationError as exc:
            form.add_error("organisation", exc.message_dict.get("organisation", exc.messages))
    batches = selectors.batches_for(request.user)[:100]
    return render(
        request,
        "accounts/batch_list.html",
        {
            "form": form,
            "preview": preview,
            "batches": batches,
            "rule": settings.ACCOUNT_USERNAME_RULE,
            "activation_days": settings.ACCOUNT_ACTIVATION_DAYS,
        },
    )


@officer_required
def batch_detail(request, pk):
    batch = get_for_user(AccountBatch.objects.select_related("organisation"), request.user, pk=pk)
    grants = [(g, _status(g, batch.method)) for g in selectors.grants_of(batch)]
    return render(
        request,
        "accounts/batch_detail.html",
        {
            "batch": batch,
            "grants": grants,
            "has_handout": cache.get(_handout_key(request, batch.pk)) is not None,
            "handout_minutes": settings.ACCOUNT_HANDOUT_MINUTES,
        },
    )


@method_decorator(officer_required, name="dispatch")
class BatchReissue(ActionView):
    """New links or passwords for the accounts of a batch not yet taken up."""

    def get_object(self) -> AccountBatch:
        return get_for_user(AccountBatch.objects, self.request.user, pk=self.kwargs["pk"])

    def perform(self, obj: AccountBatch, data: dict) -> None:
        user, request = self.request.user, self.request
        credentials = services.batch_reissue(actor=user, batch=obj, request=request)
        _stash(self.request, obj, credentials)
        self.success_message = f"已为{len(credentials)}个尚未启用的账号重新生成，原链接或密码作废。"

    def get_success_url(self, obj: AccountBatch) -> str:
        return reverse("accounts:batch_detail", args=[obj.pk])


def _handout_or_redirect(request, pk):
    batch = get_for_user(AccountBatch.objects.select_related("organisation"), request.user, pk=pk)
    rows = _handout(request, batch)
    if rows is None:
        messages.warning(
            request, "发放单已过有效时间（或由其他干事生成）。如需再次发放，请重新生成。"
        )
    return batch, rows


@never_cache
@officer_required
def batch_sheet(request, pk):
    """The printable A4 hand-out sheet: one slip per person, with cut lines."""
    batch, rows = _handout_or_redirect(request, pk)
    if rows is None:
        return redirect("accounts:batch_detail", batch.pk)
    if batch.method == AccountBatch.Method.ACTIVATION:
        for row in rows:
            row["qr"] = mark_safe(segno.make(row["link"], error="m").svg_inline(scale=2))  # noqa: S308
    security_log.record(
        SecurityEvent.Kind.PRINT, request=request, detail="账号发放单", rows=len(rows)
    )
    return render(request, "accounts/batch_sheet.html", {"batch": batch, "rows": rows})


@never_cache
@officer_required
def batch_xlsx(request, pk):
    batch, rows = _handout_or_redirect(request, pk)
    if rows is None:
        return redirect("accounts:batch_detail", batch.pk)
    activation = batch.method == AccountBatch.Method.ACTIVATION
    headers = ["姓名", "所在党组织", "用户名", "激活链接" if activation else "初始密码"]
    if activation:
        headers.append("链接有效期至")

    def lines():
        for row in rows:
            line = [row["name"], row["organisation"], row["username"]]
            if activation:
                expires = timezone.localtime(row["expires_at"]).strftime("%Y-%m-%d %H:%M")
                line += [row["link"], expires]
            else:
                line.append(row["secret"])
            yield line

    security_log.record(
        SecurityEvent.Kind.EXPORT, request=request, detail="账号发放单（Excel）", rows=len(rows)
    )
    content = xlsx_table(
        sheet="账号发放",
        headers=headers,
        rows=lines(),
        title=f"{batch.organisation.name} 账号发放单",
        widths=[10, 24, 16, 60 if activation else 16, 18],
    )
    # Initial passwords and activation links: streamed, never stored as a job's file.
    response = xlsx_response(
        request, content, f"账号发放单-{batch.organisation.name}.xlsx", job=False
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Members: activation and first password -------------------------------------------------


@never_cache
def activate(request, token):
    """The activation link's page (works on a phone): set one's own password."""
    grant = selectors.grant_for_token(token)
    problem = services.activation_problem(grant)
    if problem:
        return render(request, "accounts/activate.html", {"problem": problem}, status=410)
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_activate(
                token=token,
                password=form.cleaned_data["new_password1"],
                email=form.cleaned_data["email"],
                request=request,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, "账号已激活，请用您的用户名和新密码登录。")
            return redirect("login")
    return render(request, "accounts/activate.html", {"form": form, "grant": grant})


@never_cache
@login_required
def first_password(request):
    """The page a user with an initial password is held on until they choose their own."""
    if not request.user.must_change_password:
        return redirect("home")
    form = NewPasswordForm(request.POST or None)
    user = submit(
        request,
        form,
        lambda data: services.password_first_change(
            user=request.user, password=data["new_password1"], request=request
        ),
        "密码已修改，欢迎使用。",
    )
    if user:
        update_session_auth_hash(request, user)
        return redirect("home")
    return render(request, "accounts/first_password.html", {"form": form})


# --- Password reset by e-mail ---------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Never says whether an address is known; throttled by address and by client."""

    form_class = ThrottledPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not throttle.attempt_allowed(self.request, "password_reset", email):
            security_log.record(
                SecurityEvent.Kind.LOCKOUT,
                request=self.request,
                username=email,
                detail="找回密码请求过于频繁",
            )
            form.add_error(None, "请求过于频繁，请稍后再试。")
            return self.form_invalid(form)
        security_log.record(
            SecurityEvent.Kind.PASSWORD, request=self.request, username=email, detail="申请重置密码"
        )
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        form.user.must_change_password = False
        form.user.save(update_fields=["must_change_password"])
        security_log.record(
            SecurityEvent.Kind.PASSWORD,
            request=self.request,
            user=form.user,
            detail="通过邮件重置密码",
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- Single sign-on -------------------------------------------------------------------------


def _refused(request, protocol: str, status: int = 403):
    reason = getattr(request, "sso_refusal", "") or "统一身份认证登录未成功，请重新登录。"
    return render(
        request,
        "accounts/sso_refused.html",
        {"reason": reason, "protocol": protocol},
        status=status,
    )


class CasLoginView(cas_views.LoginView):
    """CAS sign-in; a refused ticket shows why in Chinese instead of a bare 403."""

    def get(self, request, *args, **kwargs):
        if not settings.CAS_SERVER_URL:
            raise Http404
        if request.GET.get("ticket") and (
            refusal := authguard.check(request, sso.throttle_name(request))
        ):
            request.sso_refusal = refusal.message
            return _refused(request, "CAS", status=429)
        try:
            return super().get(request, *args, **kwargs)
        except PermissionDenied:
            if not getattr(request, "sso_refusal", ""):  # the ticket itself was not valid
                sso.refuse(request, "CAS", "统一身份认证票据无效或已使用，请重新登录。")
            return _refused(request, "CAS")


class OidcLoginView(oidc_views.OIDCAuthenticationRequestView):
    def get(self, request):
        if not settings.OIDC_RP_CLIENT_ID:
            raise Http404
        return super().get(request)


class OidcCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """OIDC callback: an unknown or replayed state, a bad token or an unknown person all end on
    the refusal page, recorded in the security audit."""

    def get(self, request):
        if not settings.OIDC_RP_CLIENT_ID:
            raise Http404
        if refusal := authguard.check(request, sso.throttle_name(request)):
            request.sso_refusal = refusal.message
            return _refused(request, "OIDC", status=429)
        try:
            return super().get(request)
        except SuspiciousOperation:
            sso.refuse(request, "OIDC", "登录请求无效或已使用（state 校验失败），请重新登录。")
            return _refused(request, "OIDC", status=400)

    def login_failure(self):
        if not getattr(self.request, "sso_refusal", ""):
            sso.refuse(self.request, "OIDC", "统一身份认证登录未成功，请重新登录。")
        return _refused(self.request, "OIDC")
