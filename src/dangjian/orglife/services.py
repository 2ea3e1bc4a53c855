"""Every write of the orglife app: atomic, validated by orglife.rules, audited.

Rights: the officers of an organisation and of the levels above record and change its
meetings, trainings and study records; the organisation department sets the frequency
rules. A refused right raises PermissionDenied naming the rule; a broken rule raises
ValidationError on the field. Study records follow meetings (attending members, when the
meeting carries study hours) and trainings (their participants): they are rebuilt whenever
either changes, so they never drift.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.access import Actor, require
from dangjian.core.models import AuditEvent
from dangjian.org.models import Organisation, Person
from dangjian.orglife import events, rules, selectors
from dangjian.orglife.models import (
    Attendance,
    AttendanceStatus,
    FrequencyRule,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingFile,
    MeetingKind,
    MeetingState,
    StudyCategory,
    StudyRecord,
    Training,
)

MEETING_FIELDS = [
    "organisation",
    "state",
    "kind",
    "topic",
    "held_on",
    "starts_at",
    "ends_at",
    "place",
    "host",
    "recorder",
    "minutes",
    "study_hours",
    "integrity",
]
RULE_FIELDS = [
    "name",
    "kinds",
    "period",
    "min_count",
    "min_minutes",
    "include_subtree",
    "is_active",
]
RULE_EDITABLE = {"min_count", "min_minutes", "is_active", "include_subtree"}
TRAINING_FIELDS = [
    "organisation",
    "kind",
    "title",
    "category",
    "starts_on",
    "ends_on",
    "hours",
    "integrity",
    "organiser",
]
RECORD_FIELDS = ["person", "studied_on", "title", "category", "hours", "integrity"]

STATUS_LABELS = dict(AttendanceStatus.choices)


class MeetingFields(TypedDict, total=False):
    """What a form or the API may set on a meeting (an update sets only those given)."""

    state: str
    kind: str
    topic: str
    held_on: date
    starts_at: time
    ends_at: time
    place: str
    host: Person | None
    recorder: Person | None
    minutes: str
    attachment: Any
    study_hours: Decimal | None
    integrity: bool


class RuleFields(TypedDict, total=False):
    min_count: int
    min_minutes: int
    include_subtree: bool
    is_active: bool


class TrainingFields(TypedDict, total=False):
    kind: str
    title: str
    category: str
    starts_on: date
    ends_on: date
    hours: Decimal
    integrity: bool
    organiser: str


# One attendance row as forms and the API give it: person or person_id, status, makeup_on, note.
AttendanceRow = dict[str, Any]


def _recorded_by(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


# --- meetings ------------------------------------------------------------------------------


def _meeting_snapshot(meeting: Meeting, rows: Iterable[Attendance]) -> dict[str, Any]:
    plain = {
        k: v.strftime("%H:%M") if isinstance(v, time) else v
        for k, v in audit.snapshot(meeting, MEETING_FIELDS).items()
    }
    return plain | {
        "附件": audit.file_label(meeting.attachment),
        "出席情况": attendance_summary(rows),
    }


def _clean_meeting(meeting: Meeting) -> None:
    errors: dict[str, str] = {}
    if meeting.starts_at and meeting.ends_at:
        message = rules.times_error(meeting.starts_at, meeting.ends_at)
        if message:
            errors["ends_at"] = message
    if meeting.held_on and (
        message := rules.meeting_date_error(meeting.state, meeting.held_on, timezone.localdate())
    ):
        errors["held_on"] = message
    if meeting.study_hours is not None and meeting.study_hours < 0:
        errors["study_hours"] = "学时不能为负数。"
    if errors:
        raise ValidationError(errors)
    meeting.full_clean(exclude=["organisation"])
    meeting.duration_minutes = rules.duration_minutes(meeting.starts_at, meeting.ends_at)


def _attendance_rows(
    meeting: Meeting, rows: list[AttendanceRow], allowed: set[int], roster: set[int]
) -> list[Attendance]:
    """Validated Attendance objects (unsaved) for `rows` of {person|person_id, status,
    makeup_on, note}. `roster` is who is expected (应到); at a committee meeting anyone else
    in `allowed` is recorded as 列席, and only when present."""
    result, seen, errors = [], set(), []
    names = dict(Person.objects.filter(pk__in=allowed).values_list("pk", "name"))
    for row in rows:
        person = row.get("person")
        raw_id = row.get("person_id") or (person.pk if isinstance(person, Person) else person)
        status = row.get("status") or ""
        makeup_on = row.get("makeup_on") or None
        try:
            person_id = int(str(raw_id))
        except (TypeError, ValueError):
            errors.append("出席名单中有无效的人员编号。")
            continue
        if person_id not in allowed:
            errors.append(f"人员编号{person_id}不是本组织的党员，不能登记出席情况。")
            continue
        name = names.get(person_id, str(person_id))
        if person_id in seen:
            errors.append(f"{name}重复登记。")
            continue
        seen.add(person_id)
        if status not in STATUS_LABELS:
            errors.append(f"{name}的出席情况应为出席、请假或缺席。")
            continue
        role = rules.attendance_role(meeting.kind, person_id in roster)
        if role == rules.OBSERVER_ROLE and (message := rules.observer_error(name, status)):
            errors.append(message)
            continue
        if makeup_on is not None:
            if status == AttendanceStatus.PRESENT:
                errors.append(f"{name}已出席，无需填写补课日期。")
                continue
            if meeting.held_on and makeup_on < meeting.held_on:
                errors.append(f"{name}的补课日期不能早于会议日期。")
                continue
            if makeup_on > timezone.localdate():
                errors.append(f"{name}的补课日期不能晚于今天。")
                continue
        result.append(
            Attendance(
                meeting=meeting,
                person_id=person_id,
                status=status,
                role=role,
                makeup_on=makeup_on,
                note=(row.get("note") or "")[:200],
            )
        )
    if errors:
        raise ValidationError({"attendance": errors})
    return result


def attendance_summary(rows: Iterable[Attendance]) -> str:
    counts = {value: 0 for value in STATUS_LABELS}
    made_up = observers = 0
    for row in rows:
        if row.role == rules.OBSERVER_ROLE:
            observers += 1
            continue
        counts[row.status] += 1
        made_up += row.makeup_on is not None
    text = "，".join(f"{STATUS_LABELS[k]}{v}人" for k, v in counts.items())
    return (
        text
        + (f"，补课{made_up}人" if made_up else "")
        + (f"，列席{observers}人" if observers else "")
    )


def _study_category(meeting: Meeting) -> str:
    if meeting.integrity:
        return StudyCategory.INTEGRITY
    if meeting.kind in (MeetingKind.LECTURE, MeetingKind.ORG_LIFE, MeetingKind.DEMOCRATIC_LIFE):
        return StudyCategory.PARTY_SPIRIT
    return StudyCategory.THEORY


def sync_meeting_records(meeting: Meeting, actor: Actor = None) -> int:
    """Study records of a meeting = one per attending member (present, or made up) when the
    meeting carries study hours. Rebuilt from the attendance; returns how many there are."""
    StudyRecord.objects.filter(meeting=meeting).delete()
    if meeting.state != MeetingState.HELD:
        return 0  # hours are credited once the meeting took place
    if not meeting.study_hours or meeting.study_hours <= 0:
        return 0
    records = [
        StudyRecord(
            person_id=row.person_id,
            studied_on=row.makeup_on or meeting.held_on,
            title=f"{meeting.get_kind_display()}：{meeting.topic}"[:120],
            category=_study_category(meeting),
            hours=meeting.study_hours,
            integrity=meeting.integrity,
            meeting=meeting,
            recorded_by=_recorded_by(actor),
        )
        for row in meeting.attendance.all()
        if selectors.attending(row.status, row.makeup_on)
    ]
    StudyRecord.objects.bulk_create(records)
    return len(records)


def _may_attend(organisation: Organisation) -> set[int]:
    """Whose attendance may be recorded: the organisation's members and its committee."""
    members = set(selectors.members_of(organisation).values_list("pk", flat=True))
    return members | set(selectors.committee_of(organisation).values_list("pk", flat=True))


