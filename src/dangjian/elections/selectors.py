"""Reads of elections: the organisations' current terms (届期) and where each stands."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery

from dangjian.core.access import Actor
from dangjian.core.scoping import scope_for
from dangjian.elections import rules
from dangjian.elections.models import Election, ElectionState
from dangjian.org.models import Organisation, OrgKind, Term, in_orgs

ELECTED_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def current_terms() -> QuerySet[Term]:
    """Each organisation's latest term (its current committee), one row per organisation."""
    latest = (
        Term.objects.filter(organisation=OuterRef("organisation"))
        .order_by("-number")
        .values("pk")[:1]
    )
    return Term.objects.filter(pk=Subquery(latest))


def terms_for(user: Actor) -> QuerySet[Term]:
    """The current terms of the active organisations the user acts on as an officer."""
    scope = scope_for(user)
    qs = current_terms().filter(
        organisation__dissolved_on__isnull=True, organisation__kind__in=ELECTED_KINDS
    )
    if not scope.everything:
        qs = qs.filter(in_orgs("organisation", scope.org_paths)) if scope.org_paths else qs.none()
    return qs.select_related("organisation")


def due_q(today: date) -> Q:
    """Terms ending within ELECTION_REMINDER_MONTHS of today (or already ended)."""
    horizon = rules.add_months(today, settings.ELECTION_REMINDER_MONTHS)
    return Q(ends_on__isnull=False, ends_on__lte=horizon)


def expired_q(today: date) -> Q:
    return Q(ends_on__isnull=False, ends_on__lt=today)


@dataclass
class TermRow:
    term: Term
    state: str
    election: Election | None


def term_rows(terms: list[Term], today: date) -> list[TermRow]:
    """Each term with its state (在任 / 即将届满 / 已届满) and the election under way for it,
    in one query for the page."""
    months = settings.ELECTION_REMINDER_MONTHS
    elections = {
        e.organisation_id: e
        for e in Election.objects.open().filter(
            organisation_id__in=[t.organisation_id for t in terms]
        )
    }
    return [
        TermRow(t, rules.term_state(t.ends_on, today, months), elections.get(t.organisation_id))
        for t in terms
    ]


@dataclass
class Reelection:
    """What the records say about 定期改选 of an organisation in a year (评分表第1项)."""

    term: Term | None
    elected_on: date | None  # a new committee's election held in the year
    overdue: bool


def reelection(organisation: Organisation, year: int, on: date) -> Reelection:
    """The organisation's current term on `on`, the day of an election held in `year` that
    appointed a committee, and whether the term had ended on `on` with no new committee
    (换届超期). One query."""
    done = (
        Election.objects.filter(
            organisation=OuterRef("organisation"),
            state=ElectionState.APPOINTED,
            held_on__year=year,
        )
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    term = (
        Term.objects.filter(organisation=organisation, starts_on__lte=on)
        .annotate(elected_on=Subquery(done))
        .order_by("-number")
        .first()
    )
    if term is None:
        return Reelection(None, None, False)
    overdue = term.ends_on is not None and term.ends_on < on
    return Reelection(term, term.elected_on, overdue)
