"""Input of 联述联评联考's pages and API: the forms validate both."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from dangjian.core.uploads import UploadField
from dangjian.org import widgets
from dangjian.org.forms import BootstrapMixin
from dangjian.org.models import Organisation, OrgKind
from dangjian.review import rules
from dangjian.review.models import Level, ReviewRound
from dangjian.surveys.rules import MIN_RESPONSES_CEILING
from dangjian.surveys.services import MAX_TOKENS_PER_BATCH


class RoundForm(BootstrapMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="组织单位",
        help_text="党委或党总支；其下级组织的书记向本组织专项述职。",
    )

    class Meta:
        model = ReviewRound
        fields = ["organisation", "year", "level", "title", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.editable_by(user)
            .active()
            .filter(kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH])
        )
        widgets.organisations(
            self.fields["organisation"], kinds=(OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)
        )
        self.fields["year"].initial = timezone.localdate().year
        self.fields["title"].required = False
        self.fields["title"].help_text = "不填则为“某年度党支部书记抓基层党建工作述职评议”。"
        self.fields["due_on"].required = False
        self.fields[
            "due_on"
        ].help_text = "不填则为当年12月31日（《组织建设年实施方案》§二(六)：11月—12月）。"
        if self.instance.pk:
            for name in ("organisation", "year", "level"):
                self.fields[name].disabled = True
        self.fields["level"].choices = Level.choices


class ReportForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label="述职报告",
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=rules.REPORT_MAX_CHARS,
        help_text="就本年度抓基层党建工作情况向上一级党组织专项述职（“联述”，《组织建设年实施方案》§四(三)）："
        "履行职责、主要工作和成效、存在问题、下一步打算。",
    )
    attachment = UploadField(area="assessment", label="述职材料（可选）", required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class RatingForm(BootstrapMixin, forms.Form):
    opens_on = forms.DateField(
        label="测评开始日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    closes_on = forms.DateField(
        label="测评截止日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    min_responses = forms.IntegerField(
        label="最少有效票数",
        required=False,
        min_value=1,
        max_value=MIN_RESPONSES_CEILING,
        help_text="回收票数达到此数后才有测评结果，上级党组织方可评定；不填按系统默认。",
    )
    links = forms.IntegerField(
        label="首批发放链接数",
        required=False,
        min_value=0,
        max_value=MAX_TOKENS_PER_BATCH,
        initial=30,
        help_text="发给党员和群众代表的一次性测评链接（可打印二维码），之后可在测评页面续发。",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + timedelta(days=14)

    def clean_links(self) -> int:
        return self.cleaned_data.get("links") or 0


class ReviewForm(BootstrapMixin, forms.Form):
    score = forms.DecimalField(
        label="上级评定分",
        min_value=0,
        max_value=100,
        decimal_places=1,
        max_digits=4,
        help_text="0～100分，最多一位小数。",
    )
    comment = forms.CharField(
        label="评定意见", widget=forms.Textarea(attrs={"rows": 5}), max_length=2000
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
