"""Every write of membership administration: atomic, checked, audited."""

from dataclasses import dataclass
from datetime import date
from typing import TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import access, audit
from dangjian.core.access import Actor, require
from dangjian.core.crypto import keyed_hash
from dangjian.core.events import EventType
from dangjian.core.models import AuditEvent, User
from dangjian.membership import events, rules, selectors
from dangjian.membership.models import (
    AwayContact,
    MemberAway,
    StepKind,
    Transfer,
    TransferBatch,
    TransferKind,
    TransferState,
    TransferStep,
)
from dangjian.membership.permissions import (
    MANAGE_AWAY,
    TRANSFER_APPROVE,
    TRANSFER_RECEIVE,
    TRANSFER_SEND,
)
from dangjian.org import services as org_services
from dangjian.org.models import LeaveCause, Organisation, OrgKind, Person, Standing, Unit
from dangjian.org.rules import MEMBER_STATUSES


class AwayFields(TypedDict, total=False):
    kind: str
    place: str
    left_on: date
    until: date | None
    returned_on: date | None
    keeps_contact: Person | None
    group: Organisation | None
    note: str


# The last contact is the latest entry of the contact log (AwayContact), kept by its services.
AWAY_FIELDS = ["person", *AwayFields.__annotations__, "last_contact_on"]


def _clean_away(away: MemberAway) -> None:
    away.full_clean()
    errors = rules.away_dates_error(away.left_on, away.until, away.returned_on)
    if away.group is not None and away.group.kind != "group":
        errors["group"] = "请选择党小组。"
    open_periods = MemberAway.objects.filter(person_id=away.person_id, returned_on__isnull=True)
    if away.returned_on is None and open_periods.exclude(pk=away.pk).exists():
        errors["returned_on"] = "该党员已有尚未返回的外出登记，请先填写其实际返回日期。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def away_create(*, actor: Actor, person: Person, **fields: Unpack[AwayFields]) -> MemberAway:
    away = MemberAway(person=person, **fields)
    require(actor, MANAGE_AWAY, away)
    _clean_away(away)
    away.save()
    audit.created(actor=actor, obj=away, fields=AWAY_FIELDS)
    return away


@transaction.atomic
def away_update(*, actor: Actor, away: MemberAway, **fields: Unpack[AwayFields]) -> MemberAway:
    away = MemberAway.objects.select_for_update().select_related("person").get(pk=away.pk)
    require(actor, MANAGE_AWAY, away)
    audit.audited_update(
        actor=actor, obj=away, fields=dict(fields), audit_fields=AWAY_FIELDS, clean=_clean_away
    )
    return away


@transaction.atomic
def away_delete(*, actor: Actor, away: MemberAway) -> None:
    away = MemberAway.objects.select_for_update().select_related("person").get(pk=away.pk)
    require(actor, MANAGE_AWAY, away)
    before = audit.snapshot(away, AWAY_FIELDS)
    audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=away, before=before)
    away.delete()


# --- 流动党员联系记录 --------------------------------------------------------------------------


class ContactFields(TypedDict, total=False):
    contacted_on: date
    way: str
    by: Person | None
    content: str


CONTACT_FIELDS = ["away", *ContactFields.__annotations__]


def _clean_contact(contact: AwayContact) -> None:
    contact.full_clean()
    away = contact.away
    error = rules.contact_date_error(
        contact.contacted_on, away.left_on, away.returned_on, timezone.localdate()
    )
    if error:
        raise ValidationError({"contacted_on": error})


def _sync_last_contact(away_id: int) -> None:
    """The away record's last contact is the latest of its log (what the lapse rule, the
    reminders and the score sheet's item 8 read)."""
    last = (
        AwayContact.objects.filter(away_id=away_id)
        .order_by("-contacted_on")
        .values_list("contacted_on", flat=True)
        .first()
    )
    MemberAway.objects.filter(pk=away_id).update(last_contact_on=last)


def _locked_away(away: MemberAway) -> MemberAway:
    return MemberAway.objects.select_for_update().select_related("person").get(pk=away.pk)


