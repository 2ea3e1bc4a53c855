"""Every write to organisations and people: atomic, validated by org.rules, audited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.models import AuditEvent
from dangjian.org import rules
from dangjian.org.models import Organisation, Person, Position, StatusChange, Term

RESTRUCTURE_REFUSED = "调整隶属关系或撤销本组织，须由上级党组织办理。"

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
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "category",
    "unit",
    "class_name",
    "primary_org",
    "group",
    "is_active",
    "note",
]
POSITION_FIELDS = ["person", "organisation", "title", "starts_on", "ends_on", "note"]


def _check_parent(parent: Organisation | None, kind: str) -> None:
    error = rules.child_kind_error(parent.kind if parent else None, kind)
    if error:
        raise ValidationError({"kind": error})
    if parent is not None and parent.is_dissolved:
        raise ValidationError({"parent": "上级组织已撤销，不能在其下新建组织"})


@transaction.atomic
def organisation_create(*, actor, parent: Organisation | None, **fields) -> Organisation:
    _check_parent(parent, fields["kind"])
    org = Organisation(**fields)
    org.full_clean(exclude=["path", "depth", "numchild"])
    if parent:
        org = Organisation.objects.add_child(parent, instance=org)
    else:
        org = Organisation.objects.add_root(instance=org)
    audit.record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=org, after=audit.snapshot(org, ORG_FIELDS)
    )
    return org


@transaction.atomic
def organisation_update(*, actor, org: Organisation, **fields) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    before = audit.snapshot(org, ORG_FIELDS)
    for name, value in fields.items():
        setattr(org, name, value)
    if "kind" in fields:
        parent = Organisation.objects.get_parent(org)
        _check_parent(parent, org.kind)
        child_kinds = set(Organisation.objects.get_children(org).values_list("kind", flat=True))
        misfits = child_kinds - set(rules.ALLOWED_CHILDREN.get(org.kind, ()))
        if misfits:
            raise ValidationError({"kind": "现有下级组织与新的组织类型不符，请先调整下级组织"})
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=org,
        before=before,
        after=audit.snapshot(org, ORG_FIELDS),
    )
    return org


@transaction.atomic
def organisation_move(*, actor, org: Organisation, new_parent: Organisation) -> Organisation:
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
    *, actor, org: Organisation, dissolved_on: date, note: str = ""
) -> Organisation:
    """Dissolve an organisation and its sub-organisations; history is kept, nothing deleted."""
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
    if person.id_number:
        person.id_number = person.id_number.strip().upper()
        error = rules.id_number_error(person.id_number)
        if error:
            errors["id_number"] = error
        elif person.birth_date and rules.id_birth_date(person.id_number) != person.birth_date:
            errors["birth_date"] = "出生日期与身份证号不一致"
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
    if errors:
        raise ValidationError(errors)
    person.full_clean()


@transaction.atomic
def person_create(*, actor, **fields) -> Person:
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
def person_update(*, actor, person: Person, **fields) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = audit.snapshot(person, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    _clean_person(person)
    person.save()
    after = audit.snapshot(person, PERSON_FIELDS)
    action = (
        AuditEvent.Action.MOVE
        if before["所在党支部"] != after["所在党支部"]
        else AuditEvent.Action.UPDATE
    )
    audit.record(actor=actor, action=action, obj=person, before=before, after=after)
    return person


@transaction.atomic
def person_change_status(
    *, actor, person: Person, new_status: str, effective_on: date, note: str = ""
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
        obj=person,
        before=before,
        after=audit.snapshot(person, ["party_status", "status_since"]),
        note=note,
    )
    return person


@transaction.atomic
def position_create(*, actor, **fields) -> Position:
    position = Position(**fields)
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
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=position,
        after=audit.snapshot(position, POSITION_FIELDS),
    )
    return position


@transaction.atomic
def position_end(*, actor, position: Position, ends_on: date) -> Position:
    position = Position.objects.select_for_update().get(pk=position.pk)
    if ends_on < position.starts_on:
        raise ValidationError({"ends_on": "离任日期不能早于任职日期"})
    before = audit.snapshot(position, POSITION_FIELDS)
    position.ends_on = ends_on
    position.save(update_fields=["ends_on"])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=position,
        before=before,
        after=audit.snapshot(position, POSITION_FIELDS),
    )
    return position


@transaction.atomic
def term_create(*, actor, organisation: Organisation, **fields) -> Term:
    term = Term(organisation=organisation, **fields)
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
