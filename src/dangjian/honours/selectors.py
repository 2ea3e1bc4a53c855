"""Reads of honours rounds and model units: scoped querysets and grouped counts."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from dangjian.honours import rules
from dangjian.honours.models import (
    ACTIVE_UNIT_STATES,
    Category,
    HonourRound,
    ModelUnit,
    Nomination,
    NominationState,
    Objection,
    Quota,
    RoundState,
)
from dangjian.org.models import Organisation


def rounds(user: Any) -> QuerySet[HonourRound]:
    return HonourRound.objects.visible_to(user)


def nominations(user: Any) -> QuerySet[Nomination]:
    return Nomination.objects.visible_to(user).select_related(
        "round", "person", "organisation", "quota_holder"
    )


@dataclass
class QuotaRow:
    quota: Quota
    nominated: int
    approved: int

    @property
    def left(self) -> int:
        return max(0, self.quota.quota - self.nominated)


def quota_table(round_: HonourRound) -> list[QuotaRow]:
    """Each quota with the nominations taking it and those approved: two queries."""
    counts = {
        (row["quota_holder_id"], row["category"]): row
        for row in Nomination.objects.filter(round=round_)
        .values("quota_holder_id", "category")
        .annotate(
            nominated=Count(
                "id",
                filter=Q(
                    state__in=(
                        NominationState.NOMINATED,
                        NominationState.APPROVED,
                        NominationState.AWARDED,
                    )
                ),
            ),
            approved=Count(
                "id", filter=Q(state__in=(NominationState.APPROVED, NominationState.AWARDED))
            ),
        )
    }
    table = []
    for quota in Quota.objects.filter(round=round_).select_related("organisation"):
        row = counts.get((quota.organisation_id, quota.category), {})
        table.append(QuotaRow(quota, row.get("nominated", 0), row.get("approved", 0)))
    return table


def quota_pivot(table: list[QuotaRow]) -> list[tuple[Organisation, list[QuotaRow | None]]]:
    """The quota table as one row per general branch, a cell per category (in the order of
    `Category`)."""
    categories = [value for value, _label in Category.choices]
    rows: dict[int, tuple[Organisation, list[QuotaRow | None]]] = {}
    for row in sorted(table, key=lambda r: r.quota.organisation.path):
        org = row.quota.organisation
        cells = rows.setdefault(org.pk, (org, [None] * len(categories)))[1]
        cells[categories.index(row.quota.category)] = row
    return list(rows.values())


def objections_of(nomination: Nomination) -> QuerySet[Objection]:
    return nomination.objections.all()


def published_awards() -> QuerySet[Nomination]:
    """Awards of published rounds (the public board and the files)."""
    return Nomination.objects.filter(
        round__state=RoundState.PUBLISHED, state=NominationState.AWARDED
    ).select_related("round", "person", "organisation")


def on_notice(today: date) -> QuerySet[Nomination]:
    """The nominees of a round whose notice (公示) runs today: the public reads them."""
    return Nomination.objects.filter(
        round__state=RoundState.NOTICE,
        round__notice_starts_on__lte=today,
        round__notice_ends_on__gte=today,
        state=NominationState.APPROVED,
    ).select_related("round", "person", "organisation")


def awards_of_person(person_id: int) -> list[Nomination]:
    return list(published_awards().filter(person_id=person_id).order_by("-round__year", "id"))


def awards_of_organisation(org: Organisation) -> list[Nomination]:
    """Awards to the organisation itself and to its members (its subtree)."""
    return list(
        published_awards()
        .filter(organisation__path__startswith=org.path)
        .order_by("-round__year", "category", "id")[:200]
    )


def unit_counts() -> dict[str, tuple[int | None, int | None]]:
    return settings.HONOURS_MODEL_UNIT_COUNTS or rules.UNIT_COUNTS


@dataclass
class UnitCountRow:
    chosen_by: Organisation
    kind: str
    label: str
    count: int
    fewest: int | None
    most: int | None
    shortfall: int


def unit_count_table(user: Any) -> list[UnitCountRow]:
    """Per choosing organisation the user manages and kind: the units being cultivated against
    the seeds' counts (2–3 typical units, ten demonstration units). One grouped query."""
    counts = unit_counts()
    rows = (
        ModelUnit.objects.editable_by(user)
        .filter(state__in=ACTIVE_UNIT_STATES)
        .values("chosen_by_id", "kind")
        .annotate(n=Count("id"))
        .order_by("chosen_by_id", "kind")
    )
    grouped = [(r["chosen_by_id"], r["kind"], r["n"]) for r in rows]
    orgs = Organisation.objects.in_bulk({g[0] for g in grouped})
    table = []
    for org_id, kind, n in grouped:
        fewest, most = counts.get(kind, (None, None))
        table.append(
            UnitCountRow(
                orgs[org_id],
                kind,
                rules.UNIT_KIND_LABELS[kind],
                n,
                fewest,
                most,
                rules.unit_count_shortfall(n, kind, counts),
            )
        )
    return table
