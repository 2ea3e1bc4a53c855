"""Every write of the outreach app: atomic, validated by outreach.rules, audited.

Rights are declared in `outreach.permissions`: officers of a person's organisation and of the
levels above manage that person's contacts, links and visits; a member their own; the links of
school leaders to colleges are the organisation department's. A refused right raises
PermissionDenied naming the rule; a broken rule raises ValidationError on the field.
"""

from datetime import date
from typing import Any, TypedDict, TypeVar, Unpack

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from dangjian.core import access, audit
from dangjian.core.events import EventType
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Person, Unit
from dangjian.outreach import events, rules, selectors
from dangjian.outreach import permissions as perms
from dangjian.outreach.models import Contact, Link, Visit

CONTACT_FIELDS = [
    "member",
    "organisation",
    "contact",
    "name",
    "relation",
    "since",
    "ended_on",
    "note",
]
LINK_FIELDS = ["visitor", "organisation", "kind", "unit", "target", "since", "ended_on"]
VISIT_FIELDS = [
    "visitor",
    "organisation",
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

NO_ORG = "该人员不在任何党组织中，不能登记。"


def _person(user: User) -> Person:
    """The person behind the account (their own contacts and visits)."""
    access.require(user, perms.OWN)
    return Person.objects.select_related("primary_org").get(pk=user.person_id)


def _full_clean(obj: models.Model, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


EndedRow = TypeVar("EndedRow", Contact, Link)


def _end(
    actor: User, row: EndedRow, ended_on: date, fields: list[str], event: EventType
) -> EndedRow:
    """End a contact or a link (a locked row), audited as its named event."""
    with audit.recording(actor=actor, obj=row, fields=fields, event=event):
        row.ended_on = ended_on
        _full_clean(row)
        row.save()
    return row


# --- contacts (《基层组织建设实施意见》§四(二)4(2)) -----------------------------------------


@transaction.atomic
def contact_create(
    *,
    actor: User,
    member: Person | None = None,
    name: str = "",
    relation: str,
    since: date | None = None,
    contact: Person | None = None,
    note: str = "",
) -> Contact:
    """A member (the actor's own person by default) takes on one more non-Party contact (at most
    3 at a time)."""
    member = member or _person(actor)
    # Lock the member: two concurrent additions cannot both pass the count.
    member = (
        Person.objects.select_for_update(of=("self",))
        .select_related("primary_org")
        .get(pk=member.pk)
    )
    access.require(actor, perms.MANAGE, member)
    if not member.is_member:
        raise ValidationError({"member": rules.NOT_A_MEMBER})
    if member.primary_org_id is None:
        raise ValidationError({"member": NO_ORG})
    if contact is not None:
        if contact.pk == member.pk:
            raise ValidationError({"contact": rules.SELF_CONTACT})
        if not rules.is_masses(contact.party_status):
            raise ValidationError({"contact": rules.NOT_MASSES})
        name = name.strip() or contact.name
    active = Contact.objects.filter(member=member, ended_on__isnull=True)
    if contact is not None and active.filter(contact=contact).exists():
        raise ValidationError({"contact": rules.DUPLICATE_CONTACT})
    if not name.strip():
        raise ValidationError({"name": "请填写联系对象姓名。"})
    minimum, maximum = selectors.contact_limits()
    error = rules.contact_add_error(active.count(), maximum, minimum)
    if error:
        raise ValidationError({"name": error})
    since = since or timezone.localdate()
    if since > timezone.localdate():
        raise ValidationError({"since": "建立联系日期不能晚于今天。"})
    row = Contact(
        member=member,
        organisation=member.primary_org,
        contact=contact,
        name=name.strip(),
        relation=relation,
        since=since,
        note=note,
    )
    _full_clean(row)
    row.save()
    audit.created(actor=actor, obj=row, fields=CONTACT_FIELDS)
    return row


@transaction.atomic
def contact_end(*, actor: User, contact: Contact, ended_on: date | None = None) -> Contact:
    contact = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("member__primary_org")
        .get(pk=contact.pk)
    )
    access.require(actor, perms.MANAGE, contact.member)
    if contact.ended_on is not None:
        raise ValidationError({"ended_on": "该联系已结束。"})
    ended_on = ended_on or timezone.localdate()
    if ended_on < contact.since:
        raise ValidationError({"ended_on": "结束日期不能早于建立联系日期。"})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "结束日期不能晚于今天。"})
    return _end(actor, contact, ended_on, CONTACT_FIELDS, events.CONTACT_ENDED)


# --- links of 三联二访 (《基层组织建设实施意见》§四(四)1) ------------------------------------


@transaction.atomic
def link_create(
    *,
    actor: User,
    visitor: Person,
    kind: str,
    since: date | None = None,
    unit: Unit | None = None,
    target: str = "",
) -> Link:
    visitor = Person.objects.select_related("primary_org").get(pk=visitor.pk)
    if kind in (rules.LEADER_COLLEGE, rules.LEADER_POINT):
        access.require(actor, perms.LEADER_LINK)
    if kind == rules.LEADER_POINT and not selectors.is_leader(visitor):
        raise ValidationError({"visitor": rules.NOT_A_LEADER})
    if visitor.primary_org is None:
        raise ValidationError({"visitor": NO_ORG})
    access.require(actor, perms.LINK, Link(organisation=visitor.primary_org))
    error = rules.link_target_error(kind, unit.kind if unit else None, target)
    if error:
        raise ValidationError({error[0]: error[1]})
    if kind == rules.TEACHER_DORM and not (visitor.is_member and visitor.category == "staff"):
        raise ValidationError({"visitor": rules.TEACHER_MUST_BE_MEMBER})
    if rules.LINK_UNIT_KIND[kind] is None:
        unit = None
    elif rules.LINK_UNIT_KIND[kind] != rules.ANY_TARGET or unit is not None:
        target = ""
    if unit is not None and unit.dissolved_on is not None:
        raise ValidationError({"unit": "该单位已撤销。"})
    duplicate = Link.objects.filter(
        visitor=visitor, kind=kind, unit=unit, target=target.strip(), ended_on__isnull=True
    )
    if duplicate.exists():
        raise ValidationError({"kind": rules.DUPLICATE_LINK})
    link = Link(
        visitor=visitor,
        organisation=visitor.primary_org,
        kind=kind,
        unit=unit,
        target=target.strip(),
        since=since or timezone.localdate(),
    )
    _full_clean(link)
    link.save()
    audit.created(actor=actor, obj=link, fields=LINK_FIELDS)
    return link


