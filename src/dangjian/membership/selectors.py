"""Reads of membership administration."""

from datetime import date

from django.conf import settings
from django.db.models import Q

from dangjian.core.access import Actor
from dangjian.membership import rules
from dangjian.membership.models import StepKind, Transfer, TransferKind, TransferState, TransferStep
from dangjian.org.models import Organisation, OrgKind, Person, Unit, UnitKind
from dangjian.org.pickers import LIMIT, MAX_QUERY, organisation_label
from dangjian.org.rules import MEMBER_STATUSES

# The most members a batch page lists (a class or a branch's graduates fit easily).
BATCH_LIMIT = 500


def contact_lapsed_q(today: date) -> Q:
    """Still away, and not in touch for more than AWAY_CONTACT_DAYS (rules.contact_lapsed)."""
    cutoff = rules.contact_cutoff(today, settings.AWAY_CONTACT_DAYS)
    return Q(returned_on__isnull=True) & (
        Q(last_contact_on__lt=cutoff) | Q(last_contact_on__isnull=True, left_on__lt=cutoff)
    )


def slip_overdue_q(today: date) -> Q:
    """Letters awaiting their 回执 TRANSFER_SLIP_REMINDER_DAYS or more after issue
    (rules.slip_overdue)."""
    cutoff = rules.slip_cutoff(today, settings.TRANSFER_SLIP_REMINDER_DAYS)
    return Q(state=TransferState.AWAITING_SLIP, issued_on__lte=cutoff)


def pick_branches(q: str) -> list[tuple[int, str]]:
    """(id, label) of the first active branches (and general branches, which may hold members)
    of the whole institution whose name contains `q`: a transfer's destination may lie outside
    the sender's scope. Names of organisations are no personal data."""
    q = q.strip()[:MAX_QUERY]
    qs = Organisation.objects.active().filter(kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH])
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code=q))
    orgs = list(qs.only("id", "name", "path", "depth").order_by("path")[:LIMIT])
    tops = {o.path[: Organisation.steplen] for o in orgs if o.depth > 1}
    committees = dict(
        Organisation.objects.filter(path__in=tops, depth=1).values_list("path", "name")
        if tops
        else []
    )
    return [(o.pk, organisation_label(o, committees)) for o in orgs]


def transfer_timeline(transfer: Transfer) -> list[TransferStep]:
    return list(transfer.steps.select_related("organisation"))


def approval_status(transfer: Transfer) -> list[tuple[Organisation, bool]]:
    """Each approving organisation and whether it has approved."""
    done = approved_ids(transfer)
    return [(org, org.pk in done) for org in approvers(transfer)]


def batch_candidates(user: Actor, organisation: Organisation, unit: Unit | None) -> list[Person]:
    """Members on the roll under `organisation` (in a class, or a grade's classes), those the
    user may act on, with their organisation; students first (graduates are preselected)."""
    people = (
        Person.objects.editable_by(user)
        .filter(is_active=True, party_status__in=MEMBER_STATUSES)
        .under_path(organisation.path)
        .select_related("primary_org", "unit")
    )
    if unit is not None:
        people = people.filter(Q(unit=unit) | Q(unit__parent=unit))
    return list(people.order_by("name", "id")[:BATCH_LIMIT])


def with_open_transfer(people: list[Person]) -> set[int]:
    """Which of `people` already have a transfer under way (one query)."""
    ids = [p.pk for p in people]
    return set(
        Transfer.objects.open().filter(person_id__in=ids).values_list("person_id", flat=True)
    )


def batch_units(organisation: Organisation) -> list[Unit]:
    """The classes and grades whose members belong under `organisation`."""
    classes = (
        Person.objects.under_path(organisation.path)
        .filter(is_active=True, party_status__in=MEMBER_STATUSES, unit__kind=UnitKind.CLASS)
        .values("unit_id")
    )
    units = Unit.objects.filter(Q(pk__in=classes) | Q(children__in=classes)).distinct()
    return list(units.select_related("parent").order_by("kind", "name")[:BATCH_LIMIT])


def approval_chain(branch: Organisation) -> list[int]:
    """The organisations that approve for `branch`, nearest first: its general branches, or
    (directly under the committee) its parent."""
    steplen = Organisation.steplen
    paths = [branch.path[:end] for end in range(steplen, len(branch.path), steplen)]
    above = list(
        Organisation.objects.filter(path__in=paths).order_by("-depth").values_list("pk", "kind")
    )
    general = [pk for pk, kind in above if kind == OrgKind.GENERAL_BRANCH]
    return general or [pk for pk, _ in above[:1]]


def approvers(transfer: Transfer) -> list[Organisation]:
    """The general branch(es) whose approval a move within the institution needs
    (rules.approving_orgs), none when TRANSFER_APPROVAL_REQUIRED is off."""
    if not settings.TRANSFER_APPROVAL_REQUIRED or transfer.kind != TransferKind.WITHIN:
        return []
    assert transfer.origin_org is not None and transfer.destination_org is not None
    ids = rules.approving_orgs(
        approval_chain(transfer.origin_org), approval_chain(transfer.destination_org)
    )
    orgs = Organisation.objects.in_bulk(ids)
    return [orgs[pk] for pk in ids]


def approved_ids(transfer: Transfer) -> set[int]:
    return set(
        transfer.steps.filter(kind=StepKind.APPROVE).values_list("organisation_id", flat=True)
    )
