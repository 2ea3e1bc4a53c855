"""Every write to organisations and people: atomic, validated by org.rules, audited."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TypedDict, Unpack

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import access, audit, security_log
from dangjian.core.crypto import keyed_hash
from dangjian.core.models import AuditEvent, SecurityEvent, User
from dangjian.org import events, rules
from dangjian.org.models import (
    LeadingGroup,
    LeadingGroupMember,
    Organisation,
    Person,
    Position,
    Standing,
    StandingCause,
    StandingChange,
    StatusChange,
    Term,
    Unit,
)

ORG_FIELDS = [
    "name",
    "short_name",
    "kind",
    "category",
    "code",
    "display_order",
    "founded_on",
    "activity_room_area",
    "note",
]
PERSON_FIELDS = [
    "name",
    "staff_number",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "category",
    "unit",
    "primary_org",
    "group",
    "is_active",
    "education",
    "degree",
    "professional_title",
    "title_level",
    "post",
    "native_place",
    "relation_held_here",
    "relation_held_at",
    "note",
]
POSITION_FIELDS = ["person", "organisation", "title", "starts_on", "ends_on", "note"]
UNIT_FIELDS = ["name", "kind", "parent", "display_order"]
LEADING_GROUP_FIELDS = ["organisation", "name", "office", "duties"]
LEADING_GROUP_MEMBER_FIELDS = ["group", "person", "role", "display_order"]


# The fields a form or an API payload may set (every one optional in an update).
class OrganisationFields(TypedDict, total=False):
    name: str
    short_name: str
    kind: str
    category: str
    code: str
    display_order: int
    founded_on: date | None
    activity_room_area: Decimal | None
    note: str


class PersonFields(TypedDict, total=False):
    name: str
    staff_number: str
    gender: str
    ethnicity: str
    birth_date: date | None
    id_number: str | None
    phone: str
    category: str
    unit: Unit | None
    primary_org: Organisation | None
    group: Organisation | None
    is_active: bool
    education: str
    degree: str
    professional_title: str
    title_level: str
    post: str
    native_place: str
    relation_held_here: bool
    relation_held_at: str
    note: str
    party_status: str  # on registration only; later changes are person_change_status


class UnitFields(TypedDict, total=False):
    name: str
    kind: str
    parent: Unit | None
    display_order: int


class LeadingGroupFields(TypedDict, total=False):
    name: str
    office: str
    duties: str


def _require(actor: User | None, name: str, obj: object = None) -> None:
    """The access policy for a person acting (org.permissions). A None actor is the system
    (the demo loader, a test's set-up) and is not checked."""
    if actor is not None:
        access.require(actor, name, obj)


def _check_parent(parent: Organisation | None, kind: str) -> None:
    error = rules.child_kind_error(parent.kind if parent else None, kind)
    if error:
        raise ValidationError({"kind": error})
    if parent is not None and parent.is_dissolved:
        raise ValidationError({"parent": "上级组织已撤销，不能在其下新建组织"})


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    parent: Organisation | None,
    covered_units: Iterable[Unit] | None = None,
    **fields: Unpack[OrganisationFields],
) -> Organisation:
    if parent is None:
        _require(actor, "org.create_top_level")
    _check_parent(parent, fields["kind"])
    org = Organisation(**fields)
    org.full_clean(exclude=["path", "depth", "numchild"])
    if parent:
        org = Organisation.objects.add_child(parent, instance=org)
    else:
        org = Organisation.objects.add_root(instance=org)
    if covered_units is not None:
        org.covered_units.set(covered_units)
    audit.record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=org, after=audit.snapshot(org, ORG_FIELDS)
    )
    return org


@transaction.atomic
def organisation_update(
    *,
    actor: User | None,
    org: Organisation,
    covered_units: Iterable[Unit] | None = None,
    **fields: Unpack[OrganisationFields],
) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=org.pk)

    def clean(org: Organisation) -> None:
        if "kind" in fields:
            _check_parent(Organisation.objects.get_parent(org), org.kind)
            children = set(Organisation.objects.get_children(org).values_list("kind", flat=True))
            if children - set(rules.ALLOWED_CHILDREN.get(org.kind, ())):
                raise ValidationError({"kind": "现有下级组织与新的组织类型不符，请先调整下级组织"})
        org.full_clean(exclude=["path", "depth", "numchild"])

    audit.audited_update(
        actor=actor, obj=org, fields=dict(fields), audit_fields=ORG_FIELDS, clean=clean
    )
    if covered_units is not None:
        org.covered_units.set(covered_units)
    return org