def _replace_attendance(meeting: Meeting, rows: list[Attendance]) -> None:
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(rows)


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    organisation: Organisation,
    attendance: list[AttendanceRow] | None = None,
    **fields: Unpack[MeetingFields],
) -> Meeting:
    """Record a meeting with its attendance (everyone present when no list is given). A planned
    meeting lists its roster as not yet signed in (缺席 until sign-in, leave or the record)."""
    meeting = Meeting(organisation=organisation, **fields)
    require(actor, "orglife.record", meeting)
    _clean_meeting(meeting)
    allowed = _may_attend(organisation)
    roster = selectors.roster_ids(organisation, meeting.kind)
    if meeting.state == MeetingState.PLANNED:
        attendance = [{"person_id": pk, "status": AttendanceStatus.ABSENT} for pk in roster]
    elif attendance is None:
        attendance = [{"person_id": pk, "status": AttendanceStatus.PRESENT} for pk in roster]
    rows = _attendance_rows(meeting, attendance, allowed, roster)
    meeting.save()
    _replace_attendance(meeting, rows)
    sync_meeting_records(meeting, actor)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=meeting,
        after=_meeting_snapshot(meeting, rows),
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    attendance: list[AttendanceRow] | None = None,
    organisation: Organisation | None = None,  # ignored: a meeting stays with its organisation
    **fields: Unpack[MeetingFields],
) -> Meeting:
    """Change a meeting and (when given) its whole attendance list; study records follow."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=meeting.pk)
    )
    require(actor, "orglife.record", meeting)
    old_rows = list(meeting.attendance.all())
    before = _meeting_snapshot(meeting, old_rows)
    old_state = meeting.state
    for name, value in fields.items():
        setattr(meeting, name, value)
    if message := rules.state_change_error(old_state, meeting.state):
        raise ValidationError({"state": message})
    _clean_meeting(meeting)
    roster = selectors.roster_ids(meeting.organisation, meeting.kind)
    if attendance is None and any(
        row.role != rules.attendance_role(meeting.kind, row.person_id in roster) for row in old_rows
    ):
        # the kind changed (say to 支部委员会): the saved list is checked again under its roster
        attendance = [
            {"person_id": r.person_id, "status": r.status, "makeup_on": r.makeup_on, "note": r.note}
            for r in old_rows
        ]
    if attendance is not None:
        allowed = _may_attend(meeting.organisation) | {row.person_id for row in old_rows}
        rows = _attendance_rows(meeting, attendance, allowed, roster)
    else:
        rows = old_rows
    meeting.save()
    if attendance is not None:
        _replace_attendance(meeting, rows)
    sync_meeting_records(meeting, actor)
    after = _meeting_snapshot(meeting, rows)
    audit.record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=meeting, before=before, after=after
    )
    return meeting


@transaction.atomic
def meeting_delete(*, actor: Actor, meeting: Meeting) -> None:
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=meeting.pk)
    )
    require(actor, "orglife.record", meeting)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=meeting,
        before=_meeting_snapshot(meeting, list(meeting.attendance.all())),
    )
    meeting.delete()  # attendance and study records go with it


# --- planned meetings: leave and sign-in ---------------------------------------------------


def _now() -> datetime:
    return timezone.localtime().replace(tzinfo=None)


def _locked_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=meeting.pk)
    )


def _roster_row(meeting: Meeting, person_id: int | None) -> Attendance | None:
    if person_id is None:
        return None
    return (
        meeting.attendance.select_for_update()
        .filter(person_id=person_id, role=rules.MEMBER_ROLE)
        .first()
    )


@transaction.atomic
def leave_request(*, actor: Actor, meeting: Meeting, reason: str) -> LeaveRequest:
    """A member on the roster asks to be excused from a planned meeting before it starts."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写请假事由。"})
    if len(reason) > 200:
        raise ValidationError({"reason": "请假事由不超过200字。"})
    meeting = _locked_meeting(meeting)
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        raise ValidationError({"reason": "您的账号没有关联人员信息，不能请假。"})
    row = _roster_row(meeting, person_id)
    message = rules.leave_error(
        state=meeting.state,
        on_roster=row is not None,
        now=_now(),
        starts=rules.starts_at(meeting.held_on, meeting.starts_at),
    )
    if message:
        raise ValidationError({"reason": message})
    existing = LeaveRequest.objects.filter(meeting=meeting, person_id=person_id).first()
    if existing is not None and existing.status != LeaveStatus.REFUSED:
        raise ValidationError({"reason": "您已提交过这次会议的请假申请。"})
    if existing is not None:  # refused before: ask again with a new reason
        existing.delete()
    leave = LeaveRequest.objects.create(meeting=meeting, person_id=person_id, reason=reason)
    audit.created(actor=actor, obj=leave, fields=["meeting", "person", "reason", "status"])
    return leave


