from django import forms

from dangjian.core import uploads
from dangjian.finance.models import FundEntry
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Organisation, OrgKind
from dangjian.org.widgets import Typeahead


class FundEntryForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = FundEntry
        fields = ["organisation", "year", "kind", "amount", "on", "summary", "voucher", "note"]
        widgets = {
            "on": DATE,
            "note": forms.Textarea(attrs={"rows": 3}),
            "organisation": Typeahead("org:pick_organisations", "kind=branch"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            field = self.fields["organisation"]
            field.queryset = Organisation.objects.editable_by(user).filter(kind=OrgKind.BRANCH)
            field.label_from_instance = lambda o: o.name


class DuesImportForm(BootstrapMixin, forms.Form):
    file = uploads.UploadField(
        label="Excel文件",
        help_text="请使用党费收缴导入模板填写，保存为.xlsx格式。",
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
        area="imports",
    )
