from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from dangjian.branches import rules, services
from dangjian.branches.models import (
    MAX_MEMBERS,
    CriterionGroup,
    Grade,
    GradingYear,
    PlanSource,
)
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.orglife.models import Meeting, MeetingKind

TEXT = forms.Textarea(attrs={"rows": 3})


class GradingYearForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = GradingYear
        fields = ["organisation", "year", "theme", *rules.TIMELINE_KEYS]
        widgets = {key: DATE for key in rules.TIMELINE_KEYS}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.visible_to(user)
            .active()
            .filter(kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH])
            .order_by("path")
        )
        self.fields["year"].initial = timezone.localdate().year
        self.fields["year"].min_value = rules.FIRST_YEAR
        self.fields["year"].max_value = rules.LAST_YEAR
        self.fields["year"].validators += [
            MinValueValidator(rules.FIRST_YEAR),
            MaxValueValidator(rules.LAST_YEAR),
        ]
        self.fields["year"].widget.attrs.update(min=rules.FIRST_YEAR, max=rules.LAST_YEAR)
        self.fields["theme"].required = False
        for key in rules.TIMELINE_KEYS:
            self.fields[key].required = False
        if self.instance.pk:
            self.fields["organisation"].disabled = True
            self.fields["year"].disabled = True
        else:
            self.fields["plans_due"].help_text = (
                "日期留空的，按《组织建设年实施方案》附件1的时间安排（3月29日、3月30日、4—5月、5月底、6—10月、"
                "11—12月、12月底）填入。 " + self.fields["plans_due"].help_text
            )


BAND_HELP = "《组织建设年实施方案》未给出分数线，由党委组织部确定。"


class StandardForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=60)
    advanced = forms.DecimalField(
        label="先进（不低于）", max_digits=4, decimal_places=1, help_text=BAND_HELP
    )
    good = forms.DecimalField(label="较好（不低于）", max_digits=4, decimal_places=1)
    average = forms.DecimalField(
        label="一般（不低于）", max_digits=4, decimal_places=1, help_text="低于此分数为后进。"
    )
    is_active = forms.BooleanField(label="启用", required=False)
    note = forms.CharField(label="说明", required=False, widget=TEXT)

    def bands(self) -> list:
        data = self.cleaned_data
        return [[data["advanced"], "先进"], [data["good"], "较好"], [data["average"], "一般"]]

    @classmethod
    def initial_for(cls, standard) -> dict:
        bands = dict((label, t) for t, label in rules.parse_bands(standard.bands))
        return {
            "name": standard.name,
            "advanced": bands["先进"],
            "good": bands["较好"],
            "average": bands["一般"],
            "is_active": standard.is_active,
            "note": standard.note,
        }


