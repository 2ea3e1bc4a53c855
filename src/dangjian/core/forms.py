from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from dangjian.core import rules
from dangjian.core.models import LoginFailure
from dangjian.core.web import client_address


class LockoutAuthenticationForm(AuthenticationForm):
    """Login form that refuses a username after repeated failures (core.rules.login_locked)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。",
        "locked": "连续登录失败次数过多，账号已临时锁定，请%(minutes)s分钟后再试。",
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        now = timezone.now()
        minutes = settings.LOGIN_LOCKOUT_MINUTES
        recent = list(
            LoginFailure.objects.filter(
                username=username, at__gt=now - timezone.timedelta(minutes=minutes)
            ).values_list("at", flat=True)
        )
        if rules.login_locked(recent, now, limit=settings.LOGIN_FAILURE_LIMIT, minutes=minutes):
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": minutes}
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            LoginFailure.objects.create(username=username, ip=_client_ip(self.request))
            raise
        LoginFailure.objects.filter(username=username).delete()
        return cleaned


def _client_ip(request):
    if request is None:
        return None
    return client_address(request) or None
