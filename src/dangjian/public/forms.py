"""Forms of the suggestion box (public) and of the officers' handling."""

from django import forms

from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.widgets import Typeahead
from dangjian.public import rules, selectors
from dangjian.public.models import SuggestionCategory

HONEYPOT_FIELD = "website"


class SuggestionForm(BootstrapMixin, forms.Form):
    """The public form. `website` is the honeypot: hidden from people, filled by programs."""

    name = forms.CharField(
        label="姓名",
        max_length=rules.NAME_MAX,
        required=False,
        help_text="可不填，不填即匿名提交。",
    )
    contact = forms.CharField(
        label="联系方式",
        max_length=rules.CONTACT_MAX,
        required=False,
        help_text="可不填；填写后仅党组织办理人员可见，便于联系您。",
    )
    category = forms.ChoiceField(
        label="类别", choices=SuggestionCategory.choices, initial=SuggestionCategory.OTHER
    )
    content = forms.CharField(
        label="意见建议",
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": rules.CONTENT_MAX}),
        help_text=f"不超过{rules.CONTENT_MAX}字。",
        error_messages={"required": "请填写意见建议内容。"},
    )
    website = forms.CharField(
        label="请勿填写此项",
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "tabindex": "-1", "class": "dj-hp-input"}
        ),
    )

    def clean_content(self):
        content = self.cleaned_data["content"]
        error = rules.content_error(content)
        if error:
            raise forms.ValidationError(error)
        return content


class TrackForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=30)


class ClassifyForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label="类别", choices=SuggestionCategory.choices)


class AssignForm(BootstrapMixin, forms.Form):
    # A type-ahead: the officers of a province's department see millions of people.
    assigned_to = forms.ModelChoiceField(
        label="承办人", queryset=None, widget=Typeahead("org:pick_people")
    )

    def __init__(self, *args, user, suggestion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = (
            selectors.assignable_people(user, suggestion)
            .select_related("primary_org")
            .order_by("primary_org__path", "name", "id")
        )
        self.fields["assigned_to"].label_from_instance = lambda p: (
            f"{p.name}（{p.primary_org.name if p.primary_org else '—'}）"
        )


class ReplyForm(BootstrapMixin, forms.Form):
    reply = forms.CharField(
        label="答复", widget=forms.Textarea(attrs={"rows": 5, "maxlength": rules.CONTENT_MAX})
    )
    replied_on = forms.DateField(label="答复日期", widget=DATE, required=False)
    reply_public = forms.BooleanField(
        label="公开答复（在公开栏意见箱中显示意见和答复，不显示提交人）", required=False
    )


class ToOpinionForm(BootstrapMixin, forms.Form):
    work_item = forms.ModelChoiceField(
        label="工作事项（仍处于“征求意见”步骤）",
        queryset=None,
        empty_label="请选择工作事项",
        error_messages={
            "invalid_choice": "所选工作事项不可用：须为仍在征求意见、本组织或上级组织的事项。"
        },
    )

    def __init__(self, *args, user, suggestion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_item"].queryset = selectors.opinion_work_items(user, suggestion)
        self.fields["work_item"].label_from_instance = lambda w: (
            f"{w.year}年 {w.organisation.name}：{w.title}"
        )