@transaction.atomic
def organisation_move(
    *, actor: User | None, org: Organisation, new_parent: Organisation
) -> Organisation:
    _require(actor, "org.restructure", org)
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    new_parent = Organisation.objects.select_for_update().get(pk=new_parent.pk)
    if new_parent.path.startswith(org.path):
        raise ValidationError({"new_parent": "不能移动到自身或其下级组织之下"})
    _check_parent(new_parent, org.kind)
    old_parent = Organisation.objects.get_parent(org)
    Organisation.objects.move(org, new_parent, pos="last-child")
    org.refresh_from_db()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.MOVE,
        obj=org,
        before={"parent": str(old_parent) if old_parent else None},
        after={"parent": str(new_parent)},
    )
    return org


@transaction.atomic
def organisation_dissolve(
    *, actor: User | None, org: Organisation, dissolved_on: date, note: str = ""
) -> Organisation:
    """Dissolve an organisation and its sub-organisations; history is kept, nothing deleted."""
    _require(actor, "org.restructure", org)
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if org.is_dissolved:
        raise ValidationError({"dissolved_on": "该组织已撤销"})
    if org.founded_on and dissolved_on < org.founded_on:
        raise ValidationError({"dissolved_on": "撤销日期不能早于成立日期"})
    active_people = Person.objects.in_subtree(org).filter(is_active=True).count()
    if active_people:
        raise ValidationError(
            {"dissolved_on": f"该组织及其下级仍有{active_people}名在册人员，请先转出后再撤销"}
        )
    subtree = Organisation.objects.subtree_of(org).active()
    for node in subtree:
        audit.record(
            actor=actor,
            action=AuditEvent.Action.DISSOLVE,
            event=events.ORGANISATION_DISSOLVED,
            obj=node,
            before={"dissolved_on": None},
            after={"dissolved_on": dissolved_on.isoformat()},
            note=note,
        )
    subtree.update(dissolved_on=dissolved_on)
    Position.objects.filter(organisation__path__startswith=org.path, ends_on__isnull=True).update(
        ends_on=dissolved_on
    )
    org.refresh_from_db()
    return org


def _clean_person(person: Person) -> None:
    errors = {}
    person.staff_number = (person.staff_number or "").strip()
    if person.id_number:
        person.id_number = person.id_number.strip().upper()
        error = rules.id_number_error(person.id_number)
        if error:
            errors["id_number"] = error
        elif person.birth_date and rules.id_birth_date(person.id_number) != person.birth_date:
            errors["birth_date"] = "出生日期与身份证号不一致"
        elif (
            Person.objects.exclude(pk=person.pk)
            .filter(id_number_hash=keyed_hash(person.id_number))
            .exists()
        ):
            # Encrypted, so unique through its keyed hash (the constraint backs this up).
            errors["id_number"] = "该身份证号已登记在系统中"
    error = rules.phone_error(person.phone)
    if error:
        errors["phone"] = error
    if person.primary_org and person.primary_org.kind not in (
        "branch",
        "general_branch",
        "committee",
    ):
        errors["primary_org"] = "所在党组织应为党支部（或直属党总支、党委）"
    if person.group and (
        person.group.kind != "group"
        or not person.primary_org
        or not person.group.path.startswith(person.primary_org.path)
    ):
        errors["group"] = "党小组须属于所在党支部"
    person.relation_held_at = (person.relation_held_at or "").strip()
    if person.relation_held_here:
        person.relation_held_at = ""
    error = rules.relation_error(person.relation_held_here, person.relation_held_at)
    if error:
        errors["relation_held_at"] = error
    error = rules.register_error(person.is_active, person.standing)
    if error:
        errors["is_active"] = error
    if errors:
        raise ValidationError(errors)
    person.full_clean()