@transaction.atomic
def leave_decide(*, actor: Actor, leave: LeaveRequest, approve: bool) -> LeaveRequest:
    """The secretary approves (the member becomes 请假) or refuses a pending request."""
    leave = LeaveRequest.objects.select_for_update().select_related("person").get(pk=leave.pk)
    meeting = _locked_meeting(leave.meeting)
    require(actor, "orglife.record", meeting)
    if leave.status != LeaveStatus.PENDING:
        raise ValidationError({"status": "该请假申请已审批。"})
    if meeting.state != MeetingState.PLANNED:
        raise ValidationError({"status": "会议已登记完成或已取消，请在会议记录中修改出席情况。"})
    before = {"审批": leave.get_status_display()}
    leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    leave.decided_at = timezone.now()
    leave.decided_by = _recorded_by(actor)
    leave.save(update_fields=["status", "decided_at", "decided_by"])
    if approve:
        meeting.attendance.filter(person_id=leave.person_id, role=rules.MEMBER_ROLE).update(
            status=AttendanceStatus.EXCUSED, note=f"请假：{leave.reason}"[:200]
        )
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=leave,
        before=before,
        after={"审批": leave.get_status_display(), "人员": leave.person.name},
    )
    return leave


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def signin_window(meeting: Meeting) -> tuple[datetime, datetime]:
    return rules.signin_window(
        meeting.held_on, meeting.starts_at, meeting.ends_at, settings.ORGLIFE_SIGNIN_OPENS_MINUTES
    )


