from django import forms

from dangjian.core.uploads import UploadField
from dangjian.notices.models import Notice
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Organisation
from dangjian.org.widgets import FILTER_KINDS, Typeahead


class NoticeForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["organisation", "audience", "title", "body", "receipt_required", "deadline"]
        widgets = {
            "deadline": DATE,
            "body": forms.Textarea(attrs={"rows": 10}),
            "organisation": Typeahead(
                "org:pick_organisations", "&".join(f"kind={k}" for k in FILTER_KINDS)
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.editable_by(user).filter(
            kind__in=FILTER_KINDS, dissolved_on__isnull=True
        )
        field.label_from_instance = lambda o: o.name
        field.error_messages["invalid_choice"] = "请选择您管辖范围内的党委、党总支或党支部。"
        if not self.is_bound and self.instance.pk is None:
            # The officer's own (topmost) organisation: most notices go to one's own subtree.
            own = field.queryset.order_by("path").values_list("pk", flat=True).first()
            self.initial.setdefault("organisation", own)


class AttachmentForm(BootstrapMixin, forms.Form):
    file = UploadField(area="notices", label="附件")
