from decimal import Decimal

from django import forms
from django.utils import timezone

from dangjian.appraisal import rules, selectors
from dangjian.appraisal.models import CycleKind, HonourKind, Population
from dangjian.core.text_limits import TEXT_LONG
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Organisation, OrgKind
from dangjian.orglife.models import Meeting, MeetingKind

SCORE = {"min": "0", "max": "100", "step": "0.1", "inputmode": "decimal"}


def _big(form) -> None:
    """Large inputs for the phone pages."""
    for field in form.fields.values():
        widget = field.widget
        size = "form-select-lg" if isinstance(widget, forms.Select) else "form-control-lg"
        widget.attrs["class"] = widget.attrs.get("class", "") + " " + size


class CycleForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="组织考评的党组织",
        queryset=Organisation.objects.none(),
        help_text="考评该党组织及其下级党组织的党员；每个党支部各建一份党员民意测评。",
    )
    kind = forms.ChoiceField(
        label="考评类型",
        choices=CycleKind.choices,
        help_text="一季一评、半年初评、年终总评，年终总评与民主评议党员相结合（《延伸提升168机制意见》§五）。",
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    period = forms.IntegerField(
        label="季度",
        min_value=1,
        max_value=4,
        initial=1,
        help_text="一季一评填1～4；其他类型填1。",
    )
    title = forms.CharField(
        label="名称", max_length=120, required=False, help_text="不填则按年度和类型自动命名。"
    )
    population = forms.ChoiceField(label="考评对象", choices=Population.choices)
    starts_on = forms.DateField(label="述岗评议开始日期", widget=DATE)
    ends_on = forms.DateField(
        label="述岗评议截止日期",
        widget=DATE,
        help_text="党员在此期间提交述岗自评，党组织作综合评定，群众参加民意测评。",
    )
    weight_self = forms.DecimalField(
        label="述岗自评权重（%）", min_value=0, max_value=100, decimal_places=2
    )
    weight_masses = forms.DecimalField(
        label="民意测评权重（%）",
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text="填0则不组织民意测评。",
    )
    weight_branch = forms.DecimalField(
        label="综合评定权重（%）",
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text="三项权重合计须为100。《168模式实施意见》§五(二)5只规定三种方式相结合，未规定权重，默认值可在设置中调整。",
    )
    min_responses = forms.IntegerField(
        label="民意测评最少有效票数",
        min_value=1,
        max_value=1000,
        required=False,
        help_text="回收票数达到此数后才显示测评结果、才能计算总分；不填用系统默认值。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.editable_by(user)
            .active()
            .filter(kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH])
            .order_by("path")
        )
        self.fields["organisation"].label_from_instance = lambda o: (
            f"{'　' * (o.depth - 1)}{o.name}"
        )
        if not self.is_bound:
            today = timezone.localdate()
            quarter = (today.month - 1) // 3 + 1
            start, end = rules.default_window(rules.QUARTER, today.year, quarter)
            ws, wm, wb = selectors.default_weights()
            first = self.fields["organisation"].queryset.first()
            self.initial.update(
                {
                    "organisation": first.pk if first else None,
                    "kind": rules.QUARTER,
                    "year": today.year,
                    "period": quarter,
                    "population": rules.ALL_MEMBERS,
                    "starts_on": start,
                    "ends_on": end,
                    "weight_self": ws,
                    "weight_masses": wm,
                    "weight_branch": wb,
                }
            )


class SelfReportForm(BootstrapMixin, forms.Form):
    report = forms.CharField(
        label="述岗报告",
        max_length=TEXT_LONG,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="对照岗位职责和公开承诺，写明履职情况、承诺兑现、存在不足和努力方向。",
    )
    self_score = forms.DecimalField(
        label="自评分",
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=1,
        widget=forms.NumberInput(attrs=SCORE),
    )

    def __init__(self, *args, bands, **kwargs):
        super().__init__(*args, **kwargs)
        # the cycle's own grade bands (configurable, stored with the cycle)
        self.fields["self_score"].help_text = f"0～100分。{rules.bands_text(bands)}。"
        _big(self)


class RatingRowForm(forms.Form):
    """One member's row on the rating page (prefix = person id); read-only (`disabled`) out
    of the rating window or for an account without a person."""

    score = forms.DecimalField(
        label="评定分",
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=1,
        required=False,
        widget=forms.NumberInput(attrs={**SCORE, "class": "form-control form-control-sm"}),
    )
    comment = forms.CharField(
        label="评语",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.disabled = disabled


class HonourForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label="荣誉",
        choices=HonourKind.choices,
        help_text="对作用发挥好、群众公认的党员可授予荣誉称号；只有考评等次为优秀的党员可以授予。",
    )
    awarded_on = forms.DateField(label="授予日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="备注", max_length=200, required=False)


class ExplainForm(BootstrapMixin, forms.Form):
    meeting = forms.ModelChoiceField(
        label="作出说明的党员大会",
        queryset=Meeting.objects.none(),
        required=False,
        help_text="对群众评议不好、履行职责较差的党员，要在支部大会上作出解释和说明。",
    )
    explained_on = forms.DateField(
        label="说明日期", widget=DATE, required=False, help_text="未登记党员大会时填写。"
    )
    explanation = forms.CharField(
        label="解释和说明", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, rectification, **kwargs):
        super().__init__(*args, **kwargs)
        # the general meetings held since the result was computed (rectification_explain)
        meetings = Meeting.objects.filter(
            state="held",  # a planned meeting is no evidence yet
            organisation_id=rectification.organisation_id,
            kind=MeetingKind.GENERAL,
            held_on__lte=timezone.localdate(),
        )
        computed_at = rectification.result.cycle.computed_at
        if computed_at is not None:
            meetings = meetings.filter(held_on__gte=timezone.localdate(computed_at))
        self.fields["meeting"].queryset = meetings.order_by("-held_on")
        self.fields["meeting"].label_from_instance = lambda m: f"{m.held_on:%Y-%m-%d} {m.topic}"


class CompleteForm(BootstrapMixin, forms.Form):
    measures = forms.CharField(label="整改措施及完成情况", widget=forms.Textarea(attrs={"rows": 4}))
    done_on = forms.DateField(label="完成日期", widget=DATE, initial=timezone.localdate)


class VerifyForm(BootstrapMixin, forms.Form):
    verified_on = forms.DateField(label="验收日期", widget=DATE, initial=timezone.localdate)