@transaction.atomic
def signin_token_issue(*, actor: Actor, meeting: Meeting) -> str:
    """A fresh sign-in token for the QR code (random, only its hash is kept). It replaces the
    last one, which stays valid for ORGLIFE_SIGNIN_GRACE_SECONDS; the QR page asks for a new
    one every ORGLIFE_SIGNIN_ROTATE_SECONDS, so a code photographed earlier soon stops working."""
    meeting = _locked_meeting(meeting)
    require(actor, "orglife.record", meeting)
    opens, closes = signin_window(meeting)
    now = _now()
    message = rules.signin_error(state=meeting.state, now=now, opens=opens, closes=closes)
    if message:
        raise ValidationError(message)
    token = secrets.token_urlsafe(24)
    issued = meeting.signin_issued_at
    still_valid = rules.signin_token_valid(
        is_current=True,
        issued_at=timezone.localtime(issued).replace(tzinfo=None) if issued else None,
        now=now,
        rotate_seconds=settings.ORGLIFE_SIGNIN_ROTATE_SECONDS,
        grace_seconds=settings.ORGLIFE_SIGNIN_GRACE_SECONDS,
    )
    # Only a code still valid gets the grace period: one that lapsed (the page was closed)
    # must not come back to life because the page was opened again.
    meeting.signin_previous_hash = meeting.signin_token_hash if still_valid else ""
    meeting.signin_token_hash = _token_hash(token)
    meeting.signin_issued_at = timezone.make_aware(now)
    meeting.save(update_fields=["signin_token_hash", "signin_previous_hash", "signin_issued_at"])
    return token


