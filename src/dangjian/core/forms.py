from django import forms
from django.contrib.auth.forms import AuthenticationForm

from dangjian.core import authguard


class LockoutAuthenticationForm(AuthenticationForm):
    """The login form of every password sign-in: each attempt passes the authentication throttle
    (core.authguard) first, and each failure is counted and recorded there."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用。",
        "locked": "%(message)s",
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        refusal = authguard.check(self.request, username)
        if refusal is not None:
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked", params={"message": refusal.message}
            )
        try:
            return super().clean()
        except forms.ValidationError:
            refusal = authguard.failed(self.request, username)
            if refusal is not None:
                raise forms.ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={"message": refusal.message},
                ) from None
            raise


class OtpCodeForm(forms.Form):
    code = forms.CharField(
        label="动态码或恢复码",
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-center",
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
            }
        ),
        error_messages={"required": "请输入动态码。"},
    )


class PasswordConfirmForm(forms.Form):
    """Asks for the current password before a change to the second factor."""

    password = forms.CharField(
        label="当前密码",
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "form-control", "autocomplete": "current-password"}
        ),
        error_messages={"required": "请输入当前密码。"},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("当前密码不正确。")
        return password


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="令牌名称",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：数据同步脚本"}),
    )