@transaction.atomic
def contact_create(
    *, actor: Actor, away: MemberAway, **fields: Unpack[ContactFields]
) -> AwayContact:
    away = _locked_away(away)
    require(actor, MANAGE_AWAY, away)
    if fields.get("by") is None:
        fields["by"] = getattr(actor, "person", None)
    contact = AwayContact(away=away, **fields)
    _clean_contact(contact)
    contact.save()
    _sync_last_contact(away.pk)
    audit.created(actor=actor, obj=contact, fields=CONTACT_FIELDS)
    return contact


@transaction.atomic
def contact_update(
    *, actor: Actor, contact: AwayContact, **fields: Unpack[ContactFields]
) -> AwayContact:
    contact = AwayContact.objects.select_for_update().get(pk=contact.pk)
    away = _locked_away(contact.away)
    contact.away = away
    require(actor, MANAGE_AWAY, away)
    audit.audited_update(
        actor=actor,
        obj=contact,
        fields=dict(fields),
        audit_fields=CONTACT_FIELDS,
        clean=_clean_contact,
    )
    _sync_last_contact(away.pk)
    return contact


@transaction.atomic
def contact_delete(*, actor: Actor, contact: AwayContact) -> None:
    contact = AwayContact.objects.select_for_update().get(pk=contact.pk)
    away = _locked_away(contact.away)
    require(actor, MANAGE_AWAY, away)
    before = audit.snapshot(contact, CONTACT_FIELDS)
    audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=contact, before=before)
    contact.delete()
    _sync_last_contact(away.pk)


# --- 组织关系转接 ------------------------------------------------------------------------------


def _require(actor: User | None, name: str, obj: object = None) -> None:
    """The access policy for a person acting; None is the system (the demo loader), as in the
    org services, and is not checked."""
    if actor is not None:
        require(actor, name, obj)


def _may(actor: User | None, name: str, obj: object) -> bool:
    return actor is None or access.can(actor, name, obj)


def _step(
    transfer: Transfer,
    kind: str,
    actor: User | None,
    event: EventType,
    *,
    before: dict,
    organisation: Organisation | None = None,
    note: str = "",
) -> None:
    """One step: a TransferStep row (the timeline) and its audit event (the trail)."""
    user = actor if actor is not None and actor.is_authenticated else None
    name = ""
    if user is not None:
        person = getattr(user, "person", None)
        name = person.name if person is not None else user.get_username()
    TransferStep.objects.create(
        transfer=transfer,
        kind=kind,
        organisation=organisation,
        actor=user,
        actor_name=name[:50],
        note=note[:300],
    )
    audit.changed(
        actor=actor, obj=transfer, fields=TRANSFER_FIELDS, before=before, event=event, note=note
    )


TRANSFER_FIELDS = [
    "kind",
    "state",
    "person",
    "origin_org",
    "destination_org",
    "origin_text",
    "destination_text",
    "reason",
    "letter_number",
    "issued_on",
    "valid_days",
    "dues_paid_until",
    "slip_returned_on",
    "completed_on",
]


def _lock(transfer: Transfer) -> Transfer:
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("person", "origin_org", "destination_org")
        .get(pk=transfer.pk)
    )


def _refuse_state(transfer: Transfer, allowed: tuple[str, ...], doing: str) -> None:
    """A step out of order is refused naming the rule: which states it needs."""
    if transfer.state not in allowed:
        states = "、".join(TransferState(s).label for s in allowed)
        raise ValidationError(
            {
                "state": f"该转接当前为“{transfer.get_state_display()}”，不能{doing}："
                f"须在“{states}”状态下办理。"
            }
        )


def _check_sendable(
    person: Person, origin: Organisation | None, destination_id: int | None
) -> None:
    has_open = Transfer.objects.open().filter(person_id=person.pk).exists()
    error = rules.send_error(
        has_open_transfer=has_open,
        same_branch=destination_id is not None and destination_id == person.primary_org_id,
        is_member=person.party_status in MEMBER_STATUSES,
        active=person.is_active and origin is not None,
    )
    if error:
        raise ValidationError({"person": error})


