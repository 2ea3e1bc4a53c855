"""Every write of an election: atomic, checked (core.access, the rules), audited with a named
event. The steps: create the plan → submit → the level above approves (or returns) it → add
candidates (差额) → record the ballot → the level above approves the result → appoint the new
committee in one step (the old term's committee offices end, a new Term, its Positions)."""

from datetime import date, timedelta
from typing import TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.access import Actor, require
from dangjian.core.events import EventType
from dangjian.core.models import AuditEvent
from dangjian.elections import events, rules
from dangjian.elections.models import (
    COMMITTEE_TITLES,
    Candidate,
    Election,
    ElectionState,
)
from dangjian.elections.permissions import APPROVE, MANAGE
from dangjian.org.models import Organisation, OrgKind, Person, Position, Term

ELECTION_FIELDS = [
    "organisation",
    "term",
    "state",
    "seats",
    "planned_on",
    "plan",
    "submitted_on",
    "plan_approved_on",
    "plan_reply",
    "held_on",
    "entitled",
    "present",
    "result_approved_on",
    "result_reply",
    "new_term",
]
CANDIDATE_FIELDS = ["election", "person", "title", "votes", "elected"]
ELECTED_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)
COMMITTEE_VALUES = [value for value, _ in COMMITTEE_TITLES]


class ElectionFields(TypedDict, total=False):
    term: Term | None
    seats: int
    planned_on: date
    plan: str


def current_term(organisation: Organisation) -> Term | None:
    return Term.objects.filter(organisation=organisation).order_by("-number").first()


def _clean(election: Election) -> None:
    errors: dict[str, str] = {}
    if election.organisation.kind not in ELECTED_KINDS:
        errors["organisation"] = "只有党委、党总支、党支部进行委员会换届选举。"
    elif election.organisation.is_dissolved:
        errors["organisation"] = "该组织已撤销。"
    if election.term is not None and election.term.organisation_id != election.organisation_id:
        errors["term"] = "届次不属于该党组织。"
    if election.seats is not None and (error := rules.seats_error(election.seats)):
        errors["seats"] = error
    others = Election.objects.open().filter(organisation=election.organisation)
    if election.pk is None and others.exists():
        errors.setdefault("organisation", "该组织已有正在进行的换届选举。")
    if errors:
        raise ValidationError(errors)
    election.full_clean()


def _locked(election: Election) -> Election:
    # Lock the election's row only (the term is an outer join, which PostgreSQL cannot lock).
    return (
        Election.objects.select_for_update(of=("self",))
        .select_related("organisation", "term")
        .get(pk=election.pk)
    )


def _in_state(election: Election, *states: str, doing: str) -> None:
    if election.state not in states:
        raise ValidationError(
            {NON_FIELD_ERRORS: f"该换届选举当前为“{election.get_state_display()}”，不能{doing}。"}
        )


def _step(
    election: Election, actor: Actor, event: EventType, before: dict, note: str = ""
) -> Election:
    election.save()
    audit.changed(
        actor=actor, obj=election, fields=ELECTION_FIELDS, before=before, event=event, note=note
    )
    return election


@transaction.atomic
def election_create(
    *, actor: Actor, organisation: Organisation, **fields: Unpack[ElectionFields]
) -> Election:
    election = Election(organisation=organisation, **fields)
    require(actor, MANAGE, election)
    if election.term is None:
        election.term = current_term(organisation)
    _clean(election)
    election.save()
    audit.created(actor=actor, obj=election, fields=ELECTION_FIELDS)
    return election


@transaction.atomic
def election_update(
    *, actor: Actor, election: Election, **fields: Unpack[ElectionFields]
) -> Election:
    election = _locked(election)
    require(actor, MANAGE, election)
    _in_state(election, ElectionState.DRAFT, doing="修改方案（退回后可修改）")
    audit.audited_update(
        actor=actor, obj=election, fields=dict(fields), audit_fields=ELECTION_FIELDS, clean=_clean
    )
    return election


@transaction.atomic
def election_delete(*, actor: Actor, election: Election) -> None:
    election = _locked(election)
    require(actor, MANAGE, election)
    _in_state(election, ElectionState.DRAFT, doing="删除（已报送的方案不能删除）")
    before = audit.snapshot(election, ELECTION_FIELDS)
    audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=election, before=before)
    election.delete()


# --- candidates -------------------------------------------------------------------------------