def meeting_for_token(token: str) -> Meeting | None:
    """The meeting whose current code is `token`, or whose code it was a moment ago (see
    rules.signin_token_valid); None for an unknown or lapsed code."""
    if not token or len(token) > 64:
        return None
    digest = _token_hash(token)
    meeting = (
        Meeting.objects.select_related("organisation")
        .filter(Q(signin_token_hash=digest) | Q(signin_previous_hash=digest))
        .first()
    )
    if meeting is None:
        return None
    issued = meeting.signin_issued_at
    valid = rules.signin_token_valid(
        is_current=meeting.signin_token_hash == digest,
        issued_at=timezone.localtime(issued).replace(tzinfo=None) if issued else None,
        now=_now(),
        rotate_seconds=settings.ORGLIFE_SIGNIN_ROTATE_SECONDS,
        grace_seconds=settings.ORGLIFE_SIGNIN_GRACE_SECONDS,
    )
    return meeting if valid else None


@transaction.atomic
def sign_in(*, actor: Actor, token: str) -> Attendance:
    """The member who scanned the code is marked 出席 — only a roster member, only once, only
    while sign-in is open. A refusal raises ValidationError with the reason in Chinese."""
    found = meeting_for_token(token)
    if found is None:
        raise ValidationError("签到二维码无效或已更换，请扫描会场当前显示的二维码。")
    meeting = _locked_meeting(found)
    opens, closes = signin_window(meeting)
    message = rules.signin_error(state=meeting.state, now=_now(), opens=opens, closes=closes)
    if message:
        raise ValidationError(message)
    row = _roster_row(meeting, getattr(actor, "person_id", None))
    if row is None:
        raise PermissionDenied("您不在这次会议的参会名单中，请联系党支部书记登记。")
    if row.status == AttendanceStatus.PRESENT:
        raise ValidationError("您已签到，无需重复签到。")
    before = {"出席情况": row.get_status_display()}
    row.status = AttendanceStatus.PRESENT
    row.note = f"{_now():%H:%M}扫码签到"
    row.save(update_fields=["status", "note"])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=meeting,
        before=before,
        after={"出席情况": "出席（扫码签到）", "人员编号": row.person_id},
    )
    return row


# --- photos and files of a meeting ---------------------------------------------------------


@transaction.atomic
def meeting_file_add(
    *, actor: Actor, meeting: Meeting, file: Any, caption: str = ""
) -> MeetingFile:
    """Add a photo or file to a meeting through the upload policy (the model field checks the
    content again), at most ORGLIFE_MEETING_MAX_FILES per meeting."""
    meeting = _locked_meeting(meeting)
    require(actor, "orglife.record", meeting)
    error = rules.meeting_files_error(meeting.files.count(), settings.ORGLIFE_MEETING_MAX_FILES)
    if error:
        raise ValidationError({"file": error})
    row = MeetingFile(meeting=meeting, file=file, caption=caption)
    row.full_clean(exclude=["meeting"])
    row.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=meeting,
        note=row.file_name,
        event=events.MEETING_FILE_ADDED,
    )
    return row


@transaction.atomic
def meeting_file_remove(*, actor: Actor, meeting_file: MeetingFile) -> None:
    meeting = _locked_meeting(meeting_file.meeting)
    require(actor, "orglife.record", meeting)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=meeting,
        note=meeting_file.file_name,
        event=events.MEETING_FILE_REMOVED,
    )
    meeting_file.delete()


# --- frequency rules -----------------------------------------------------------------------