@transaction.atomic
def link_end(*, actor: User, link: Link, ended_on: date | None = None) -> Link:
    link = (
        Link.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=link.pk)
    )
    if link.kind in (rules.LEADER_COLLEGE, rules.LEADER_POINT):
        access.require(actor, perms.LEADER_LINK)
    access.require(actor, perms.LINK, link)
    if link.ended_on is not None:
        raise ValidationError({"ended_on": "该联系点已结束。"})
    ended_on = ended_on or timezone.localdate()
    if ended_on < link.since:
        raise ValidationError({"ended_on": "结束日期不能早于开始日期。"})
    return _end(actor, link, ended_on, LINK_FIELDS, events.LINK_ENDED)


# --- visits (《基层组织建设实施意见》§四(四)1; 《组织建设年实施方案》§四(二)) ---------------


def _check_visit(visit: Visit) -> None:
    error = rules.visit_date_error(visit.visited_on, timezone.localdate())
    if error:
        raise ValidationError({"visited_on": error})
    link = visit.link
    if link is not None:
        if link.visitor_id != visit.visitor_id:
            raise ValidationError({"link": rules.LINK_NOT_OWN})
        if link.kind != visit.kind:
            raise ValidationError({"kind": rules.LINK_KIND_MISMATCH})
        if visit.visited_on < link.since or (
            link.ended_on is not None and visit.visited_on > link.ended_on
        ):
            raise ValidationError({"visited_on": rules.LINK_NOT_ACTIVE})
        if visit.unit_id is None and link.unit_id is not None:
            visit.unit_id = link.unit_id
    visit.interviewee = visit.interviewee.strip()
    if visit.kind in rules.NAMED_KINDS and not visit.interviewee:
        raise ValidationError({"interviewee": rules.INTERVIEWEE_REQUIRED})
    if visit.needs_follow_up and not visit.interviewee:
        raise ValidationError({"interviewee": rules.FOLLOW_UP_NEEDS_INTERVIEWEE})
    _full_clean(visit)


@transaction.atomic
def visit_create(
    *,
    actor: User,
    kind: str,
    visited_on: date,
    content: str,
    visitor: Person | None = None,
    link: Link | None = None,
    unit: Unit | None = None,
    interviewee: str = "",
    focus_group: str = "",
    method: str = "face",
    needs_follow_up: bool = False,
) -> Visit:
    """One visit or interview, recorded by the visitor (or an officer of their organisation)."""
    visitor = _person(actor) if visitor is None else visitor
    visitor = Person.objects.select_related("primary_org").get(pk=visitor.pk)
    access.require(actor, perms.MANAGE, visitor)
    if visitor.primary_org is None:
        raise ValidationError({"visitor": "走访人不在任何党组织中，不能登记走访。"})
    if link is not None and not kind:
        kind = link.kind
    if link is None and kind in rules.LINK_KINDS and visited_on:
        # The visitor's only link of this kind on that day is the one visited.
        candidates = list(
            Link.objects.filter(visitor=visitor, kind=kind, since__lte=visited_on)
            .exclude(ended_on__lt=visited_on)
            .only("pk", "kind", "visitor_id", "unit_id", "since", "ended_on")[:2]
        )
        if len(candidates) == 1:
            link = candidates[0]
    visit = Visit(
        visitor=visitor,
        organisation=visitor.primary_org,
        kind=kind,
        link=link,
        visited_on=visited_on,
        unit=unit,
        interviewee=interviewee or "",
        focus_group=focus_group or "",
        method=method or "face",
        content=content,
        needs_follow_up=needs_follow_up,
    )
    _check_visit(visit)
    visit.save()
    audit.created(actor=actor, obj=visit, fields=VISIT_FIELDS)
    return visit


def _locked_visit(actor: User, visit: Visit) -> Visit:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    visitor = Person.objects.select_related("primary_org").get(pk=visit.visitor_id)
    access.require(actor, perms.MANAGE, visitor)
    return visit


class VisitFields(TypedDict, total=False):
    """What a visit's edit may change (the visitor and their organisation stay)."""

    kind: str
    link: Link | None
    visited_on: date
    unit: Unit | None
    interviewee: str | None
    focus_group: str | None
    method: str
    content: str
    needs_follow_up: bool


@transaction.atomic
def visit_update(*, actor: User, visit: Visit, **fields: Unpack[VisitFields]) -> Visit:
    """Change a visit's details; a field not given keeps its value."""
    visit = _locked_visit(actor, visit)
    changes: dict[str, Any] = dict(fields)
    for name in ("interviewee", "focus_group"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    return audit.audited_update(  # type: ignore[return-value]  # returns the row it was given
        actor=actor, obj=visit, fields=changes, audit_fields=VISIT_FIELDS, clean=_check_visit
    )


@transaction.atomic
def visit_delete(*, actor: User, visit: Visit) -> None:
    visit = _locked_visit(actor, visit)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=visit,
        before=audit.snapshot(visit, VISIT_FIELDS),
    )
    visit.delete()