@transaction.atomic
def person_create(*, actor: User | None, **fields: Unpack[PersonFields]) -> Person:
    person = Person(**fields)
    if person.id_number and not person.birth_date:
        person.birth_date = rules.id_birth_date(person.id_number.strip())
    _clean_person(person)
    person.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=person,
        after=audit.snapshot(person, PERSON_FIELDS + ["party_status"]),
    )
    return person


@transaction.atomic
def person_update(*, actor: User | None, person: Person, **fields: Unpack[PersonFields]) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)

    def moved_or_updated(before: dict, after: dict) -> str:
        # A change of branch is a transfer (组织关系转接), shown as a move in the trail.
        moved = before["所在党支部"] != after["所在党支部"]
        return AuditEvent.Action.MOVE if moved else AuditEvent.Action.UPDATE

    audit.audited_update(
        actor=actor,
        obj=person,
        fields=dict(fields),
        audit_fields=PERSON_FIELDS,
        clean=_clean_person,
        action=moved_or_updated,
    )
    if not person.is_active or person.primary_org_id is None:
        _deactivate_account(actor=actor, person=person)
    return person


def _deactivate_account(*, actor: User | None, person: Person) -> None:
    """A person who left the register (离开/转出) can no longer sign in: their login is
    deactivated in the same transaction (saved, so User signals end sessions and tokens)."""
    user = User.objects.select_for_update().filter(person=person, is_active=True).first()
    if user is None:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    security_log.record(
        SecurityEvent.Kind.ACCOUNT,
        user=actor if actor is not None and actor.is_authenticated else None,
        detail=f"停用账号 {user.get_username()}：{person.name}已不在册或已转出",
    )


@transaction.atomic
def person_change_status(
    *, actor: User | None, person: Person, new_status: str, effective_on: date, note: str = ""
) -> Person:
    """Record a Party-status change as history and keep the person's dates in step."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    last = (
        person.status_changes.order_by("-effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )
    error = rules.status_change_error(
        person.party_status, new_status, effective_on, last, timezone.localdate()
    )
    if error:
        raise ValidationError({"new_status": error})
    before = audit.snapshot(person, ["party_status", "status_since"])
    StatusChange.objects.create(
        person=person,
        from_status=person.party_status,
        to_status=new_status,
        effective_on=effective_on,
        note=note,
        recorded_by=actor if actor and actor.is_authenticated else None,
    )
    person.party_status = new_status
    person.status_since = effective_on
    if new_status == "applicant" and not person.applied_on:
        person.applied_on = effective_on
    if new_status == "probationary":
        person.joined_on = effective_on
        person.probation_starts_on = effective_on
        person.probation_ends_on = rules.probation_end(effective_on)
    person.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        event=events.STATUS_CHANGED,
        obj=person,
        before=before,
        after=audit.snapshot(person, ["party_status", "status_since"]),
        note=note,
    )
    return person


STANDING_FIELDS = ["standing", "left_on", "is_active"]


def _standing_change(
    *, actor: User | None, person: Person, cause: str, on: date, reason: str
) -> StandingChange:
    return StandingChange.objects.create(
        person=person,
        cause=cause,
        effective_on=on,
        reason=reason,
        organisation=person.primary_org,
        party_status=person.party_status,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )


@transaction.atomic
def person_leave(
    *, actor: User | None, person: Person, cause: str, on: date, reason: str
) -> Person:
    """Take a person off the roll (停止党籍, 除名, 开除党籍, 退党, 死亡, 转出: LeaveCause), with
    the date and reason kept as history. The person stays in the records, off the register
    (is_active false: the count table moves them with the save), keeping their Party status;
    their login is deactivated. Refused with the rule named (org.rules.leave_error)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require(actor, "org.change_standing", person)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写原因"})
    error = rules.leave_error(
        party_status=person.party_status,
        standing=person.standing,
        cause=cause,
        on=on,
        today=timezone.localdate(),
        joined_on=person.joined_on,
    )
    if error:
        raise ValidationError({"cause": error})
    before = audit.snapshot(person, STANDING_FIELDS)
    _standing_change(actor=actor, person=person, cause=cause, on=on, reason=reason)
    person.standing = cause
    person.left_on = on
    person.is_active = False
    person.save(update_fields=[*STANDING_FIELDS, "updated_at"])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=person,
        before=before,
        after=audit.snapshot(person, STANDING_FIELDS),
        note=f"{StandingCause(cause).label}：{reason}",
    )
    _deactivate_account(actor=actor, person=person)
    return person


