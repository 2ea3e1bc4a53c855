"""Reads of dues and the activity fund: typed arguments, scoped querysets, roll-ups."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from dangjian.core.access import Actor
from dangjian.core.scoping import scope_for
from dangjian.finance import rules
from dangjian.finance.models import (
    INCOME_KINDS,
    DuesPayment,
    DuesStandard,
    FundEntry,
    PaymentState,
)
from dangjian.org import rollup
from dangjian.org.models import Organisation, OrgKind, PeopleCount, Person, in_orgs
from dangjian.org.rules import MEMBER_STATUSES


def branch_members(branch: Organisation) -> QuerySet[Person]:
    """The branch's Party members on the register (people belong to a branch, never a group)."""
    return Person.objects.filter(
        primary_org=branch, is_active=True, party_status__in=MEMBER_STATUSES
    ).order_by("name", "id")


def member_counts(branch: Organisation) -> tuple[int, int]:
    """(教职工党员 incl. retired, 学生党员) of the branch from org.PeopleCount, one query."""
    rows = (
        PeopleCount.objects.filter(
            organisation=branch, is_active=True, party_status__in=MEMBER_STATUSES
        )
        .values_list("category")
        .annotate(n=Sum("n"))
    )
    staff = students = 0
    for category, n in rows:
        if category == "student":
            students += n or 0
        else:
            staff += n or 0
    return staff, students


def managed_branches(user: Actor) -> QuerySet[Organisation]:
    """The branches whose dues and fund the user keeps (their scope), in tree order."""
    return (
        Organisation.objects.editable_by(user)
        .filter(kind=OrgKind.BRANCH, dissolved_on__isnull=True)
        .order_by("path")
    )


def default_branch(user: Actor) -> Organisation | None:
    return managed_branches(user).first()


# --- the grids ---------------------------------------------------------------------------------


@dataclass
class GridRow:
    person: Person
    standard: DuesStandard | None = None
    payment: DuesPayment | None = None
    run: int = 0  # consecutive months in arrears up to this month
    errors: dict[str, str] = field(default_factory=dict)
    typed: dict[str, Any] = field(default_factory=dict)
    saved: bool = False

    @property
    def default_kind(self) -> str:
        return rules.kind_for_category(self.person.category)


def standards_grid(branch: Organisation, year: int) -> list[GridRow]:
    """The branch's members with their standard of the year and, for carrying over, last
    year's: two queries."""
    members = list(branch_members(branch))
    standards = {
        s.person_id: s
        for s in DuesStandard.objects.filter(
            person__in=members, year__in=(year - 1, year)
        ).order_by("year")
    }
    return [GridRow(person=p, standard=standards.get(p.pk)) for p in members]


def collection_grid(branch: Organisation, year: int, month: int) -> list[GridRow]:
    """The branch's members with their standard, the month's payment and their run of months
    in arrears: four queries whatever the number of members."""
    members = list(branch_members(branch))
    period = rules.period_of(year, month)
    standards = {s.person_id: s for s in DuesStandard.objects.filter(person__in=members, year=year)}
    payments = {
        p.person_id: p for p in DuesPayment.objects.filter(person__in=members, period=period)
    }
    runs = arrears_runs(DuesPayment.objects.filter(person__in=members), period)
    return [
        GridRow(
            person=p,
            standard=standards.get(p.pk),
            payment=payments.get(p.pk),
            run=runs.get(p.pk, 0),
        )
        for p in members
    ]


def arrears_runs(payments: QuerySet[DuesPayment], through: int) -> dict[int, int]:
    """Each person's consecutive months in arrears up to `through` (a period), from the rows
    of the months before (a lookback of two years bounds the read; a run that long is
    reported as 24). One query."""
    rows = payments.filter(
        state=PaymentState.ARREARS, period__lte=through, period__gt=through - 24
    ).values_list("person_id", "period")
    by_person: dict[int, list[int]] = defaultdict(list)
    for person_id, period in rows:
        by_person[person_id].append(period)
    runs = {pk: rules.trailing_arrears(periods, through) for pk, periods in by_person.items()}
    return {pk: run for pk, run in runs.items() if run}


def last_closed_period(today: date) -> int:
    """The last month that has ended: arrears are counted up to it."""
    return rules.period_of(today.year, today.month) - 1


@dataclass
class Lapsed:
    person_id: int
    name: str
    organisation_id: int
    organisation: str
    run: int


def lapsed_members(payments: QuerySet[DuesPayment], through: int) -> list[Lapsed]:
    """Members whose run of arrears reaches FINANCE_DUES_LAPSE_MONTHS at `through`
    (《中国共产党章程》第九条): those in arrears in each of the last months, then their run."""
    months = settings.FINANCE_DUES_LAPSE_MONTHS
    candidates = (
        payments.filter(
            state=PaymentState.ARREARS, period__lte=through, period__gt=through - months
        )
        .values("person_id")
        .annotate(n=Count("id"))
        .filter(n__gte=months)
        .values("person_id")
    )
    rows = payments.filter(person_id__in=candidates)
    runs = arrears_runs(rows, through)
    names = {
        pk: (name, org_id, org)
        for pk, name, org_id, org in Person.objects.filter(pk__in=list(runs)).values_list(
            "pk", "name", "primary_org_id", "primary_org__name"
        )
    }
    lapsed = [
        Lapsed(pk, *names[pk], run)
        for pk, run in runs.items()
        if pk in names and rules.deemed_lapsed(run, months)
    ]
    return sorted(lapsed, key=lambda x: (-x.run, x.name))


