from django import forms

from dangjian.elections.models import COMMITTEE_TITLES, Election
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Organisation, OrgKind, Person, Term
from dangjian.org.pickers import person_label
from dangjian.org.widgets import Typeahead

ELECTED_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


class ElectionForm(BootstrapMixin, forms.ModelForm):
    """The plan: which organisation, the term ending, the seats, the meeting's date, the plan."""

    class Meta:
        model = Election
        fields = ["organisation", "term", "seats", "planned_on", "plan"]
        widgets = {
            "planned_on": DATE,
            "plan": forms.Textarea(attrs={"rows": 5}),
            "organisation": Typeahead(
                "org:pick_organisations", "kind=committee&kind=general_branch&kind=branch"
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.editable_by(user).active().filter(kind__in=ELECTED_KINDS)
        if self.instance.pk:
            # The plan names one of its organisation's terms (a handful, never all in scope).
            del self.fields["organisation"]
            terms = Term.objects.filter(organisation=self.instance.organisation)
            self.fields["term"].queryset = terms
            self.fields["term"].label_from_instance = _term_label
        else:
            # A new plan is for the organisation's current term (services.current_term).
            del self.fields["term"]
            self.fields["organisation"].queryset = orgs
            self.fields["organisation"].label_from_instance = lambda o: o.name
        self.fields["seats"].help_text = "新一届委员会的委员名额（含书记、副书记）。"

    def clean(self):
        data = super().clean()
        term = data.get("term")
        if term is not None and term.organisation_id != self.instance.organisation_id:
            self.add_error("term", "届次不属于该党组织。")
        return data


def _term_label(t: Term) -> str:
    if t.ends_on:
        return f"第{t.number}届（{t.starts_on:%Y-%m-%d}至{t.ends_on:%Y-%m-%d}）"
    return f"第{t.number}届（{t.starts_on:%Y-%m-%d}起）"


class NoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label="意见", required=False, max_length=300)


class CandidateForm(BootstrapMixin, forms.Form):
    person = forms.ModelChoiceField(
        label="候选人",
        queryset=Person.objects.none(),
        widget=Typeahead("org:pick_people", "members=1"),
    )
    title = forms.ChoiceField(label="拟任职务", choices=COMMITTEE_TITLES, initial="committee")

    def __init__(self, *args, user, election, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = (
            Person.objects.under_path(election.organisation.path)
            .filter(is_active=True, party_status="full")
            .select_related("primary_org")
            .order_by("name", "id")
        )
        field.label_from_instance = person_label


class BallotForm(BootstrapMixin, forms.Form):
    """The meeting's figures and one vote count per candidate (votes_<id>)."""

    held_on = forms.DateField(label="选举日期", widget=DATE)
    entitled = forms.IntegerField(
        label="应到会有选举权的党员",
        min_value=1,
        help_text="本组织正式党员人数（预备党员没有选举权）。",
    )
    present = forms.IntegerField(
        label="实到会有选举权的党员",
        min_value=0,
        help_text="须超过应到会人数的五分之四，会议方为有效。",
    )

    def __init__(self, *args, user=None, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(election.candidates.select_related("person"))
        for c in self.candidates:
            self.fields[f"votes_{c.pk}"] = forms.IntegerField(
                label=f"{c.person.name}（拟任{c.get_title_display()}）得票", min_value=0
            )
            self.fields[f"votes_{c.pk}"].widget.attrs["class"] = "form-control"

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"votes_{c.pk}"] for c in self.candidates}


class AppointForm(BootstrapMixin, forms.Form):
    starts_on = forms.DateField(
        label="新一届委员会任职日期", widget=DATE, help_text="原委员会职务于前一日离任。"
    )
