"""Input of honours rounds and model units; the pages and the API validate with the same forms.
The pickers offer only what the user may name (their subtree)."""

from django import forms

from dangjian.honours import rules
from dangjian.honours.models import Category, CheckKind, HonourRound, ModelUnit
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.org.pickers import person_label
from dangjian.org.rules import MEMBER_STATUSES
from dangjian.org.widgets import Typeahead

BASIC_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)


class RoundForm(BootstrapMixin, forms.Form):
    title = forms.CharField(
        label="名称", max_length=100, help_text="如：2026年“两优一先”评选表彰。"
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    nomination_deadline = forms.DateField(label="推荐截止日期", widget=DATE)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class QuotaForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="党总支（直属党支部）",
        queryset=Organisation.objects.none(),
        widget=Typeahead("org:pick_organisations", "kind=general_branch&kind=branch"),
    )
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    quota = forms.IntegerField(label="名额", min_value=0, max_value=999)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.visible_to(user).filter(depth=2)
        field.label_from_instance = lambda o: o.name


class NominationForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    person = forms.ModelChoiceField(
        label="推荐对象（党员）",
        queryset=Person.objects.none(),
        required=False,
        widget=Typeahead("org:pick_people", "members=1"),
        help_text="推荐优秀共产党员、优秀党务工作者时选择党员。",
    )
    organisation = forms.ModelChoiceField(
        label="推荐对象（党组织）",
        queryset=Organisation.objects.none(),
        required=False,
        widget=Typeahead("org:pick_organisations", "kind=general_branch&kind=branch"),
        help_text="推荐先进基层党组织时选择党总支或党支部。",
    )
    deeds = forms.CharField(
        label="主要事迹", max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.queryset = (
            Person.objects.editable_by(user)
            .filter(is_active=True, party_status__in=MEMBER_STATUSES)
            .select_related("primary_org")
        )
        person.label_from_instance = person_label
        org = self.fields["organisation"]
        org.queryset = Organisation.objects.editable_by(user).filter(kind__in=BASIC_KINDS)
        org.label_from_instance = lambda o: o.name

    def clean(self):
        data = super().clean()
        category = data.get("category")
        if category in rules.PERSON_CATEGORIES and not data.get("person"):
            self.add_error("person", f"推荐{rules.CATEGORY_LABELS[category]}须选择党员。")
        if category == rules.ADVANCED_ORG and not data.get("organisation"):
            self.add_error("organisation", "推荐先进基层党组织须选择党组织。")
        return data


class ReviewForm(BootstrapMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label="审核结果",
        choices=[("1", "审核通过"), ("0", "审核未通过")],
        coerce=lambda v: v in ("1", True, "true", "True"),
    )
    note = forms.CharField(label="审核意见", max_length=200, required=False)


class NoticeForm(BootstrapMixin, forms.Form):
    starts_on = forms.DateField(label="公示开始日期", widget=DATE)
    ends_on = forms.DateField(label="公示结束日期", widget=DATE)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "公示结束日期不能早于开始日期。")
        return data


class DecideForm(BootstrapMixin, forms.Form):
    decided_on = forms.DateField(label="表彰决定日期", widget=DATE)
    decision_number = forms.CharField(
        label="表彰决定文号", max_length=60, required=False, help_text="如：院委〔2026〕20号。"
    )


class PublishForm(BootstrapMixin, forms.Form):
    published_on = forms.DateField(label="发布日期", widget=DATE)


class ConfirmForm(BootstrapMixin, forms.Form):
    """A confirmation with nothing to fill in."""


class ObjectionForm(BootstrapMixin, forms.Form):
    received_on = forms.DateField(label="收到日期", widget=DATE)
    content = forms.CharField(
        label="反映内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(BootstrapMixin, forms.Form):
    upheld = forms.TypedChoiceField(
        label="核查结论",
        choices=[("0", "反映不属实，维持推荐"), ("1", "反映属实，不予表彰")],
        coerce=lambda v: v in ("1", True, "true", "True"),
    )
    resolution = forms.CharField(
        label="核查情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ModelUnitForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ModelUnit
        fields = [
            "organisation",
            "chosen_by",
            "kind",
            "feature",
            "goals",
            "leader",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "organisation": Typeahead("org:pick_organisations", "kind=general_branch&kind=branch"),
            "chosen_by": Typeahead("org:pick_organisations", "kind=committee&kind=general_branch"),
            "leader": Typeahead("org:pick_people"),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("organisation", "chosen_by", "kind", "starts_on"):
                del self.fields[name]
        else:
            orgs = Organisation.objects.editable_by(user)
            self.fields["organisation"].queryset = orgs.filter(kind__in=BASIC_KINDS)
            self.fields["chosen_by"].queryset = orgs.filter(
                kind__in=(OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)
            )
            for name in ("organisation", "chosen_by"):
                self.fields[name].label_from_instance = lambda o: o.name
        leader = self.fields["leader"]
        leader.queryset = Person.objects.visible_to(user).filter(is_active=True)
        leader.label_from_instance = person_label


class CheckForm(BootstrapMixin, forms.Form):
    checked_on = forms.DateField(label="检查日期", widget=DATE)
    kind = forms.ChoiceField(label="检查方式", choices=CheckKind.choices)
    findings = forms.CharField(
        label="检查情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class UnitReviewForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="评审结论",
        choices=[(rules.CONFIRM, "确认为示范单位"), (rules.WITHDRAW, "撤销")],
    )
    reviewed_on = forms.DateField(label="评审日期", widget=DATE)
    note = forms.CharField(
        label="评审意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def round_choices(user):
    return HonourRound.objects.visible_to(user)
