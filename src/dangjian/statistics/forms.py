from django import forms

from dangjian.org.models import Organisation


class RunForm(forms.Form):
    """重新统计: which organisation, at which cut-off (checked by the service's rule)."""

    org = forms.ModelChoiceField(
        label="党组织",
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": "党组织不存在或不在您的管理范围内"},
    )
    cut_off = forms.DateField(label="统计截止日期")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = organisations