@transaction.atomic
def person_restore(*, actor: User | None, person: Person, on: date, reason: str) -> Person:
    """Restore a suspended member's standing (恢复党籍): back on the roll, history kept."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require(actor, "org.change_standing", person)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写原因"})
    error = rules.restore_error(
        standing=person.standing, on=on, left_on=person.left_on, today=timezone.localdate()
    )
    if error:
        raise ValidationError({"on": error})
    before = audit.snapshot(person, STANDING_FIELDS)
    _standing_change(actor=actor, person=person, cause=StandingCause.RESTORED, on=on, reason=reason)
    person.standing = Standing.ON_ROLL
    person.left_on = None
    person.is_active = True
    person.save(update_fields=[*STANDING_FIELDS, "updated_at"])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=person,
        before=before,
        after=audit.snapshot(person, STANDING_FIELDS),
        note=f"恢复党籍：{reason}",
    )
    return person


@transaction.atomic
def person_record_arrival(
    *,
    actor: User | None,
    person: Person,
    on: date,
    reason: str,
    organisation: Organisation | None = None,
) -> StandingChange:
    """Record that a member's organisational relationship arrived here (转入) on `on`, for the
    history and the annual statistics' changes by cause (the transfers workflow calls it when a
    transfer in is received). A former member who had left by 转出 comes back on the roll, in
    `organisation`; anyone who left otherwise is refused (恢复党籍 is its own step)."""
    if on > timezone.localdate():
        raise ValidationError({"on": "日期不能晚于今天"})
    person = Person.objects.select_for_update().get(pk=person.pk)
    returning = person.standing == Standing.TRANSFERRED_OUT
    if returning and organisation is not None:
        # Decided where they arrive: the receiving officers act on the branch assigned.
        person.primary_org, person.group = organisation, None
    _require(actor, "org.change_standing", person)
    if person.standing != Standing.ON_ROLL:
        if not returning:
            raise ValidationError(
                {"person": f"该人员已{person.get_standing_display()}，不能办理组织关系转入。"}
            )
        person.standing, person.left_on, person.is_active = Standing.ON_ROLL, None, True
        person.save()  # the count table follows the save (org.counts)
    change = _standing_change(
        actor=actor,
        person=person,
        cause=StandingCause.TRANSFERRED_IN,
        on=on,
        reason=(reason or "").strip() or "组织关系转入",
    )
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=person,
        note=f"组织关系转入：{change.reason}",
    )
    return change


@transaction.atomic
def person_extend_probation(
    *, actor: User | None, person: Person, ends_on: date, note: str = ""
) -> Person:
    """Move a probationary member's probation end (延长预备期, decided by the general branch)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.party_status != "probationary":
        raise ValidationError({"ends_on": "只有预备党员可以延长预备期"})
    audit.audited_update(
        actor=actor,
        obj=person,
        fields={"probation_ends_on": ends_on},
        audit_fields=["probation_ends_on"],
        clean=lambda p: None,
    )
    return person


@transaction.atomic
def position_create(
    *,
    actor: User | None,
    person: Person,
    organisation: Organisation,
    title: str,
    starts_on: date,
    ends_on: date | None = None,
    note: str = "",
) -> Position:
    position = Position(
        person=person,
        organisation=organisation,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
    )
    _require(actor, "org.appoint", position)
    if position.ends_on and position.ends_on < position.starts_on:
        raise ValidationError({"ends_on": "离任日期不能早于任职日期"})
    if position.organisation.is_dissolved:
        raise ValidationError({"organisation": "该组织已撤销"})
    if (
        position.title == "secretary"
        and Position.objects.current()
        .filter(organisation=position.organisation, title="secretary")
        .exists()
        and position.ends_on is None
    ):
        raise ValidationError({"title": "该组织已有在任书记，请先办理原书记离任"})
    position.full_clean()
    position.save()
    audit.created(actor=actor, obj=position, fields=POSITION_FIELDS)
    return position


@transaction.atomic
def position_end(*, actor: User | None, position: Position, ends_on: date) -> Position:
    _require(actor, "org.appoint", position)
    return _end_position(actor, position, ends_on)


