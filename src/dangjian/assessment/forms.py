from decimal import Decimal

from django import forms
from django.utils import timezone

from dangjian.assessment import rules
from dangjian.assessment.models import Item, RoundKind, ScoreSheetTemplate
from dangjian.assessment.services import ScoreEntry
from dangjian.core import uploads
from dangjian.core.text_limits import TEXT_LONG
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Organisation, OrgKind


class RoundForm(BootstrapMixin, forms.Form):
    template = forms.ModelChoiceField(
        label="考核评分表", queryset=ScoreSheetTemplate.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(
        label="类别",
        choices=RoundKind.choices,
        help_text="原则上考核两年进行1次，根据工作需要不定期进行专项考核（《支部考核办法》§三）。",
    )
    title = forms.CharField(
        label="名称",
        max_length=100,
        required=False,
        help_text="不填为“某年度党支部工作目标管理考核”。",
    )
    organisation = forms.ModelChoiceField(
        label="考核范围",
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text="该党组织下的全部党支部参加考核。",
    )
    self_due = forms.DateField(label="自评截止日期", widget=DATE)
    finish_by = forms.DateField(
        label="考核完成日期",
        widget=DATE,
        required=False,
        help_text="不填为考核年度的12月15日（《支部考核办法》§五：考核年度的12月中旬前完成）。",
    )
    note = forms.CharField(
        label="考核安排", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ScoreSheetTemplate.objects.visible_to(user).filter(
            is_active=True
        )
        self.fields["organisation"].queryset = (
            Organisation.objects.visible_to(user)
            .active()
            .filter(kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH])
            .order_by("path")
        )
        year = timezone.localdate().year
        self.fields["year"].initial = year
        self.fields["self_due"].initial = f"{year}-11-30"


def score_field(item: Item, label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=item.points,
        decimal_places=1,
        max_digits=4,
        widget=forms.NumberInput(
            attrs={
                "step": "0.5",
                "min": "0",
                "max": rules.fmt(item.points),
                "class": "form-control form-control-sm score-input",
                "inputmode": "decimal",
            }
        ),
    )


class ScoreSheetForm(forms.Form):
    """One score and note per base item (and the evidence when the branch self-scores)."""

    def __init__(self, *args, items: list[Item], party: str, scores: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.party = party  # "self" or "group"
        for item in items:
            row = scores.get(item.pk)
            label = f"第{item.number}项"
            self.fields[f"score_{item.pk}"] = score_field(item, label)
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=f"{label}说明",
                required=False,
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
            )
            if row is not None:
                score = row.self_score if party == "self" else row.group_score
                note = row.self_note if party == "self" else row.group_note
                self.initial.setdefault(
                    f"score_{item.pk}", rules.fmt(score) if score is not None else None
                )
                self.initial.setdefault(f"note_{item.pk}", note)
            if party == "self":
                self.fields[f"evidence_{item.pk}"] = uploads.UploadField(
                    label=f"{label}证明材料",
                    required=False,
                    widget=forms.ClearableFileInput(
                        attrs={"class": "form-control form-control-sm"}
                    ),
                    area="assessment",
                )

    def entries(self, data: dict) -> list[ScoreEntry]:
        result = []
        for item in self.items:
            evidence = data.get(f"evidence_{item.pk}")
            result.append(
                ScoreEntry(
                    item=item,
                    score=data.get(f"score_{item.pk}"),
                    note=data.get(f"note_{item.pk}") or "",
                    evidence=evidence or None,
                    clear_evidence=evidence is False,
                )
            )
        return result

    def bound(self, item: Item):
        """The item's widgets (score, note, evidence) for the sheet's row."""
        names = [f"score_{item.pk}", f"note_{item.pk}", f"evidence_{item.pk}"]
        return [self[n] if n in self.fields else None for n in names]


class ClaimForm(BootstrapMixin, forms.Form):
    choice = forms.ChoiceField(
        label="附加分项目及类别",
        help_text="评分表第17～20项（党支部工作特色）；分值＝该类别每项分值×项数，由考核组认定。",
    )
    description = forms.CharField(
        label="事项", max_length=200, help_text="荣誉名称、报道标题、经验名称或论文、课题题目。"
    )
    count = forms.IntegerField(label="项数", min_value=1, max_value=50, initial=1)
    evidence = uploads.UploadField(label="证明材料", required=False, area="assessment")

    def __init__(self, *args, items: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {i.pk: i for i in items}
        self.fields["choice"].choices = [
            (
                f"第{i.number}项",
                [
                    (f"{i.pk}:{key}", f"{key}（{rules.fmt(points)}分/项）")
                    for key, points in i.bonus_options.items()
                ],
            )
            for i in items
        ]

    def clean(self):
        data = super().clean()
        choice = data.get("choice", "")
        pk, _sep, option = choice.partition(":")
        item = self.items.get(int(pk)) if pk.isdigit() else None
        if item is None:
            self.add_error("choice", "请选择附加分项目及类别。")
        else:
            data["item"], data["option"] = item, option
        return data

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {
            "item": d["item"],
            "option": d["option"],
            "description": d["description"],
            "count": d["count"],
            "evidence": d.get("evidence") or None,
        }


class ReviewForm(forms.Form):
    accepted = forms.TypedChoiceField(
        choices=[("1", "认定"), ("0", "不予认定")],
        coerce=lambda v: v == "1",
        error_messages={
            "required": "请选择认定或不予认定。",
            "invalid_choice": "请选择认定或不予认定。",
        },
    )
    group_note = forms.CharField(
        max_length=200,
        required=False,
        error_messages={"max_length": "认定意见不超过200字。"},
    )


class VetoForm(BootstrapMixin, forms.Form):
    vetoed = forms.BooleanField(label="一票否决（不论得分高低，均为不合格支部）", required=False)
    reason = forms.CharField(
        label="否决事由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：支部党员某某因违纪受到党内警告处分（《支部考核办法》§六(二)）。",
    )


class NoticeForm(BootstrapMixin, forms.Form):
    notice_on = forms.DateField(label="通知日期", widget=DATE, initial=timezone.localdate)
    notice_text = forms.CharField(
        label="书面通知",
        max_length=TEXT_LONG,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text="以书面形式将考核结果通知被考核支部（《支部考核办法》§四(二)）。",
    )


class AppealForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label="复核理由", widget=forms.Textarea(attrs={"rows": 3}), help_text=rules.APPEAL_RULE
    )
    filed_on = forms.DateField(
        required=False,
        label="申请日期",
        widget=DATE,
        initial=timezone.localdate,
        help_text="补录书面申请的，填写申请书上的日期。",
    )


class AnswerForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(
        label="复核意见", widget=forms.Textarea(attrs={"rows": 3}), help_text=rules.ANSWER_RULE
    )
    answered_on = forms.DateField(
        required=False,
        label="复核意见日期",
        widget=DATE,
        initial=timezone.localdate,
        help_text="补录书面复核意见的，填写意见书上的日期；超过10日的予以标记。",
    )
    revised_total = forms.DecimalField(
        label="复核后总分",
        required=False,
        min_value=Decimal(0),
        decimal_places=1,
        max_digits=5,
        help_text="维持原结果的不填；改变总分的，等次随之重新确定（一票否决仍然适用）。",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False)


class TemplateForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    bands = forms.CharField(
        label="等次分数线",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行“分数线 等次”，从高到低，如“90 优秀”；低于最后一条为不合格。",
    )
    bonus_cap = forms.DecimalField(
        label="附加分上限",
        required=False,
        min_value=Decimal(0),
        decimal_places=1,
        max_digits=5,
        help_text="不填为不设上限（《支部考核办法》评分表未设上限）。",
    )
    veto_rules = forms.CharField(
        label="一票否决情形",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一条（《支部考核办法》§六(二)）。",
    )
    is_active = forms.BooleanField(label="启用（可用于新建考核）", required=False)

    def __init__(
        self, *args, template: ScoreSheetTemplate, in_use: bool, full_marks: Decimal, **kwargs
    ):
        self.full_marks = full_marks  # the sheet's base points: no threshold above them
        kwargs.setdefault(
            "initial",
            {
                "name": template.name,
                "note": template.note,
                "bands": "\n".join(f"{rules.fmt(t)} {label}" for t, label in template.bands),
                "bonus_cap": template.bonus_cap,
                "veto_rules": "\n".join(template.veto_rules),
                "is_active": template.is_active,
            },
        )
        super().__init__(*args, **kwargs)
        if in_use:
            for name in ("bands", "bonus_cap", "veto_rules"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "该评分表已用于考核，不能修改；请复制为新版本。"

    def clean_bands(self):
        bands = []
        for line in self.cleaned_data["bands"].splitlines():
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            if len(parts) != 2:
                raise forms.ValidationError(f"“{line}”应为“分数线 等次”。")
            try:
                threshold = rules.dec(parts[0])
            except ArithmeticError:
                threshold = None
            if threshold is None or not threshold.is_finite():
                raise forms.ValidationError(f"“{parts[0]}”不是数字。")
            bands.append([threshold, parts[1]])
        error = rules.bands_error(bands, self.full_marks)
        if error:
            raise forms.ValidationError(error)
        # stored as JSON numbers: 90, 89.5
        return [[int(t) if t == t.to_integral() else float(t), name] for t, name in bands]

    def clean_veto_rules(self):
        lines = self.cleaned_data["veto_rules"].splitlines()
        return [line.strip() for line in lines if line.strip()]


class ItemForm(BootstrapMixin, forms.Form):
    content = forms.CharField(label="二级指标及内容", widget=forms.Textarea(attrs={"rows": 3}))
    points = forms.DecimalField(
        label="分值",
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal(100),
        decimal_places=1,
        max_digits=4,
        help_text="0.5分为单位；一级指标的分值随之按所属二级指标合计。",
    )
    elements = forms.CharField(
        label="测评要素",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如“健全2分、分工2分、改选1分”（或每行一条）；各要素分值合计应等于该项分值。",
    )
    methods = forms.CharField(
        label="评分方法", max_length=100, required=False, help_text="如：听汇报、看材料。"
    )
    bonus_rule = forms.CharField(
        label="附加分标准",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行或以顿号分隔“类别 每项分值”，如“国家级3、省部级2、区级1、校级0.5”。",
    )

    def __init__(self, *args, item: Item, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "content": item.content,
                "points": item.points,
                "elements": "、".join(rules.element_text(e) for e in item.elements),
                "methods": item.methods,
                "bonus_rule": "、".join(
                    f"{k}{rules.fmt(v)}" for k, v in item.bonus_options.items()
                ),
            },
        )
        super().__init__(*args, **kwargs)
        if item.is_bonus:
            del self.fields["points"]
            del self.fields["elements"]
        else:
            del self.fields["bonus_rule"]
            self.fields["points"].required = True

    def clean_elements(self):
        return rules.parse_elements(self.cleaned_data["elements"])

    def clean_bonus_rule(self):
        try:
            return rules.parse_bonus_rule(self.cleaned_data["bonus_rule"])
        except ValueError as exc:
            raise forms.ValidationError(f"“{exc}”应为“类别 每项分值”。") from None


class CopyForm(forms.Form):
    name = forms.CharField(max_length=100, required=False)