@transaction.atomic
def candidate_add(
    *, actor: Actor, election: Election, person: Person, title: str = "committee"
) -> Candidate:
    election = _locked(election)
    require(actor, MANAGE, election)
    _in_state(
        election,
        ElectionState.DRAFT,
        ElectionState.PLAN_APPROVED,
        doing="增加候选人（方案报送后待批复期间）",
    )
    errors = {}
    if person.party_status != "full" or not person.is_active:
        # 第五条: 预备党员没有表决权、选举权和被选举权.
        errors["person"] = f"只有在册的正式党员有被选举权（{rules.SOURCE}第五条）。"
    elif person.primary_org is None or not person.primary_org.path.startswith(
        election.organisation.path
    ):
        errors["person"] = "候选人应为本组织的党员。"
    elif election.candidates.filter(person=person).exists():
        errors["person"] = "该党员已是候选人。"
    if title not in COMMITTEE_VALUES:
        errors["title"] = "请选择委员会职务。"
    if errors:
        raise ValidationError(errors)
    candidate = Candidate.objects.create(election=election, person=person, title=title)
    audit.created(actor=actor, obj=candidate, fields=CANDIDATE_FIELDS)
    return candidate


@transaction.atomic
def candidate_remove(*, actor: Actor, candidate: Candidate) -> None:
    election = _locked(candidate.election)
    require(actor, MANAGE, election)
    _in_state(election, ElectionState.DRAFT, ElectionState.PLAN_APPROVED, doing="删除候选人")
    before = audit.snapshot(candidate, CANDIDATE_FIELDS)
    audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=candidate, before=before)
    candidate.delete()


# --- the plan --------------------------------------------------------------------------------


@transaction.atomic
def election_submit(*, actor: Actor, election: Election, note: str = "") -> Election:
    """The plan goes to the level above (选举工作条例: 召开党员大会前报上级党组织审批)."""
    election = _locked(election)
    require(actor, MANAGE, election)
    _in_state(election, ElectionState.DRAFT, doing="报送方案")
    before = audit.snapshot(election, ELECTION_FIELDS)
    election.state = ElectionState.SUBMITTED
    election.submitted_on = timezone.localdate()
    return _step(election, actor, events.PLAN_SUBMITTED, before, note)


@transaction.atomic
def election_approve_plan(*, actor: Actor, election: Election, note: str = "") -> Election:
    election = _locked(election)
    require(actor, APPROVE, election)
    _in_state(election, ElectionState.SUBMITTED, doing="批复方案")
    before = audit.snapshot(election, ELECTION_FIELDS)
    election.state = ElectionState.PLAN_APPROVED
    election.plan_approved_on = timezone.localdate()
    election.plan_reply = (note or "同意")[:300]
    return _step(election, actor, events.PLAN_APPROVED, before, note)


@transaction.atomic
def election_return_plan(*, actor: Actor, election: Election, note: str = "") -> Election:
    election = _locked(election)
    require(actor, APPROVE, election)
    _in_state(election, ElectionState.SUBMITTED, doing="退回方案")
    if not note.strip():
        raise ValidationError({"note": "请填写退回理由。"})
    before = audit.snapshot(election, ELECTION_FIELDS)
    election.state = ElectionState.DRAFT
    election.plan_reply = note[:300]
    return _step(election, actor, events.PLAN_RETURNED, before, note)


# --- the ballot and the result ---------------------------------------------------------------


@transaction.atomic
def election_record_ballot(
    *,
    actor: Actor,
    election: Election,
    held_on: date,
    entitled: int,
    present: int,
    votes: dict[int, int],
) -> Election:
    """The meeting's figures and each candidate's votes; who is elected follows the rules
    (the 4/5 quorum, more than half of those present,差额 with enough candidates)."""
    election = _locked(election)
    require(actor, MANAGE, election)
    _in_state(election, ElectionState.PLAN_APPROVED, doing="登记选举结果（方案须先经批复）")
    candidates = list(election.candidates.select_related("person"))
    errors: dict[str, str] = {}
    margin = settings.ELECTION_MARGIN_PERCENT
    if error := rules.candidates_error(election.seats, len(candidates), margin):
        errors[NON_FIELD_ERRORS] = error
    if held_on > timezone.localdate():
        errors["held_on"] = "选举日期不能晚于今天。"
    elif election.plan_approved_on and held_on < election.plan_approved_on:
        errors["held_on"] = "选举日期不能早于方案批复日期。"
    if error := rules.quorum_error(entitled, present):
        errors["present"] = error
    for c in candidates:
        if c.pk not in votes:
            errors[f"votes_{c.pk}"] = f"请填写{c.person.name}的得票数。"
        elif error := rules.votes_error(votes[c.pk], present):
            errors[f"votes_{c.pk}"] = error
    if not errors:
        chosen, error = rules.elected(
            {c.pk: votes[c.pk] for c in candidates}, present, election.seats
        )
        if error:
            errors[NON_FIELD_ERRORS] = error
        elif not chosen:
            errors[NON_FIELD_ERRORS] = "没有候选人获得超过实到会人数一半的赞成票，应另行选举。"
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(election, ELECTION_FIELDS)
    for c in candidates:
        c.votes = votes[c.pk]
        c.elected = c.pk in chosen
    Candidate.objects.bulk_update(candidates, ["votes", "elected"])
    election.held_on, election.entitled, election.present = held_on, entitled, present
    election.state = ElectionState.VOTED
    short = election.seats - len(chosen)
    note = f"当选{len(chosen)}名" + (f"，缺额{short}名" if short else "")
    return _step(election, actor, events.BALLOT_RECORDED, before, note)