@transaction.atomic
def transfer_send(
    *,
    actor: User | None,
    person: Person,
    destination_org: Organisation,
    reason: str,
    issued_on: date | None = None,
    note: str = "",
) -> Transfer:
    """校内转接, step 1: the origin branch's officer sends the member to another branch."""
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("primary_org")
        .get(pk=person.pk)
    )
    transfer = Transfer(
        kind=TransferKind.WITHIN,
        state=TransferState.SENT,
        person=person,
        origin_org=person.primary_org,
        destination_org=destination_org,
        reason=reason,
        issued_on=issued_on or timezone.localdate(),
        note=note,
    )
    _require(actor, TRANSFER_SEND, transfer)
    _check_sendable(person, person.primary_org, destination_org.pk)
    if destination_org.kind not in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH) or (
        destination_org.is_dissolved
    ):
        raise ValidationError({"destination_org": "请选择未撤销的党支部（或直属党总支）。"})
    transfer.full_clean()
    transfer.save()
    _step(
        transfer,
        StepKind.SEND,
        actor,
        events.TRANSFER_SENT,
        before={},
        organisation=transfer.origin_org,
        note=reason,
    )
    return transfer


@transaction.atomic
def transfer_receive(*, actor: User | None, transfer: Transfer, note: str = "") -> Transfer:
    """校内转接, step 2: the destination's officer receives; with no approval needed the
    person moves at once."""
    transfer = _lock(transfer)
    _require(actor, TRANSFER_RECEIVE, transfer)
    _refuse_state(transfer, (TransferState.SENT,), "接收")
    before = audit.snapshot(transfer, TRANSFER_FIELDS)
    transfer.state = TransferState.RECEIVED
    transfer.save(update_fields=["state"])
    _step(
        transfer,
        StepKind.RECEIVE,
        actor,
        events.TRANSFER_RECEIVED,
        before=before,
        organisation=transfer.destination_org,
        note=note,
    )
    if not selectors.approvers(transfer):
        _complete_within(actor, transfer)
    return transfer


@transaction.atomic
def transfer_approve(
    *,
    actor: User | None,
    transfer: Transfer,
    organisation: Organisation | None = None,
    note: str = "",
) -> Transfer:
    """校内转接, step 3: a general branch above approves (in its own name; the actor's first
    pending one when none is named). The last approval completes the move."""
    transfer = _lock(transfer)
    _refuse_state(transfer, (TransferState.RECEIVED,), "审批")
    needed = selectors.approvers(transfer)
    done = selectors.approved_ids(transfer)
    pending = [org for org in needed if org.pk not in done]
    if organisation is None:
        mine = [org for org in pending if _may(actor, TRANSFER_APPROVE, org)]
        if not mine and pending:
            _require(actor, TRANSFER_APPROVE, pending[0])
        organisation = mine[0] if mine else None
    if organisation is None or organisation.pk not in {org.pk for org in pending}:
        raise ValidationError({"organisation": "该党组织无须审批或已审批同意。"})
    _require(actor, TRANSFER_APPROVE, organisation)
    before = audit.snapshot(transfer, TRANSFER_FIELDS)
    _step(
        transfer,
        StepKind.APPROVE,
        actor,
        events.TRANSFER_APPROVED,
        before=before,
        organisation=organisation,
        note=note,
    )
    if len(pending) == 1:
        _complete_within(actor, transfer)
    return transfer