@transaction.atomic
def rule_update(
    *, actor: Actor, rule: FrequencyRule, **fields: Unpack[RuleFields]
) -> FrequencyRule:
    """The department adjusts a rule: minimum count and length, whether it is active."""
    require(actor, "orglife.edit_rules")
    rule = FrequencyRule.objects.select_for_update().get(pk=rule.pk)
    unknown = set(fields) - RULE_EDITABLE
    if unknown:
        raise ValidationError({name: "该项不能修改。" for name in unknown})

    def clean(obj: FrequencyRule) -> None:
        if obj.min_count < 1:
            raise ValidationError({"min_count": "每周期至少次数应不少于1次；不需要的要求请停用。"})
        obj.full_clean()

    updated = audit.audited_update(
        actor=actor, obj=rule, fields=dict(fields), audit_fields=RULE_FIELDS, clean=clean
    )
    assert isinstance(updated, FrequencyRule)
    return updated


# --- trainings and study records -----------------------------------------------------------


def _clean_training(training: Training) -> None:
    errors: dict[str, str] = {}
    if training.starts_on and training.ends_on and training.ends_on < training.starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期。"
    if training.hours is not None and training.hours <= 0:
        errors["hours"] = "学时应大于0。"
    if errors:
        raise ValidationError(errors)
    training.full_clean(exclude=["organisation"])


def _participant_ids(training: Training, participants: Iterable[Person | int]) -> list[int]:
    ids = {p.pk if isinstance(p, Person) else int(p) for p in participants}
    allowed = set(
        Person.objects.in_subtree(training.organisation)
        .filter(pk__in=ids, is_active=True)
        .values_list("pk", flat=True)
    )
    if ids - allowed:
        raise ValidationError({"participants": "参训人员应为本组织（含下级）的在册人员。"})
    return sorted(ids)


# A training whose attendance is taken per session (a Party-school class) credits hours per
# session attended instead of the whole training to every participant. The partyschool app,
# above this one, registers the reader: training -> [(person id, day, title, hours)], or None
# when the training keeps no sessions.
SessionCredit = tuple[int, date, str, Decimal]
_session_credits: Callable[[Training], list[SessionCredit] | None] | None = None


def set_session_credit_reader(reader: Callable[[Training], list[SessionCredit] | None]) -> None:
    global _session_credits
    _session_credits = reader


def sync_training_records(training: Training, actor: Actor = None) -> int:
    """The training's study records, rebuilt: one per session attended when the training keeps
    sessions (so a session is counted once however often attendance is corrected), otherwise
    one per participant dated the training's last day."""
    StudyRecord.objects.filter(training=training).delete()
    integrity = training.integrity or training.category == StudyCategory.INTEGRITY
    credits = _session_credits(training) if _session_credits is not None else None
    if credits is not None:
        session_records = [
            StudyRecord(
                person_id=pid,
                studied_on=day,
                title=title,
                category=training.category,
                hours=hours,
                integrity=integrity,
                training=training,
                recorded_by=_recorded_by(actor),
            )
            for pid, day, title, hours in credits
        ]
        StudyRecord.objects.bulk_create(session_records)
        return len(session_records)
    records = [
        StudyRecord(
            person_id=pid,
            studied_on=training.ends_on,
            title=training.title,
            category=training.category,
            hours=training.hours,
            integrity=integrity,
            training=training,
            recorded_by=_recorded_by(actor),
        )
        for pid in training.participants.values_list("pk", flat=True)
    ]
    StudyRecord.objects.bulk_create(records)
    return len(records)


@transaction.atomic
def training_create(
    *,
    actor: Actor,
    organisation: Organisation,
    participants: Iterable[Person | int] = (),
    **fields: Unpack[TrainingFields],
) -> Training:
    training = Training(organisation=organisation, **fields)
    require(actor, "orglife.record", training)
    _clean_training(training)
    ids = _participant_ids(training, participants)
    training.save()
    training.participants.set(ids)
    sync_training_records(training, actor)
    audit.created(actor=actor, obj=training, fields=TRAINING_FIELDS, note=f"参训{len(ids)}人")
    return training


