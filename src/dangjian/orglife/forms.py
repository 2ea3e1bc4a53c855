from datetime import date

from django import forms

from dangjian.core.uploads import UploadField
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Organisation, Person
from dangjian.org.rules import MEMBER_STATUSES
from dangjian.org.widgets import Typeahead, TypeaheadMultiple
from dangjian.orglife import rules, selectors
from dangjian.orglife.models import (
    AttendanceStatus,
    FrequencyRule,
    Meeting,
    MeetingState,
    StudyRecord,
    Training,
)

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
TEXT = forms.Textarea(attrs={"rows": 4})


def _person_label(p: Person) -> str:
    return f"{p.name}（{p.primary_org.name}）" if p.primary_org_id else p.name


class MeetingForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "state",
            "kind",
            "topic",
            "held_on",
            "starts_at",
            "ends_at",
            "place",
            "host",
            "recorder",
            "study_hours",
            "integrity",
            "minutes",
            "attachment",
        ]
        widgets = {"held_on": DATE, "starts_at": TIME, "ends_at": TIME, "minutes": TEXT}

    def __init__(self, *args, organisation: Organisation, planning: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        state = self.fields["state"]
        if planning:
            # 安排会议: planned ahead; the record (minutes, hours, file) comes after it is held
            del self.fields["state"]
            for name in ("minutes", "attachment", "recorder", "study_hours", "integrity"):
                del self.fields[name]
            self.instance.state = MeetingState.PLANNED
        elif self.instance.pk and self.instance.state == MeetingState.PLANNED:
            state.choices = MeetingState.choices
            state.initial = MeetingState.HELD
            self.initial["state"] = MeetingState.HELD
            state.help_text = "会后登记：选择“已召开”，核对由签到和请假预填的出席情况后保存。"
        else:
            del self.fields["state"]
        people = selectors.members_of(organisation)
        for name in ("host", "recorder"):
            if name not in self.fields:
                continue
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda p: p.name
        if "minutes" in self.fields:
            self.fields["minutes"].help_text = "会议内容、议程、发言要点、决议等。"

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "结束时间应晚于开始时间。")
        return data


class AttendanceRows:
    """The attendance part of the meeting form: one radio row per member (出席/请假/缺席) with
    a make-up date. Built from the submitted form, or from the saved rows / defaults."""

    STATUSES = AttendanceStatus.choices
    # At a committee meeting someone outside the committee either came (列席) or is not listed.
    NOT_LISTED = "none"

    def __init__(
        self,
        people,
        data=None,
        saved=None,
        default=AttendanceStatus.PRESENT,
        committee_ids=frozenset(),
        kind="",
    ):
        self.errors: list[str] = []
        self.committee_meeting = kind in rules.COMMITTEE_KINDS
        saved = saved or {}
        self.rows = []
        seen = set()
        for person in people:
            seen.add(person.pk)
            self.rows.append(
                self._row(person, data, saved.get(person.pk), default, person.pk in committee_ids)
            )
        for person_id, row in saved.items():  # former members still on the list
            if person_id not in seen:
                self.rows.append(self._row(row.person, data, row, default, False))
        # the committee first, then everyone else (at a committee meeting: who may be 列席)
        self.rows.sort(key=lambda row: not row["committee"])

    def _row(self, person, data, saved, default, committee):
        pid = person.pk
        if data is not None:
            status = data.get(f"att-{pid}", "")
            makeup = data.get(f"makeup-{pid}", "").strip()
            note = data.get(f"note-{pid}", "").strip()
        elif saved is not None:
            status = saved.status
            makeup = saved.makeup_on.isoformat() if saved.makeup_on else ""
            note = saved.note
        elif self.committee_meeting and not committee:
            status, makeup, note = self.NOT_LISTED, "", ""
        else:
            status, makeup, note = default, "", ""
        return {
            "person": person,
            "status": status,
            "makeup_on": makeup,
            "note": note,
            "committee": committee,
        }

    def cleaned(self) -> list[dict]:
        """Rows with a status, for the service; wrong dates go to `errors`."""
        result = []
        for row in self.rows:
            if not row["status"] or row["status"] == self.NOT_LISTED:
                continue
            makeup_on = None
            if row["status"] != AttendanceStatus.PRESENT and row["makeup_on"]:
                try:
                    makeup_on = date.fromisoformat(row["makeup_on"])
                except ValueError:
                    self.errors.append(f"{row['person'].name}的补课日期格式不正确。")
                    continue
            result.append(
                {
                    "person_id": row["person"].pk,
                    "status": row["status"],
                    "makeup_on": makeup_on,
                    "note": row["note"],
                }
            )
        return result

    def counts(self) -> dict[str, int]:
        counts = {value: 0 for value, _ in self.STATUSES}
        for row in self.rows:
            if row["status"] in counts:
                counts[row["status"]] += 1
        return counts


class RuleForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = FrequencyRule
        fields = ["min_count", "min_minutes", "include_subtree", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_count"].min_value = 1
        self.fields["min_count"].widget.attrs["min"] = 1


def _members_in_scope(user):
    return (
        Person.objects.editable_by(user)
        .filter(is_active=True, party_status__in=MEMBER_STATUSES)
        .select_related("primary_org")
        .order_by("primary_org__path", "name", "id")
    )


def _people_in_scope(user):
    return (
        Person.objects.editable_by(user)
        .filter(is_active=True)
        .select_related("primary_org")
        .order_by("primary_org__path", "name", "id")
    )


class TrainingForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Training
        fields = [
            "organisation",
            "kind",
            "title",
            "category",
            "starts_on",
            "ends_on",
            "hours",
            "integrity",
            "organiser",
            "participants",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "participants": TypeaheadMultiple("org:pick_people"),
            "organisation": Typeahead("org:pick_organisations"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            field = self.fields["organisation"]
            field.queryset = selectors.editable_orgs(user)
            field.label_from_instance = lambda o: o.name
        participants = self.fields["participants"]
        # Party-school classes train activists and development targets, not only members.
        participants.queryset = _people_in_scope(user)
        participants.label_from_instance = _person_label
        participants.help_text = (
            "输入姓名查找后点选添加，取消勾选即移除；应为组织单位（含下级）的在册人员"
            "（党员，或参加党校培训的入党积极分子、发展对象）。"
        )


class StudyRecordForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = StudyRecord
        fields = ["person", "studied_on", "title", "category", "hours", "integrity"]
        widgets = {"studied_on": DATE, "person": Typeahead("org:pick_people", "members=1")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _members_in_scope(user)
        self.fields["person"].label_from_instance = _person_label
        self.fields["title"].help_text = "如：网络学院课程名称、经支部认可的自学内容。"


class LeaveRequestForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label="请假事由",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写请假事由。"},
    )


class MeetingFileForm(BootstrapMixin, forms.Form):
    file = UploadField(area="meetings", label="照片或文件")
    caption = forms.CharField(
        label="说明", max_length=100, required=False, help_text="选填，如：会场照片、签到表。"
    )
