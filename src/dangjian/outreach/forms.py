from django import forms
from django.utils import timezone

from dangjian.core import access
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Person, Unit, UnitKind
from dangjian.outreach import permissions as perms
from dangjian.outreach import rules, selectors
from dangjian.outreach.models import FocusGroup, Visit, VisitKind, VisitMethod


def _big(form) -> None:
    """Large inputs for the phone pages."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            continue
        size = "form-select-lg" if isinstance(widget, forms.Select) else "form-control-lg"
        widget.attrs["class"] = widget.attrs.get("class", "") + " " + size


def _unit_label(unit: Unit) -> str:
    return unit.full_name


class ContactForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="联系对象", max_length=30)
    relation = forms.CharField(label="关系", max_length=30, help_text="如：同事、学生、邻居。")
    since = forms.DateField(label="建立联系日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["since"].widget.attrs["max"] = timezone.localdate().isoformat()
        _big(self)


class EndForm(BootstrapMixin, forms.Form):
    ended_on = forms.DateField(label="结束日期", widget=DATE, initial=timezone.localdate)


class LinkForm(BootstrapMixin, forms.Form):
    visitor = forms.ModelChoiceField(label="联系人", queryset=Person.objects.none())
    kind = forms.ChoiceField(label="联系类别", choices=selectors.LINK_KIND_CHOICES)
    unit = forms.ModelChoiceField(
        label="联系的学院或班级",
        queryset=Unit.objects.none(),
        required=False,
        help_text="校领导选二级学院，二级学院领导选班级；领导班子成员联系点可选学院，或在下方填写党组织。",
    )
    target = forms.CharField(
        label="联系学生宿舍（或联系的党组织）",
        max_length=100,
        required=False,
        help_text="党员教师联系学生宿舍时填写，如：3号楼学生宿舍；领导班子成员联系点可填党组织，"
        "如：机关一支部。",
    )
    since = forms.DateField(label="开始日期", widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, user, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].queryset = (
            Person.objects.visible_to(user)
            .under_path(org.path if org else "")
            .filter(is_active=True, category="staff", primary_org__isnull=False)
            .select_related("primary_org")
            .order_by("name", "id")
        )
        self.fields["visitor"].label_from_instance = lambda p: f"{p.name}（{p.primary_org}）"
        if not access.can(user, perms.LEADER_LINK):
            self.fields["kind"].choices = [
                c
                for c in selectors.LINK_KIND_CHOICES
                if c[0] not in (rules.LEADER_COLLEGE, rules.LEADER_POINT)
            ]
            self.fields["kind"].help_text = rules.SCHOOL_LEADER_LINKS
        self.fields["unit"].queryset = (
            Unit.objects.active()
            .filter(kind__in=[UnitKind.COLLEGE, UnitKind.CLASS])
            .select_related("parent")
            .order_by("kind", "display_order", "name")
        )
        self.fields["unit"].label_from_instance = _unit_label


class VisitForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Visit
        fields = [
            "kind",
            "link",
            "visited_on",
            "unit",
            "interviewee",
            "focus_group",
            "method",
            "content",
            "needs_follow_up",
        ]
        widgets = {"visited_on": DATE, "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(VisitKind.choices)
        self.fields["link"].queryset = selectors.own_links(person, timezone.localdate())
        self.fields["link"].empty_label = "（不关联联系点）"
        self.fields["link"].label_from_instance = lambda link: (
            f"{link.get_kind_display()}：{link.unit.full_name if link.unit_id else link.target}"
        )
        self.fields["link"].help_text = "三联二访的走访请选择联系点，计入该联系点的走访次数。"
        self.fields["unit"].queryset = (
            Unit.objects.active()
            .filter(kind__in=[UnitKind.COLLEGE, UnitKind.CLASS])
            .select_related("parent")
            .order_by("kind", "display_order", "name")
        )
        self.fields["unit"].label_from_instance = _unit_label
        self.fields["unit"].required = False
        self.fields["focus_group"].choices = [("", "（非重点访谈群体）"), *FocusGroup.choices[1:]]
        self.fields["method"].choices = list(VisitMethod.choices)
        self.fields["visited_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["interviewee"].help_text = "两访两创、家访、回访须填写访谈对象。"
        _big(self)