@transaction.atomic
def training_update(
    *,
    actor: Actor,
    training: Training,
    participants: Iterable[Person | int] | None = None,
    organisation: Organisation | None = None,  # ignored: a training stays with its organisation
    **fields: Unpack[TrainingFields],
) -> Training:
    training = (
        Training.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=training.pk)
    )
    require(actor, "orglife.record", training)
    old_count = training.participants.count()
    before = audit.snapshot(training, TRAINING_FIELDS) | {"参训人数": old_count}
    for name, value in fields.items():
        setattr(training, name, value)
    _clean_training(training)
    ids = _participant_ids(training, participants) if participants is not None else None
    training.save()
    if ids is not None:
        training.participants.set(ids)
    sync_training_records(training, actor)
    after = audit.snapshot(training, TRAINING_FIELDS) | {
        "参训人数": len(ids) if ids is not None else old_count
    }
    audit.record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=training, before=before, after=after
    )
    return training


@transaction.atomic
def training_hours_sync(*, actor: Actor, training: Training) -> int:
    """Re-credit a training's hours after its attendance changed (the partyschool app calls
    this when a session's attendance is recorded); the caller audits its own step."""
    training = Training.objects.select_for_update(of=("self",)).get(pk=training.pk)
    require(actor, "orglife.record", training)
    return sync_training_records(training, actor)


def hand_entered_twice(person_ids: Iterable[int], studied_on: date, title: str) -> list[int]:
    """Who among `person_ids` already has hours of `title` on `studied_on` entered by hand, so
    crediting a session of that title would count the same study twice."""
    return list(
        StudyRecord.objects.filter(
            person_id__in=list(person_ids),
            studied_on=studied_on,
            title=title,
            training__isnull=True,
            meeting__isnull=True,
        ).values_list("person_id", flat=True)
    )


@transaction.atomic
def training_delete(*, actor: Actor, training: Training) -> None:
    training = Training.objects.select_related("organisation").get(pk=training.pk)
    require(actor, "orglife.record", training)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=training,
        before=audit.snapshot(training, TRAINING_FIELDS),
    )
    training.delete()


@transaction.atomic
def study_record_create(
    *,
    actor: Actor,
    person: Person,
    studied_on: date,
    title: str,
    category: str,
    hours: Decimal,
    integrity: bool = False,
) -> StudyRecord:
    """An individual record (网络学院 course, approved self-study) for a member in scope."""
    require(actor, "orglife.add_hours", person)
    record = StudyRecord(
        person=person,
        studied_on=studied_on,
        title=title,
        category=category,
        hours=hours,
        integrity=integrity or category == StudyCategory.INTEGRITY,
        recorded_by=_recorded_by(actor),
    )
    errors: dict[str, str] = {}
    if hours is not None and hours <= 0:
        errors["hours"] = "学时应大于0。"
    if studied_on and studied_on > timezone.localdate():
        errors["studied_on"] = "学习日期不能晚于今天。"
    if title and studied_on and _already_credited(person, studied_on, title):
        errors["title"] = (
            "该人员当天已有同一内容的学时（由培训、党校课次或会议计入），不能重复登记。"
        )
    if errors:
        raise ValidationError(errors)
    record.full_clean()
    record.save()
    audit.created(actor=actor, obj=record, fields=RECORD_FIELDS)
    return record


def _already_credited(person: Person, studied_on: date, title: str) -> bool:
    """The same study on the same day is already on record: entered by hand, or credited by a
    meeting, a training or a session of a Party-school class (whose records are titled
    “班名：课次主题”, or carry the training's own title)."""
    return StudyRecord.objects.filter(
        Q(title=title) | Q(training__title=title), person=person, studied_on=studied_on
    ).exists()


@transaction.atomic
def study_record_delete(*, actor: Actor, record: StudyRecord) -> None:
    if record.training_id or record.meeting_id:
        raise ValidationError("该学时由培训或会议自动生成，请修改对应的培训或会议。")
    require(actor, "orglife.delete_hours", record)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=record,
        before=audit.snapshot(record, RECORD_FIELDS),
    )
    record.delete()