class CriterionForm(BootstrapMixin, forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    order = forms.IntegerField(label="序号", min_value=1, max_value=99)
    group = forms.ChoiceField(label="类别", choices=[("", "—"), *CriterionGroup.choices])
    name = forms.CharField(label="评分项目", max_length=60)
    guidance = forms.CharField(
        label="评分要点", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    points = forms.DecimalField(
        label="分值", max_digits=4, decimal_places=1, min_value=Decimal("0.5")
    )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True)


class SurveyForm(BootstrapMixin, forms.Form):
    """党支部调查摸底表: the facts, a score and a finding per criterion, problems, self-grade and
    the masses' opinion."""

    members_count = forms.IntegerField(
        label="党员人数",
        min_value=0,
        max_value=MAX_MEMBERS,
        help_text="已按人员名册中本支部的正式、预备党员统计。",
    )
    committee_complete = forms.BooleanField(
        label="支部班子健全",
        required=False,
        help_text="正式党员7人以上的支部设支部委员会（3至5人），不足7人的设书记。",
    )
    committee_note = forms.CharField(label="支部班子", max_length=200, required=False)
    activity_room_area = forms.DecimalField(
        label="活动室面积（㎡）",
        max_digits=7,
        decimal_places=1,
        required=False,
        min_value=0,
        help_text="活动室面积不少于20平方米。",
    )
    annual_assessment = forms.CharField(
        label="年度考核情况", max_length=200, required=False, help_text="上年度目标管理考核等次等。"
    )
    problems = forms.CharField(label="主要问题", required=False, widget=TEXT)
    self_grade = forms.ChoiceField(
        label="支部自评等次", required=False, choices=[("", "（未自评）"), *Grade.choices]
    )
    masses_opinion = forms.CharField(
        label="群众评议情况",
        required=False,
        widget=TEXT,
        help_text="党员、群众评议的方式、人数和主要意见。",
    )

    def __init__(self, *args, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.score_rows = []
        for row in scores:
            # the row's copy of its criterion (a draft's follows the standard)
            score_name, finding_name = f"score_{row.criterion_id}", f"finding_{row.criterion_id}"
            self.fields[score_name] = forms.DecimalField(
                label=f"{row.name}得分",
                required=False,
                min_value=0,
                max_value=row.points,
                max_digits=4,
                decimal_places=1,
                widget=forms.NumberInput(
                    attrs={"step": "0.5", "class": "form-control form-control-sm score-input"}
                ),
            )
            self.fields[finding_name] = forms.CharField(
                label=f"{row.name}存在问题及情况",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
            )
            self.initial.setdefault(score_name, row.score)
            self.initial.setdefault(finding_name, row.finding)
            self.score_rows.append(
                {"row": row, "score": self[score_name], "finding": self[finding_name]}
            )

    def fact_fields(self):
        return [
            self[name]
            for name in (
                "members_count",
                "committee_complete",
                "committee_note",
                "activity_room_area",
                "annual_assessment",
            )
        ]

    def opinion_fields(self):
        return [self[name] for name in ("problems", "self_grade", "masses_opinion")]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        scores = [
            {
                "criterion": entry["row"].criterion_id,
                "score": data.get(f"score_{entry['row'].criterion_id}"),
                "finding": data.get(f"finding_{entry['row'].criterion_id}", ""),
            }
            for entry in self.score_rows
        ]
        fields = {k: v for k, v in data.items() if k in services.SURVEY_FIELDS}
        return {"scores": scores, **fields}


class DecisionForm(BootstrapMixin, forms.Form):
    grade = forms.ChoiceField(label="定级等次", choices=Grade.choices)
    reason = forms.CharField(
        label="党总支定级意见",
        required=False,
        widget=TEXT,
        help_text="结合调查摸底、年度考核、群众评议、支部自评情况；与建议等次不同时须写明理由。",
    )
    graded_on = forms.DateField(
        required=False,
        label="定级日期",
        widget=DATE,
        initial=timezone.localdate,
        help_text="会议研究决定后补录的，填写会议日期。",
    )


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label="退回理由", max_length=200)


class PlanForm(BootstrapMixin, forms.Form):
    source = forms.ChoiceField(
        label="整改来源", choices=PlanSource.choices, initial=PlanSource.GRADING
    )
    reason = forms.CharField(
        label="整改原因",
        max_length=200,
        required=False,
        help_text="如：2026年初次定级为一般。留空时按定级结果填写。",
    )
    goals = forms.CharField(
        label="整改目标",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="对照“五个好”标准，明确加强组织建设的目标和任务（巩固先进、推动一般、整顿后进）。",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["source"]


class DiscussForm(BootstrapMixin, forms.Form):
    meeting = forms.ModelChoiceField(
        label="讨论的党员大会",
        queryset=Meeting.objects.none(),
        required=False,
        help_text="在“三会一课”中登记的本支部党员大会；未登记的可只填日期。",
    )
    discussed_on = forms.DateField(label="讨论日期", widget=DATE, required=False)
    note = forms.CharField(label="讨论情况", required=False, widget=TEXT)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            state="held",  # a planned meeting is no evidence yet
            organisation=branch,
            kind=MeetingKind.GENERAL,
            held_on__year__gte=timezone.localdate().year - 1,
        ).order_by("-held_on", "-id")
        self.fields["meeting"].label_from_instance = lambda m: f"{m.held_on:%Y-%m-%d} {m.topic}"
        self.fields["meeting"].empty_label = "（选择党员大会）"


class ItemForm(BootstrapMixin, forms.Form):
    order = forms.IntegerField(label="序号", min_value=1, max_value=999, required=False)
    problem = forms.CharField(label="存在问题", widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.ModelChoiceField(label="责任人", queryset=Person.objects.none())
    deadline = forms.DateField(
        label="完成时限",
        widget=DATE,
        help_text="在方案的年度内；除长期性项目外不晚于12月31日。",
    )
    long_term = forms.BooleanField(
        label="长期性项目",
        required=False,
        help_text="除长期性项目外，整改事项必须在12月底前全部完成。",
    )

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = (
            Person.objects.filter(is_active=True).under_path(branch.path).order_by("name", "id")
        )
        self.fields["responsible"].label_from_instance = lambda p: (
            f"{p.name}（{p.get_party_status_display()}）"
        )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("order") is None:
            data.pop("order", None)
        return data


class DoneForm(BootstrapMixin, forms.Form):
    done_on = forms.DateField(
        label="完成日期",
        widget=DATE,
        initial=timezone.localdate,
        help_text="不早于方案年度的1月1日，不晚于今天。",
    )
    result = forms.CharField(label="整改成效", widget=forms.Textarea(attrs={"rows": 3}))


class VerifyForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label="上级意见", max_length=200, required=False, help_text="退回时必须填写理由。"
    )
    verified_on = forms.DateField(
        label="销号日期", widget=DATE, required=False, help_text="现场核实后补录的，填写核实日期。"
    )
