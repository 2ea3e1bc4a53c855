from django import forms

from dangjian.core import uploads
from dangjian.org import rules, selectors
from dangjian.org.models import (
    LeadingGroup,
    LeadingGroupMember,
    LeaveCause,
    Organisation,
    PartyStatus,
    Person,
    Position,
    Term,
    Unit,
    UnitKind,
)
from dangjian.org.services import ORG_FIELDS, PERSON_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class OrganisationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [*ORG_FIELDS, "covered_units"]
        widgets = {
            "founded_on": DATE,
            "note": forms.Textarea(attrs={"rows": 3}),
            "covered_units": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covered_units"].queryset = Unit.objects.filter(dissolved_on__isnull=True)
        kinds = rules.ALLOWED_CHILDREN.get(parent.kind if parent else None, ())
        if self.instance.pk:
            parent_kind = (
                Organisation.objects.get_parent(self.instance).kind
                if self.instance.depth > 1
                else None
            )
            kinds = rules.ALLOWED_CHILDREN.get(parent_kind, ())
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] in kinds]


class MoveForm(BootstrapMixin, forms.Form):
    new_parent = forms.ModelChoiceField(label="新的上级组织", queryset=Organisation.objects.none())

    def __init__(self, *args, user, org, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [k for k, children in rules.ALLOWED_CHILDREN.items() if org.kind in children]
        self.fields["new_parent"].queryset = (
            Organisation.objects.editable_by(user)
            .active()
            .filter(kind__in=kinds)
            .exclude(path__startswith=org.path)
        )


class DissolveForm(BootstrapMixin, forms.Form):
    dissolved_on = forms.DateField(label="撤销日期", widget=DATE)
    note = forms.CharField(label="撤销原因", max_length=300, required=False)


class PersonForm(BootstrapMixin, forms.ModelForm):
    # A choice rather than a checkbox: an unticked box would read as "elsewhere".
    relation_held_here = forms.TypedChoiceField(
        label="组织关系所在",
        choices=[("True", "本单位"), ("False", "外单位")],
        coerce=lambda value: value != "False",
        required=False,
        empty_value=True,
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"birth_date": DATE, "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"birth_date": "填写身份证号时可留空，自动从身份证号读取。"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editable = Organisation.objects.editable_by(user).active()
        self.fields["primary_org"].queryset = editable.filter(
            kind__in=["branch", "general_branch", "committee"]
        )
        self.fields["primary_org"].required = True
        self.fields["group"].queryset = editable.filter(kind="group")
        # Classes share names across colleges: show each with its college.
        self.fields["unit"].queryset = (
            Unit.objects.filter(dissolved_on__isnull=True)
            .select_related("parent")
            .order_by("parent__name", "display_order", "name")
        )
        self.fields["unit"].label_from_instance = lambda unit: unit.full_name
        self.initial["relation_held_here"] = str(bool(self.instance.relation_held_here))
        # Who does not read full numbers sees them masked here too, and may type a new one.
        self.full_identity = selectors.sees_full_identity(user)
        if not self.full_identity and self.instance.pk:
            for name in ("id_number", "phone"):
                masked = self._masked(name)
                self.initial[name] = masked
                if masked:
                    self.fields[name].help_text = (
                        "出于个人信息保护，此处只显示脱敏号码；保持不变即保留原号码，"
                        "如需更正请输入完整的新号码。"
                    )

    def _masked(self, name: str) -> str:
        stored = getattr(self.instance, name) or ""
        return rules.mask_id_number(stored) if name == "id_number" else rules.mask_phone(stored)

    def _unmasked(self, name: str, value: str) -> str:
        """The stored number when the masked value came back unchanged."""
        if self.full_identity or not self.instance.pk:
            return value
        stored = getattr(self.instance, name)
        return rules.replacement_value(value, stored, self._masked(name)) or ""

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        value = self._unmasked("id_number", value)
        if not value:
            return None
        error = rules.id_number_error(value)
        if error:
            raise forms.ValidationError(error)
        return value

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        value = self._unmasked("phone", value)
        error = rules.phone_error(value)
        if error:
            raise forms.ValidationError(error)
        return value


class StatusChangeForm(BootstrapMixin, forms.Form):
    new_status = forms.ChoiceField(label="新的政治面貌", choices=PartyStatus.choices)
    effective_on = forms.DateField(label="生效日期", widget=DATE)
    note = forms.CharField(
        label="说明",
        max_length=300,
        required=False,
        help_text="如：支部大会表决通过、党委审批同意等。",
    )


class LeaveForm(BootstrapMixin, forms.Form):
    """停止党籍, 出党 (除名, 开除党籍, 退党), 死亡, 转出: org.services.person_leave."""

    cause = forms.ChoiceField(label="事由", choices=LeaveCause.choices)
    on = forms.DateField(label="日期", widget=DATE)
    reason = forms.CharField(
        label="原因",
        max_length=300,
        help_text="如：支部大会决定、党委批准文号，转出时填写转往单位。",
    )


class RestoreForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label="恢复日期", widget=DATE)
    reason = forms.CharField(label="原因", max_length=300, help_text="如：党委批准恢复党籍的文号。")


class PositionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Position
        fields = ["person", "title", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, org, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.editable_by(user).filter(is_active=True).members().in_subtree(org)
        )
        self.fields["person"].help_text = "从本组织及下级组织的党员中选择。"


class PositionEndForm(BootstrapMixin, forms.Form):
    ends_on = forms.DateField(label="离任日期", widget=DATE)


class TermForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Term
        fields = ["number", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class ImportForm(forms.Form):
    file = uploads.UploadField(
        label="Excel文件",
        help_text="请使用导入模板填写，保存为.xlsx格式。",
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
        area="imports",
    )


class UnitParentField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} / {obj.name}" if obj.parent_id else obj.name


class UnitForm(BootstrapMixin, forms.Form):
    """A plain form: the service checks the name within the parent (the top level included)
    and reports it on the name field."""

    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(
        label="类型", choices=UnitKind.choices, help_text="班级的上级单位应为学院或年段。"
    )
    parent = UnitParentField(
        label="上级单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="（无，作为顶层单位）",
    )
    display_order = forms.IntegerField(
        label="显示顺序", min_value=0, initial=100, help_text="同级单位按此数字从小到大排列。"
    )

    def __init__(self, *args, unit=None, **kwargs):
        if unit is not None:
            kwargs["initial"] = {
                "name": unit.name,
                "kind": unit.kind,
                "parent": unit.parent_id,
                "display_order": unit.display_order,
            }
        super().__init__(*args, **kwargs)
        parents = Unit.objects.active().exclude(kind="class").select_related("parent")
        if unit is not None:
            parents = parents.exclude(pk__in=selectors.unit_subtree_ids(unit))
        self.fields["parent"].queryset = parents


class LeadingGroupForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = LeadingGroup
        fields = ["name", "office", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"office": "如：党委组织部。"}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        org = obj.primary_org.name if obj.primary_org_id else "无所在党组织"
        return f"{obj.name}（{obj.get_party_status_display()}，{org}）"


class LeadingGroupMemberForm(BootstrapMixin, forms.Form):
    # More options than this make the page slow; the name search narrows the list.
    CHOICE_LIMIT = 200

    person = PersonChoiceField(label="人员", queryset=Person.objects.none())
    role = forms.ChoiceField(label="职务", choices=LeadingGroupMember.Role.choices)
    display_order = forms.IntegerField(
        label="顺序", min_value=0, max_value=32767, help_text="名单按此数字从小到大排列。"
    )

    def __init__(self, *args, user, query="", **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.visible_to(user).filter(is_active=True)
        field = self.fields["person"]
        field.queryset = people
        shown = people.select_related("primary_org").order_by(
            selectors.members_first(), "name", "id"
        )
        if query:
            shown = shown.filter(name__contains=query)
        shown = list(shown[: self.CHOICE_LIMIT + 1])
        self.truncated = len(shown) > self.CHOICE_LIMIT
        shown = shown[: self.CHOICE_LIMIT]
        chosen = self.data.get(self.add_prefix("person")) if self.is_bound else None
        if chosen and str(chosen).isdigit() and all(str(p.pk) != chosen for p in shown):
            shown += list(people.select_related("primary_org").filter(pk=chosen))
        field.widget.choices = [("", "请选择人员")] + [
            (p.pk, field.label_from_instance(p)) for p in shown
        ]
        field.help_text = (
            f"党员在前；仅列出前{self.CHOICE_LIMIT}人，请按姓名检索。"
            if self.truncated
            else "党员在前，可按姓名检索。"
        )
