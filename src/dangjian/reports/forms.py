from django import forms
from django.utils import timezone

from dangjian.org.forms import BootstrapMixin
from dangjian.reports import rules
from dangjian.reports.models import QuarterlyReport
from dangjian.reports.services import NARRATIVE_FIELDS

QUARTER_CHOICES = [(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")]


class ReportForm(BootstrapMixin, forms.ModelForm):
    """The narrative the data cannot say (《延伸提升168机制意见》附件5)."""

    class Meta:
        model = QuarterlyReport
        fields = NARRATIVE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in NARRATIVE_FIELDS}
        help_texts = {
            "progress": "本季度推广提升“168”机制的主要工作和进展（报送前必填）。",
            "highlights": "特色做法、典型经验和取得的成效。",
            "problems": "工作中存在的主要问题和不足。",
            "next_steps": "下一季度的工作打算和措施。",
        }


class ReviewForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label="审核意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PeriodForm(forms.Form):
    """The quarter shown on the list page; bad or missing values fall back to today's quarter."""

    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(choices=QUARTER_CHOICES, coerce=int, required=False)
    org = forms.IntegerField(min_value=1, required=False)

    def period(self) -> tuple[int, int, int | None]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or today.year
        quarter = data.get("quarter") or rules.quarter_of(today)
        return year, quarter, data.get("org")


class GenerateForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(choices=QUARTER_CHOICES, coerce=int)
    org = forms.IntegerField(min_value=1)