def _complete_within(actor: User | None, transfer: Transfer) -> None:
    """The move: the person's branch changes, their group is cleared and their positions in
    the origin organisation end (org services keep PeopleCount and the person's trail)."""
    on = timezone.localdate()
    origin = transfer.origin_org
    assert origin is not None
    org_services.positions_end_on_leaving(actor=actor, person=transfer.person, on=on, under=origin)
    org_services.person_update(
        actor=actor, person=transfer.person, primary_org=transfer.destination_org, group=None
    )
    before = audit.snapshot(transfer, TRANSFER_FIELDS)
    transfer.state = TransferState.COMPLETED
    transfer.completed_on = on
    transfer.save(update_fields=["state", "completed_on"])
    _step(
        transfer,
        StepKind.COMPLETE,
        actor,
        events.TRANSFER_COMPLETED,
        before=before,
        organisation=transfer.destination_org,
        note=f"组织关系由{origin.name}转入{transfer.to_label}",
    )


@transaction.atomic
def transfer_reject(*, actor: User | None, transfer: Transfer, note: str) -> Transfer:
    """退回: the destination before receiving, or an approving general branch before approving;
    the reason is required."""
    transfer = _lock(transfer)
    _refuse_state(transfer, (TransferState.SENT, TransferState.RECEIVED), "退回")
    if not note.strip():
        raise ValidationError({"note": "请填写退回理由。"})
    organisation: Organisation | None
    if transfer.state == TransferState.SENT:
        _require(actor, TRANSFER_RECEIVE, transfer)
        organisation = transfer.destination_org
    else:
        done = selectors.approved_ids(transfer)
        pending = [org for org in selectors.approvers(transfer) if org.pk not in done]
        mine = [org for org in pending if _may(actor, TRANSFER_APPROVE, org)]
        if not mine:
            _require(actor, TRANSFER_APPROVE, pending[0] if pending else None)
        organisation = mine[0] if mine else None
    before = audit.snapshot(transfer, TRANSFER_FIELDS)
    transfer.state = TransferState.REJECTED
    transfer.completed_on = timezone.localdate()
    transfer.save(update_fields=["state", "completed_on"])
    _step(
        transfer,
        StepKind.REJECT,
        actor,
        events.TRANSFER_REJECTED,
        before=before,
        organisation=organisation,
        note=note,
    )
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: User | None, transfer: Transfer, note: str = "") -> Transfer:
    """撤回: the origin withdraws a transfer not yet received, or a letter whose slip has not
    come back (the letter is void)."""
    transfer = _lock(transfer)
    _require(actor, TRANSFER_SEND, transfer)
    _refuse_state(transfer, (TransferState.SENT, TransferState.AWAITING_SLIP), "撤回")
    before = audit.snapshot(transfer, TRANSFER_FIELDS)
    transfer.state = TransferState.CANCELLED
    transfer.completed_on = timezone.localdate()
    transfer.save(update_fields=["state", "completed_on"])
    _step(
        transfer,
        StepKind.CANCEL,
        actor,
        events.TRANSFER_CANCELLED,
        before=before,
        organisation=transfer.origin_org,
        note=note,
    )
    return transfer


def _next_letter_number(year: int) -> str:
    prefix = rules.letter_number(year, 0)[: -len("0000号")]
    used = Transfer.objects.filter(kind=TransferKind.OUT, letter_number__startswith=prefix)
    return rules.letter_number(year, used.count() + 1)


@transaction.atomic
def transfer_issue_letter(
    *,
    actor: User | None,
    person: Person,
    destination_text: str,
    reason: str,
    issued_on: date | None = None,
    valid_days: int | None = None,
    dues_paid_until: date | None = None,
    note: str = "",
    batch: TransferBatch | None = None,
) -> Transfer:
    """转出本单位: the origin issues the 介绍信; the case stays open until the 回执 returns."""
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("primary_org")
        .get(pk=person.pk)
    )
    issued_on = issued_on or timezone.localdate()
    valid_days = valid_days if valid_days is not None else settings.TRANSFER_LETTER_VALID_DAYS
    transfer = Transfer(
        kind=TransferKind.OUT,
        state=TransferState.AWAITING_SLIP,
        person=person,
        origin_org=person.primary_org,
        destination_text=destination_text.strip(),
        reason=reason,
        issued_on=issued_on,
        valid_days=valid_days,
        dues_paid_until=dues_paid_until,
        note=note,
        batch=batch,
    )
    _require(actor, TRANSFER_SEND, transfer)
    _check_sendable(person, person.primary_org, None)
    errors = {}
    if not transfer.destination_text:
        errors["destination_text"] = "请填写转往的党组织。"
    if error := rules.valid_days_error(valid_days):
        errors["valid_days"] = error
    if errors:
        raise ValidationError(errors)
    transfer.letter_number = _next_letter_number(issued_on.year)
    transfer.full_clean()
    transfer.save()
    _step(
        transfer,
        StepKind.ISSUE,
        actor,
        events.LETTER_ISSUED,
        before={},
        organisation=transfer.origin_org,
        note=f"介绍信{transfer.letter_number}，转往{transfer.destination_text}",
    )
    return transfer