@transaction.atomic
def positions_end_on_leaving(
    *, actor: User | None, person: Person, on: date, under: Organisation | None = None
) -> None:
    """The positions a person holds (under `under`, else anywhere) end as they leave it: the
    consequence of a step whose own right the caller checked (a transfer's approval, its
    回执), not an appointment of the actor's."""
    positions = Position.objects.current(on).filter(person=person)
    if under is not None:
        positions = positions.filter(organisation__path__startswith=under.path)
    for position in positions:
        _end_position(actor, position, max(on, position.starts_on))


def _end_position(actor: User | None, position: Position, ends_on: date) -> Position:
    position = Position.objects.select_for_update().get(pk=position.pk)
    if ends_on < position.starts_on:
        raise ValidationError({"ends_on": "离任日期不能早于任职日期"})
    before = audit.snapshot(position, POSITION_FIELDS)
    position.ends_on = ends_on
    position.save(update_fields=["ends_on"])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        event=events.POSITION_ENDED,
        obj=position,
        before=before,
        after=audit.snapshot(position, POSITION_FIELDS),
    )
    return position


@transaction.atomic
def term_create(
    *,
    actor: User | None,
    organisation: Organisation,
    number: int,
    starts_on: date,
    ends_on: date | None = None,
    note: str = "",
) -> Term:
    term = Term(
        organisation=organisation, number=number, starts_on=starts_on, ends_on=ends_on, note=note
    )
    if term.ends_on and term.ends_on < term.starts_on:
        raise ValidationError({"ends_on": "届满日期不能早于开始日期"})
    term.full_clean()
    term.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=term,
        after=audit.snapshot(term, ["organisation", "number", "starts_on", "ends_on"]),
    )
    return term


# --- Administrative units -------------------------------------------------------------------


def _clean_unit(unit: Unit) -> None:
    """Name unique within the parent (the top level included), the kind fits the parent, the
    parent is active and not the unit itself or below it, the children still fit."""
    errors = {}
    unit.name = (unit.name or "").strip()
    parent = unit.parent
    same_name = Unit.objects.filter(parent=parent, name=unit.name).exclude(pk=unit.pk).first()
    if unit.name and same_name:
        where = f"“{parent.name}”下" if parent else "顶层"
        errors["name"] = (
            f"{where}已有名为“{unit.name}”的单位{'（已撤销）' if same_name.is_dissolved else ''}"
        )
    if parent is not None:
        if parent.is_dissolved:
            errors["parent"] = "上级单位已撤销"
        elif unit.pk and _is_at_or_below(parent, unit):
            errors["parent"] = "上级单位不能是本单位或其下级单位"
    error = rules.unit_parent_error(parent.kind if parent else None, unit.kind)
    if error:
        errors.setdefault("parent" if parent else "kind", error)
    if unit.pk:
        child_kinds = set(unit.children.active().values_list("kind", flat=True))
        misfits = [k for k in sorted(child_kinds) if rules.unit_parent_error(unit.kind, k)]
        if misfits:
            errors.setdefault("kind", "现有下级单位与新的单位类型不符，请先调整下级单位")
    if errors:
        raise ValidationError(errors)
    unit.full_clean()


def _is_at_or_below(candidate: Unit, unit: Unit) -> bool:
    """Whether `candidate` is `unit` or lies below it (walks up from the candidate)."""
    seen = set()
    node: Unit | None = candidate
    while node is not None and node.pk not in seen:
        if node.pk == unit.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    parent: Unit | None = None,
    display_order: int = 100,
) -> Unit:
    _require(actor, "org.manage_units")
    unit = Unit(name=name, kind=kind, parent=parent, display_order=display_order)
    _clean_unit(unit)
    unit.save()
    audit.created(actor=actor, obj=unit, fields=UNIT_FIELDS)
    return unit


@transaction.atomic
def unit_update(*, actor: User | None, unit: Unit, **fields: Unpack[UnitFields]) -> Unit:
    _require(actor, "org.manage_units")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_dissolved:
        raise ValidationError({NON_FIELD_ERRORS: "该单位已撤销，不能修改"})
    audit.audited_update(
        actor=actor, obj=unit, fields=dict(fields), audit_fields=UNIT_FIELDS, clean=_clean_unit
    )
    return unit


