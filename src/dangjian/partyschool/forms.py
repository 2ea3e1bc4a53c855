from django import forms

from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Person
from dangjian.org.pickers import person_label
from dangjian.org.widgets import Typeahead
from dangjian.orglife.models import Training
from dangjian.partyschool.models import ClassSession, ExamResult

# A class is chosen from the latest ones the user may change (the page of a class opens its
# forms with that class chosen); any class the user may change validates.
CLASS_CHOICES_SHOWN = 200


def _class_field(form: forms.ModelForm, user) -> None:
    if form.instance.pk:
        del form.fields["training"]
        return
    field = form.fields["training"]
    field.queryset = Training.objects.editable_by(user).select_related("organisation")
    latest = list(field.queryset.order_by("-starts_on", "-id")[:CLASS_CHOICES_SHOWN])
    chosen = form.initial.get("training")
    if chosen and all(str(t.pk) != str(chosen) for t in latest):
        latest += list(field.queryset.filter(pk=chosen))
    field.widget.choices = [("", "请选择培训班")] + [
        (t.pk, f"{t.title}（{t.organisation.name}，{t.starts_on:%Y-%m-%d}）") for t in latest
    ]


class SessionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ClassSession
        fields = ["training", "held_on", "topic", "teacher", "place", "hours"]
        widgets = {"held_on": DATE}
        help_texts = {"hours": "出勤学员按课次计入学时（每个课次最多8学时）。"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _class_field(self, user)


class ResultForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ExamResult
        fields = ["training", "person", "taken_on", "score", "note"]
        widgets = {"taken_on": DATE, "person": Typeahead("org:pick_people")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _class_field(self, user)
        if self.instance.pk:
            del self.fields["person"]
        else:
            field = self.fields["person"]
            field.queryset = (
                Person.objects.editable_by(user)
                .filter(is_active=True)
                .select_related("primary_org")
                .order_by("name", "id")
            )
            field.label_from_instance = person_label
            field.help_text = "应为该培训班的学员（参训人员）。"


class AttendanceForm(BootstrapMixin, forms.Form):
    present = forms.MultipleChoiceField(
        label="出勤学员",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选到课的学员，未勾选的记为缺勤；出勤学员计入本课次学时。",
    )

    def __init__(self, *args, session: ClassSession, **kwargs):
        super().__init__(*args, **kwargs)
        people = session.training.participants.select_related("primary_org").order_by("name", "id")
        self.fields["present"].widget.attrs["class"] = "form-check-input"
        self.fields["present"].choices = [(str(p.pk), person_label(p)) for p in people]
        if not self.is_bound:
            self.initial["present"] = [
                str(pk) for pk in session.present.values_list("pk", flat=True)
            ]

    def clean_present(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["present"]]
