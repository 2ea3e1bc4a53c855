from django import forms

from dangjian.membership.models import MemberAway
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Organisation, OrgKind, Person
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
            "last_contact_on",
            "note",
        ]
        widgets = {
            "left_on": DATE,
            "until": DATE,
            "returned_on": DATE,
            "last_contact_on": DATE,
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