def _person_leaves_by_transfer(
    *, actor: User | None, person: Person, on: date, reason: str
) -> None:
    """The person leaves the roll because their relationship moved out of the institution:
    转出 in their standing history (PeopleCount follows, the login is closed)."""
    org_services.person_leave(
        actor=actor,
        person=person,
        cause=LeaveCause.TRANSFERRED_OUT,
        on=on,
        reason=reason.strip() or "组织关系转出",
    )


@transaction.atomic
def transfer_record_slip(
    *, actor: User | None, transfer: Transfer, returned_on: date, note: str = ""
) -> Transfer:
    """The 回执 came back: the case is complete and the person leaves the roll."""
    transfer = _lock(transfer)
    _require(actor, TRANSFER_SEND, transfer)
    _refuse_state(transfer, (TransferState.AWAITING_SLIP,), "登记回执")
    if error := rules.slip_date_error(transfer.issued_on, returned_on, timezone.localdate()):
        raise ValidationError({"returned_on": error})
    before = audit.snapshot(transfer, TRANSFER_FIELDS)
    on = timezone.localdate()
    org_services.positions_end_on_leaving(actor=actor, person=transfer.person, on=on)
    _person_leaves_by_transfer(
        actor=actor, person=transfer.person, on=returned_on, reason=transfer.reason
    )
    transfer.state = TransferState.COMPLETED
    transfer.slip_returned_on = returned_on
    transfer.completed_on = on
    transfer.save(update_fields=["state", "slip_returned_on", "completed_on"])
    _step(
        transfer,
        StepKind.SLIP,
        actor,
        events.SLIP_RETURNED,
        before=before,
        organisation=transfer.origin_org,
        note=note or f"回执于{returned_on.isoformat()}返回，党员已转出",
    )
    return transfer


class ArrivalFields(TypedDict, total=False):
    name: str
    gender: str
    ethnicity: str
    birth_date: date | None
    id_number: str | None
    category: str
    party_status: str