@transaction.atomic
def unit_dissolve(*, actor: User | None, unit: Unit, dissolved_on: date, note: str = "") -> Unit:
    """Mark a unit dissolved; it stays in history (people's records, covering organisations)."""
    _require(actor, "org.manage_units")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_dissolved:
        raise ValidationError({"dissolved_on": "该单位已撤销"})
    active_people = unit.people.filter(is_active=True).count()
    if active_people:
        raise ValidationError(
            {"dissolved_on": f"该单位仍有{active_people}名在册人员，请先调整其所在单位后再撤销"}
        )
    active_children = unit.children.active().count()
    if active_children:
        raise ValidationError(
            {"dissolved_on": f"该单位仍有{active_children}个下级单位未撤销，请先撤销下级单位"}
        )
    unit.dissolved_on = dissolved_on
    unit.save(update_fields=["dissolved_on"])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DISSOLVE,
        event=events.UNIT_DISSOLVED,
        obj=unit,
        before={"撤销日期": None},
        after={"撤销日期": dissolved_on.isoformat()},
        note=note,
    )
    return unit


# --- Leading groups -------------------------------------------------------------------------


def _check_group_org(organisation: Organisation) -> None:
    if organisation.is_dissolved:
        raise ValidationError({NON_FIELD_ERRORS: "该组织已撤销，不能调整其领导小组"})


def _clean_group(group: LeadingGroup) -> None:
    group.name = (group.name or "").strip()
    if (
        group.name
        and LeadingGroup.objects.filter(organisation_id=group.organisation_id, name=group.name)
        .exclude(pk=group.pk)
        .exists()
    ):
        raise ValidationError({"name": f"本组织已有名为“{group.name}”的领导小组"})
    group.full_clean()


@transaction.atomic
def leading_group_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    office: str = "",
    duties: str = "",
) -> LeadingGroup:
    _check_group_org(organisation)
    group = LeadingGroup(organisation=organisation, name=name, office=office, duties=duties)
    _clean_group(group)
    group.save()
    audit.created(actor=actor, obj=group, fields=LEADING_GROUP_FIELDS)
    return group


@transaction.atomic
def leading_group_update(
    *, actor: User | None, group: LeadingGroup, **fields: Unpack[LeadingGroupFields]
) -> LeadingGroup:
    group = (
        LeadingGroup.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=group.pk)
    )
    _check_group_org(group.organisation)
    audit.audited_update(
        actor=actor,
        obj=group,
        fields=dict(fields),
        audit_fields=LEADING_GROUP_FIELDS,
        clean=_clean_group,
    )
    return group


@transaction.atomic
def leading_group_member_add(
    *,
    actor: User | None,
    group: LeadingGroup,
    person: Person,
    role: str,
    display_order: int = 100,
) -> LeadingGroupMember:
    """Add a person to a leading group: one leader per group, one place per person (the
    office head may serve concurrently). The group row is locked so two officers adding a
    leader at once cannot both succeed."""
    group = (
        LeadingGroup.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=group.pk)
    )
    _check_group_org(group.organisation)
    if not person.is_active:
        raise ValidationError({"person": "该人员已不在册"})
    errors = rules.leading_group_member_errors(
        person.pk, role, group.members.values_list("person_id", "role")
    )
    if errors:
        raise ValidationError(errors)
    member = LeadingGroupMember(group=group, person=person, role=role, display_order=display_order)
    member.full_clean()
    member.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        event=events.GROUP_MEMBER_ADDED,
        obj=member,
        after=audit.snapshot(member, LEADING_GROUP_MEMBER_FIELDS),
        note=group.name,
    )
    return member


@transaction.atomic
def leading_group_member_remove(*, actor: User | None, member: LeadingGroupMember) -> LeadingGroup:
    """Remove a person from a leading group; the audit row keeps who held which role."""
    member = (
        LeadingGroupMember.objects.select_for_update(of=("self",))
        .select_related("group__organisation", "person")
        .get(pk=member.pk)
    )
    group = member.group
    _check_group_org(group.organisation)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=member,
        event=events.GROUP_MEMBER_REMOVED,
        before=audit.snapshot(member, LEADING_GROUP_MEMBER_FIELDS),
        note=group.name,
    )
    member.delete()
    return group