@transaction.atomic
def election_approve_result(*, actor: Actor, election: Election, note: str = "") -> Election:
    election = _locked(election)
    require(actor, APPROVE, election)
    _in_state(election, ElectionState.VOTED, doing="批复选举结果")
    before = audit.snapshot(election, ELECTION_FIELDS)
    election.state = ElectionState.APPROVED
    election.result_approved_on = timezone.localdate()
    election.result_reply = (note or "同意")[:300]
    return _step(election, actor, events.RESULT_APPROVED, before, note)


# --- the new committee ------------------------------------------------------------------------


@transaction.atomic
def election_appoint(*, actor: Actor, election: Election, starts_on: date) -> Election:
    """One step: the committee offices of the organisation still held end the day before
    `starts_on`, the old term ends then, a new Term starts (its end by ELECTION_TERM_YEARS),
    and each elected member takes the office they were elected to."""
    election = _locked(election)
    require(actor, MANAGE, election)
    _in_state(election, ElectionState.APPROVED, doing="办理新一届委员会任职（结果须先经批复）")
    org = election.organisation
    elected = list(election.candidates.filter(elected=True).select_related("person"))
    errors: dict[str, str] = {}
    if error := rules.committee_error([c.title for c in elected]):
        errors[NON_FIELD_ERRORS] = error
    if election.held_on and starts_on < election.held_on:
        errors["starts_on"] = "任职日期不能早于选举日期。"
    old = current_term(org)
    if old is not None and starts_on <= old.starts_on:
        errors["starts_on"] = f"任职日期应晚于第{old.number}届的开始日期。"
    if errors:
        raise ValidationError(errors)
    years = settings.ELECTION_TERM_YEARS[org.kind]
    new_term = Term.objects.create(
        organisation=org,
        number=(old.number + 1) if old else 1,
        starts_on=starts_on,
        ends_on=rules.term_ends_on(starts_on, years),
        note=f"{election.held_on:%Y-%m-%d}党员大会选举产生",
    )
    audit.created(
        actor=actor, obj=new_term, fields=["organisation", "number", "starts_on", "ends_on"]
    )
    day_before = starts_on - timedelta(days=1)
    if old is not None and (old.ends_on is None or old.ends_on > day_before):
        old.ends_on = max(day_before, old.starts_on)
        old.save(update_fields=["ends_on"])
    ending = list(
        Position.objects.current(starts_on)
        .filter(organisation=org, title__in=COMMITTEE_VALUES)
        .select_for_update()
    )
    for position in ending:
        before = audit.snapshot(position, ["ends_on"])
        position.ends_on = max(day_before, position.starts_on)
        position.save(update_fields=["ends_on"])
        audit.changed(
            actor=actor,
            obj=position,
            fields=["ends_on"],
            before=before,
            event=events.COMMITTEE_APPOINTED,
            note="换届离任",
        )
    for c in elected:
        position = Position.objects.create(
            person=c.person,
            organisation=org,
            title=c.title,
            starts_on=starts_on,
            note=f"第{new_term.number}届委员会",
        )
        audit.created(
            actor=actor,
            obj=position,
            fields=["person", "organisation", "title", "starts_on"],
            event=events.COMMITTEE_APPOINTED,
        )
    before = audit.snapshot(election, ELECTION_FIELDS)
    election.new_term = new_term
    election.state = ElectionState.APPOINTED
    return _step(
        election,
        actor,
        events.COMMITTEE_APPOINTED,
        before,
        f"第{new_term.number}届委员会{len(elected)}名委员任职，原委员会{len(ending)}个职务离任",
    )