@transaction.atomic
def transfer_arrive(
    *,
    actor: User | None,
    destination_org: Organisation,
    letter_number: str,
    origin_text: str,
    reason: str,
    issued_on: date | None = None,
    dues_paid_until: date | None = None,
    note: str = "",
    **person_fields: Unpack[ArrivalFields],
) -> Transfer:
    """转入本单位: received with the letter's number and origin; the person is matched by ID
    number (a former member off the roll comes back) or registered; a branch is assigned."""
    transfer = Transfer(
        kind=TransferKind.IN,
        state=TransferState.COMPLETED,
        destination_org=destination_org,
        origin_text=origin_text.strip(),
        letter_number=letter_number.strip(),
        reason=reason,
        issued_on=issued_on or timezone.localdate(),
        dues_paid_until=dues_paid_until,
        completed_on=timezone.localdate(),
        note=note,
    )
    _require(actor, TRANSFER_RECEIVE, transfer)
    errors = {}
    if not transfer.letter_number:
        errors["letter_number"] = "请填写介绍信编号。"
    if not transfer.origin_text:
        errors["origin_text"] = "请填写原党组织。"
    if person_fields.get("party_status") not in MEMBER_STATUSES:
        errors["party_status"] = "转入的应为正式党员或预备党员。"
    if errors:
        raise ValidationError(errors)
    id_number = (person_fields.get("id_number") or "").strip().upper()
    person = (
        Person.objects.select_for_update().filter(id_number_hash=keyed_hash(id_number)).first()
        if id_number
        else None
    )
    if person is not None:
        if person.is_active and person.primary_org_id is not None:
            raise ValidationError(
                {"id_number": f"该身份证号对应的{person.name}仍在本单位党组织中，请办理校内转接。"}
            )
        if person.party_status not in MEMBER_STATUSES:
            raise ValidationError(
                {
                    "id_number": f"{person.name}在系统中登记为{person.get_party_status_display()}，"
                    "请先核实其政治面貌。"
                }
            )
        if person.standing == Standing.ON_ROLL:
            org_services.person_update(
                actor=actor, person=person, primary_org=destination_org, group=None, is_active=True
            )
        matched = f"按身份证号匹配到{person.name}，恢复在册"
    else:
        person = org_services.person_create(
            actor=actor, primary_org=destination_org, **person_fields
        )
        matched = f"新建人员{person.name}"
    # 转入 in the standing history (and back on the roll for a member who had left by 转出).
    org_services.person_record_arrival(
        actor=actor,
        person=person,
        on=transfer.completed_on or timezone.localdate(),
        reason=f"由{transfer.origin_text}转入（{transfer.letter_number}）",
        organisation=destination_org,
    )
    person.refresh_from_db()
    transfer.person = person
    transfer.full_clean()
    transfer.save()
    _step(
        transfer,
        StepKind.ARRIVE,
        actor,
        events.TRANSFER_ARRIVED,
        before={},
        organisation=destination_org,
        note=f"凭{transfer.origin_text}介绍信{transfer.letter_number}接收；{matched}",
    )
    return transfer


@dataclass
class BatchRow:
    person: Person
    destination_text: str


@transaction.atomic
def transfer_batch_out(
    *,
    actor: User | None,
    organisation: Organisation,
    rows: list[BatchRow],
    reason: str,
    unit: Unit | None = None,
    issued_on: date | None = None,
    valid_days: int | None = None,
    dues_paid_until: date | None = None,
    title: str = "",
) -> TransferBatch:
    """毕业生党员组织关系集中转出: one letter per row, each row in its own savepoint so that a
    refused row (named with its reason) does not stop the others."""
    _require(actor, TRANSFER_SEND, _OriginOf(organisation))
    if not rows:
        raise ValidationError({"rows": "请至少选择一名党员。"})
    issued_on = issued_on or timezone.localdate()
    batch = TransferBatch.objects.create(
        title=title or f"{issued_on.year}年毕业生党员组织关系转出（{unit or organisation}）",
        organisation=organisation,
        unit=unit,
        issued_on=issued_on,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    results = []
    for row in rows:
        try:
            with transaction.atomic():
                transfer = transfer_issue_letter(
                    actor=actor,
                    person=row.person,
                    destination_text=row.destination_text,
                    reason=reason,
                    issued_on=issued_on,
                    valid_days=valid_days,
                    dues_paid_until=dues_paid_until,
                    batch=batch,
                )
        except ValidationError as exc:
            results.append(
                {
                    "person": row.person.pk,
                    "name": row.person.name,
                    "ok": False,
                    "message": "；".join(exc.messages),
                }
            )
        except PermissionDenied as exc:
            results.append(
                {"person": row.person.pk, "name": row.person.name, "ok": False, "message": str(exc)}
            )
        else:
            results.append(
                {
                    "person": row.person.pk,
                    "name": row.person.name,
                    "ok": True,
                    "message": f"已开具介绍信{transfer.letter_number}",
                    "transfer": transfer.pk,
                }
            )
    batch.results = results
    batch.save(update_fields=["results"])
    audit.created(actor=actor, obj=batch, fields=["title", "organisation", "unit", "issued_on"])
    return batch


@dataclass
class _OriginOf:
    """Asks TRANSFER_SEND about an organisation before any transfer exists."""

    origin_org: Organisation
