from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm

from dangjian.accounts.models import AccountBatch
from dangjian.accounts.selectors import organisations_for_batches


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            if isinstance(widget, forms.Select):
                css = "form-select"
            widget.attrs.setdefault("class", css)


class BatchForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="党组织（含下级）", queryset=None, empty_label="请选择党组织"
    )
    members_only = forms.TypedChoiceField(
        label="开通范围",
        choices=[("1", "仅党员（含预备党员）"), ("0", "全部在册人员")],
        coerce=lambda value: value == "1",
        initial="1",
    )
    method = forms.ChoiceField(
        label="发放方式",
        choices=AccountBatch.Method.choices,
        initial=AccountBatch.Method.ACTIVATION,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_for_batches(user)
        self.fields["method"].widget.attrs["class"] = "form-check-input"


class NewPasswordForm(BootstrapMixin, forms.Form):
    """Choose a password (twice); used by activation and the forced first change."""

    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label="再次输入新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        one, two = cleaned.get("new_password1"), cleaned.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", "两次输入的密码不一致")
        return cleaned


class ActivationForm(NewPasswordForm):
    email = forms.EmailField(
        label="电子邮箱（选填）",
        required=False,
        help_text="用于忘记密码时接收重置邮件。",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ThrottledPasswordResetForm(BootstrapMixin, PasswordResetForm):
    email = forms.EmailField(
        label="电子邮箱",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
