from django import forms
from django.conf import settings

from dangjian.membership.models import AwayContact, MemberAway
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import (
    Gender,
    Organisation,
    OrgKind,
    PartyStatus,
    Person,
    PersonCategory,
    Unit,
    UnitKind,
)
from dangjian.org.pickers import person_label
from dangjian.org.rules import MEMBER_STATUSES
from dangjian.org.widgets import Typeahead


class MemberAwayForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = MemberAway
        fields = [
            "person",
            "kind",
            "place",
            "left_on",
            "until",
            "returned_on",
            "keeps_contact",
            "group",
            "note",
        ]
        widgets = {
            "left_on": DATE,
            "until": DATE,
            "returned_on": DATE,
            "note": forms.Textarea(attrs={"rows": 3}),
            "person": Typeahead("org:pick_people", "members=1"),
            "keeps_contact": Typeahead("org:pick_people"),
            "group": Typeahead("org:pick_organisations", "kind=group"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            Person.objects.editable_by(user).filter(is_active=True).select_related("primary_org")
        )
        if self.instance.pk:
            del self.fields["person"]
        else:
            field = self.fields["person"]
            field.queryset = people.filter(party_status__in=MEMBER_STATUSES).order_by("name", "id")
            field.label_from_instance = person_label
        self.fields["keeps_contact"].queryset = people.order_by("name", "id")
        self.fields["keeps_contact"].label_from_instance = person_label
        group = self.fields["group"]
        group.queryset = Organisation.objects.editable_by(user).filter(kind=OrgKind.GROUP)
        group.label_from_instance = lambda o: o.name


class AwayContactForm(BootstrapMixin, forms.ModelForm):
    """A contact with a member away; the member is chosen among the away records the user may
    keep (still away, or back, the latest first)."""

    class Meta:
        model = AwayContact
        fields = ["away", "contacted_on", "way", "by", "content"]
        widgets = {
            "contacted_on": DATE,
            "content": forms.Textarea(attrs={"rows": 3}),
            "by": Typeahead("org:pick_people"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["away"]
        else:
            field = self.fields["away"]
            field.queryset = (
                MemberAway.objects.editable_by(user)
                .select_related("person")
                .order_by("returned_on", "-left_on", "-id")
            )
            field.label_from_instance = lambda a: (
                f"{a.person.name}（{a.place}，{a.left_on:%Y-%m-%d}起"
                f"{'' if a.returned_on is None else '，已返回'}）"
            )
        people = Person.objects.editable_by(user).filter(is_active=True)
        self.fields["by"].queryset = people.select_related("primary_org").order_by("name", "id")
        self.fields["by"].label_from_instance = person_label


# --- 组织关系转接 ------------------------------------------------------------------------------


def _members_to_send(user):
    return (
        Person.objects.editable_by(user)
        .filter(is_active=True, party_status__in=MEMBER_STATUSES)
        .select_related("primary_org")
        .order_by("name", "id")
    )


def _branches():
    return Organisation.objects.active().filter(kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH])


def _person_field() -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="党员",
        widget=Typeahead("org:pick_people", "members=1"),
        error_messages={"invalid_choice": "请从本组织在册党员中选择。"},
    )
    field.label_from_instance = person_label
    return field


class TransferSendForm(BootstrapMixin, forms.Form):
    """校内转接: who goes where, and why (the origin branch's officer)."""

    person = _person_field()
    destination_org = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="转入党组织",
        widget=Typeahead("membership:pick_branches"),
        help_text="本单位内接收该党员的党支部。",
    )
    reason = forms.CharField(label="转接原因", max_length=200)
    issued_on = forms.DateField(
        label="办理日期", required=False, widget=DATE, help_text="不填为今天。"
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _members_to_send(user)
        self.fields["destination_org"].queryset = _branches()
        self.fields["destination_org"].label_from_instance = lambda o: o.name


class TransferOutForm(BootstrapMixin, forms.Form):
    """转出本单位: the introduction letter's contents."""

    person = _person_field()
    destination_text = forms.CharField(
        label="转往党组织", max_length=120, help_text="介绍信抬头：接收组织关系的党组织全称。"
    )
    reason = forms.CharField(label="转接原因", max_length=200, initial="毕业离校")
    issued_on = forms.DateField(
        label="开具日期", required=False, widget=DATE, help_text="不填为今天。"
    )
    valid_days = forms.IntegerField(
        label="有效期（天）", min_value=1, max_value=365, required=False
    )
    dues_paid_until = forms.DateField(
        label="党费交到",
        required=False,
        widget=DATE,
        help_text="党费已交到的月份（填该月任一日）。",
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _members_to_send(user)
        self.fields["valid_days"].initial = settings.TRANSFER_LETTER_VALID_DAYS


class TransferInForm(BootstrapMixin, forms.Form):
    """转入本单位: the letter received and the member it introduces."""

    destination_org = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="分配到党支部",
        widget=Typeahead("org:pick_organisations", "kind=branch&kind=general_branch"),
    )
    letter_number = forms.CharField(label="介绍信编号", max_length=40)
    origin_text = forms.CharField(label="原党组织", max_length=120)
    reason = forms.CharField(label="转接原因", max_length=200, initial="工作调动")
    issued_on = forms.DateField(
        label="接收日期", required=False, widget=DATE, help_text="不填为今天。"
    )
    dues_paid_until = forms.DateField(label="党费交到", required=False, widget=DATE)
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族")
    id_number = forms.CharField(
        label="身份证号",
        max_length=18,
        required=False,
        help_text="已在系统中的人员按身份证号匹配。",
    )
    birth_date = forms.DateField(label="出生日期", required=False, widget=DATE)
    category = forms.ChoiceField(label="人员类别", choices=PersonCategory.choices)
    party_status = forms.ChoiceField(
        label="党员类别",
        choices=[(PartyStatus.FULL, "正式党员"), (PartyStatus.PROBATIONARY, "预备党员")],
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["destination_org"]
        field.queryset = Organisation.objects.editable_by(user).filter(
            kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH], dissolved_on__isnull=True
        )
        field.label_from_instance = lambda o: o.name


class StepNoteForm(forms.Form):
    """The note of a step (receive, approve, cancel); a rejection needs one (the service)."""

    note = forms.CharField(label="意见", max_length=300, required=False)


class SlipForm(forms.Form):
    returned_on = forms.DateField(label="回执返回日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=300, required=False)


class BatchChooseForm(BootstrapMixin, forms.Form):
    """毕业生批量转出, first: whose members (a branch, or a class or grade under it)."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="党组织",
        widget=Typeahead("org:pick_organisations", "kind=branch&kind=general_branch"),
    )
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label="班级或年段", required=False)

    def __init__(self, *args, user, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.editable_by(user).filter(
            kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH]
        )
        field.label_from_instance = lambda o: o.name
        unit = self.fields["unit"]
        unit.queryset = Unit.objects.filter(kind__in=[UnitKind.CLASS, UnitKind.GRADE])
        unit.choices = [("", "全部"), *((u.pk, u.full_name) for u in units)]


class BatchForm(BootstrapMixin, forms.Form):
    """毕业生批量转出, then: the letters' common contents."""

    reason = forms.CharField(label="转接原因", max_length=200, initial="毕业离校")
    destination_text = forms.CharField(
        label="转往党组织（统一填写）",
        max_length=120,
        required=False,
        help_text="各行未单独填写去向的，使用此处填写的党组织。",
    )
    issued_on = forms.DateField(
        label="开具日期", required=False, widget=DATE, help_text="不填为今天。"
    )
    valid_days = forms.IntegerField(
        label="有效期（天）", min_value=1, max_value=365, required=False
    )
    dues_paid_until = forms.DateField(label="党费交到", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_days"].initial = settings.TRANSFER_LETTER_VALID_DAYS
