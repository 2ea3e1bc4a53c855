from django import forms

from dangjian.column import rules, selectors
from dangjian.column.models import Article
from dangjian.core.uploads import UploadField
from dangjian.org.forms import BootstrapMixin
from dangjian.org.models import Organisation
from dangjian.org.widgets import FILTER_KINDS, Typeahead
from dangjian.posts.models import DutySummary


class ArticleForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Article
        fields = ["organisation", "column", "year", "title", "body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "organisation": Typeahead(
                "org:pick_organisations", "&".join(f"kind={k}" for k in FILTER_KINDS)
            ),
        }
        help_texts = {
            "column": "工作简报、新闻动态、“基层组织建设年”专栏（《组织建设年实施方案》§四(四)）"
            "或年度工作总结（《168模式实施意见》§五(二)4）。",
            "title": f"不超过{rules.TITLE_MAX}字。",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.editable_by(user).filter(
            kind__in=FILTER_KINDS, dissolved_on__isnull=True
        )
        field.label_from_instance = lambda o: o.name
        field.error_messages["invalid_choice"] = "请选择您管辖范围内的党委、党总支或党支部。"
        self.fields["year"].min_value = 2000
        self.fields["year"].max_value = 2100
        self.fields["body"].help_text = (
            f"纯文本，按回车分段，不超过{rules.BODY_MAX}字；网页代码按原样显示，不会执行。"
            "图片和附件在保存后上传。"
        )
        if not self.is_bound and self.instance.pk is None:
            own = field.queryset.order_by("depth", "path").values_list("pk", flat=True).first()
            self.initial.setdefault("organisation", own)


class PhotoForm(BootstrapMixin, forms.Form):
    file = UploadField(area="column_photos", label="图片")
    caption = forms.CharField(label="图片说明", max_length=rules.CAPTION_MAX, required=False)


class AttachmentForm(BootstrapMixin, forms.Form):
    file = UploadField(area="column", label="附件")


class NoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label="意见", max_length=rules.REASON_MAX, required=False, widget=forms.Textarea
    )


class FromSummaryForm(BootstrapMixin, forms.Form):
    summary = forms.ModelChoiceField(
        label="年度工作总结",
        queryset=DutySummary.objects.none(),
        help_text="党支部、党总支提交的年度“亮岗履职”工作总结；发布时使用提交的原文，不必重新录入。",
        error_messages={"invalid_choice": "请选择您管辖范围内尚未发布的年度工作总结。"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["summary"]
        field.queryset = selectors.publishable_summaries(user)
        field.label_from_instance = lambda s: (
            f"{s.year}年 {s.organisation.name} {s.get_kind_display()}"
        )
