from django import forms
from django.utils import timezone

from dangjian.core import uploads
from dangjian.org import widgets
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Organisation, Person, Unit
from dangjian.targets import services
from dangjian.targets.models import (
    AnnualPlan,
    Decision,
    Evaluation,
    LongTermGoal,
    Opinion,
    Task,
    WorkItem,
)

YEAR_MIN = 2000
YEAR_MAX = 2100
# More people than this in a choice list make the page slow: the work item's own
# organisation (and below) is offered; anyone in scope is still accepted.
PERSON_CHOICE_LIMIT = 500


PLANNING_KINDS = ("committee", "general_branch", "branch")


def planning_orgs(user):
    """Organisations the user may plan for: active committees, general branches, branches."""
    return (
        Organisation.objects.editable_by(user)
        .active()
        .exclude(kind="group")
        .only("id", "name", "depth", "path")
    )


class _NoUniqueCheck:
    """Uniqueness (one plan a year) is checked by the service, with its own wording."""

    def _post_clean(self):
        pass


class _YearMixin:
    year_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.year_fields:
            self.fields[name].widget.attrs.update({"min": YEAR_MIN, "max": YEAR_MAX})

    def clean(self):
        cleaned = super().clean()
        for name in self.year_fields:
            value = cleaned.get(name)
            if value is not None and not YEAR_MIN <= value <= YEAR_MAX:
                self.add_error(name, f"年度应在{YEAR_MIN}—{YEAR_MAX}之间")
        return cleaned


class GoalForm(_YearMixin, BootstrapMixin, forms.ModelForm):
    year_fields = ("start_year", "end_year")

    class Meta:
        model = LongTermGoal
        fields = ["organisation", *services.GOAL_FIELDS]
        widgets = {"measures": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "target_level": "须为已获层级的上一级：尚未获得→县（区）级→市级→省级→中央级。",
            "end_year": "目标年度与起始年度相差3—5年。",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = planning_orgs(user)
            widgets.organisations(self.fields["organisation"], PLANNING_KINDS)

    def _post_clean(self):
        # The level and span rules run in the service, with their messages on the fields.
        pass


class AchieveForm(BootstrapMixin, forms.Form):
    achieved_on = forms.DateField(label="实现日期", widget=DATE)


class PlanForm(_NoUniqueCheck, _YearMixin, BootstrapMixin, forms.ModelForm):
    year_fields = ("year",)

    class Meta:
        model = AnnualPlan
        fields = ["organisation", *services.PLAN_FIELDS]
        widgets = {
            "development_goals": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = planning_orgs(user)
            widgets.organisations(self.fields["organisation"], PLANNING_KINDS)


class WorkItemForm(_YearMixin, BootstrapMixin, forms.ModelForm):
    year_fields = ("year",)

    class Meta:
        model = WorkItem
        fields = ["organisation", *services.WORKITEM_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        plans = AnnualPlan.objects.editable_by(user).select_related("organisation")
        if self.instance.pk:
            del self.fields["organisation"]
            plans = plans.filter(organisation_id=self.instance.organisation_id)
        else:
            self.fields["organisation"].queryset = planning_orgs(user)
            widgets.organisations(self.fields["organisation"], PLANNING_KINDS)
        self.fields["plan"].queryset = plans
        self.fields["plan"].label_from_instance = lambda p: (
            f"{p.organisation.name} {p.year}年度（{p.theme}）"
        )

    def _post_clean(self):
        # The plan must belong to the same organisation and year: checked by the service.
        pass


class OpinionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Opinion
        fields = services.OPINION_FIELDS
        widgets = {
            "received_on": DATE,
            "content": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"response": "意见已采纳、已答复或未采纳时必填。"}


class DecisionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = services.DECISION_FIELDS
        widgets = {
            "held_on": DATE,
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "representatives": forms.Textarea(attrs={"rows": 2}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "representatives": "重要决策视情吸收有关方面的代表参加（如教职工代表）。",
        }


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        org = obj.primary_org.name if obj.primary_org_id else "无所在党组织"
        return f"{obj.name}（{org}）"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class TaskForm(BootstrapMixin, forms.ModelForm):
    assignee_unit = UnitChoiceField(label="承担单位", queryset=Unit.objects.none(), required=False)
    assignee_person = PersonChoiceField(
        label="承担人", queryset=Person.objects.none(), required=False
    )
    responsible = PersonChoiceField(label="责任人", queryset=Person.objects.none())

    class Meta:
        model = Task
        fields = services.TASK_FIELDS
        widgets = {
            "deadline": DATE,
            "measures": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "assignee_kind": (
                "按类别选择一个承担方：党组织、行政单位（处室、学院、年段、班级、工会、团委）或个人。"
            ),
            "target": "量化、可考可评，如“发展学生党员不少于10名”。",
        }

    def __init__(self, *args, user, work_item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_org"].queryset = Organisation.objects.visible_to(user).active()
        self.fields["assignee_unit"].queryset = (
            Unit.objects.visible_to(user)
            .active()
            .select_related("parent")
            .order_by("parent__name", "display_order", "name")
        )
        people = Person.objects.editable_by(user).filter(is_active=True)
        shown = list(
            people.under_path(work_item.organisation.path)
            .select_related("primary_org")
            .order_by("name", "id")[:PERSON_CHOICE_LIMIT]
        )
        chosen = {
            str(self.initial.get(name) or "") for name in ("assignee_person", "responsible")
        } | {
            str(self.data.get(self.add_prefix(n)) or "") for n in ("assignee_person", "responsible")
        }
        missing = [pk for pk in chosen if pk.isdigit() and all(str(p.pk) != pk for p in shown)]
        if missing:
            shown += list(people.select_related("primary_org").filter(pk__in=missing))
        for name in ("assignee_person", "responsible"):
            field = self.fields[name]
            field.queryset = people
            field.widget.choices = [("", "请选择")] + [
                (p.pk, field.label_from_instance(p)) for p in shown
            ]
        self.fields["responsible"].help_text = "责任到人：任务的具体负责人。"

    def _post_clean(self):
        # The one-assignee rule and the scope checks run in the service.
        pass


class PublishForm(BootstrapMixin, forms.Form):
    commitment = forms.CharField(
        label="承诺内容",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="承诺内容要切合实际，具体可行，说到做到。",
    )
    published_on = forms.DateField(label="公开日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("published_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ProgressForm(BootstrapMixin, forms.Form):
    reported_on = forms.DateField(label="报告日期", widget=DATE)
    percent = forms.IntegerField(
        label="完成进度（%）", min_value=0, max_value=100, help_text="0—100；100表示已完成。"
    )
    note = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))
    evidence = uploads.UploadField(label="佐证材料", required=False, area="evidence")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("reported_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class EvaluationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = services.EVALUATION_FIELDS
        widgets = {
            "evaluated_on": DATE,
            "method": forms.Textarea(attrs={"rows": 2}),
            "result": forms.Textarea(attrs={"rows": 4}),
            "rewards": forms.Textarea(attrs={"rows": 3}),
        }

    def validate_unique(self):
        pass


class EvaluationPublishForm(BootstrapMixin, forms.Form):
    published_on = forms.DateField(label="公布日期", widget=DATE)