def lapsed_under(root: Organisation, through: int) -> list[Lapsed]:
    """The lapsed members of `root`'s subtree (by the branch the rows were recorded for)."""
    return lapsed_members(
        DuesPayment.objects.filter(in_orgs("organisation", (root.path,))), through
    )


# --- statistics --------------------------------------------------------------------------------


@dataclass
class StatRow:
    organisation: Organisation
    due: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    records: int = 0
    arrears: int = 0  # payment rows in arrears (member-months)
    late: int = 0

    @property
    def rate(self) -> str:
        return f"{self.paid * 100 / self.due:.1f}%" if self.due else "—"

    @property
    def outstanding(self) -> Decimal:
        return max(self.due - self.paid, Decimal(0))


AGGREGATES = {
    "due": Sum("due"),
    "paid": Sum("paid"),
    "records": Count("id"),
    "arrears": Count("id", filter=Q(state=PaymentState.ARREARS)),
    "late": Count("id", filter=Q(state=PaymentState.PAID_LATE)),
}


def statistics(root: Organisation, year: int, month: int | None = None) -> list[StatRow]:
    """Due, paid and arrears of `root`'s subtree and of each organisation one level below,
    rolled up by path prefix (org.rollup): one query per depth, never a scan of the people."""
    children = list(
        Organisation.objects.filter(path__startswith=root.path, depth=root.depth + 1)
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")
    )
    orgs = [root, *children]
    payments = DuesPayment.objects.filter(year=year)
    if month is not None:
        payments = payments.filter(month=month)
    found = rollup.grouped_by_prefix(payments, "organisation__path", orgs, AGGREGATES)
    rows = []
    for org in orgs:
        values = found.get(org.pk, {})
        rows.append(
            StatRow(
                organisation=org,
                due=rules.to_fen(values.get("due") or Decimal(0)),
                paid=rules.to_fen(values.get("paid") or Decimal(0)),
                records=values.get("records") or 0,
                arrears=values.get("arrears") or 0,
                late=values.get("late") or 0,
            )
        )
    return rows


def totals(org: Organisation, year: int) -> StatRow:
    """Due, paid and arrears of the year in `org`'s subtree: one query."""
    payments = DuesPayment.objects.filter(in_orgs("organisation", (org.path,)), year=year)
    values = payments.order_by().aggregate(**AGGREGATES)
    return StatRow(
        organisation=org,
        due=rules.to_fen(values["due"] or Decimal(0)),
        paid=rules.to_fen(values["paid"] or Decimal(0)),
        records=values["records"] or 0,
        arrears=values["arrears"] or 0,
        late=values["late"] or 0,
    )


def statistics_root(user: Actor, org_id: int | None) -> Organisation | None:
    """The organisation a statistics page is about: the one asked for if the user sees it,
    else the top of their scope."""
    visible = Organisation.objects.visible_to(user).exclude(kind=OrgKind.GROUP)
    if org_id is not None:
        return visible.filter(pk=org_id).first()
    scope = scope_for(user)
    if scope.everything:
        return Organisation.objects.filter(depth=1).order_by("path").first()
    return visible.order_by("depth", "path").first()


# --- the member's own --------------------------------------------------------------------------


def own_dues(person: Person, year: int) -> tuple[DuesStandard | None, list[DuesPayment]]:
    standard = DuesStandard.objects.filter(person=person, year=year).first()
    payments = list(DuesPayment.objects.filter(person=person, year=year).order_by("month"))
    return standard, payments


# --- the fund ledger ---------------------------------------------------------------------------


@dataclass
class Ledger:
    entries: list[FundEntry]
    income: Decimal
    spending: Decimal

    @property
    def balance(self) -> Decimal:
        return self.income - self.spending


def ledger(branch: Organisation, year: int) -> Ledger:
    entries = list(FundEntry.objects.filter(organisation=branch, year=year).order_by("on", "id"))
    income = sum((e.amount for e in entries if e.kind in INCOME_KINDS), Decimal(0))
    spending = sum((e.amount for e in entries if e.kind not in INCOME_KINDS), Decimal(0))
    return Ledger(entries=entries, income=income, spending=spending)


def sees_base(user: Actor, standard: DuesStandard) -> bool:
    """The base is personal data: the member and the officers who keep their dues see it."""
    scope = scope_for(user)
    if scope.person_id and scope.person_id == standard.person_id:
        return True
    return DuesStandard.objects.editable_by(user).filter(pk=standard.pk).exists()
