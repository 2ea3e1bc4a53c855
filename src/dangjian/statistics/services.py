"""Running the annual statistics: a run is requested (audited), queued, and computed in the
background into its stored figures."""

import time
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dangjian.core import access, audit
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import (
    Education,
    Organisation,
    OrgKind,
    Person,
    PersonCategory,
    StandingChange,
    StatusChange,
    TitleLevel,
)
from dangjian.org.rules import AGE_BANDS, birth_range
from dangjian.statistics import rules
from dangjian.statistics.models import StatisticsRun
from dangjian.statistics.permissions import RUN_STATISTICS
from dangjian.statistics.tables import LEAVING_CAUSES

CHANGE_CAUSES = (
    "transferred_in",
    "transferred_out",
    "deceased",
    "removed",
    "expelled",
    "withdrawn",
    "suspended",
    "restored",
)


@transaction.atomic
def run_request(*, actor: User | None, organisation: Organisation, cut_off: date) -> StatisticsRun:
    """Ask for the tables of `organisation`'s subtree at `cut_off`; computed once the
    transaction commits (by a worker, or here and now without a broker)."""
    if actor is not None:
        access.require(actor, RUN_STATISTICS, organisation)
    error = rules.cut_off_error(cut_off, timezone.localdate())
    if error:
        raise ValidationError({"cut_off": error})
    run = StatisticsRun.objects.create(
        organisation=organisation,
        cut_off=cut_off,
        period_start=rules.period_start(cut_off),
        requested_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=run, note="重新统计")
    from dangjian.statistics.tasks import compute_statistics

    transaction.on_commit(lambda: compute_statistics.delay(run.pk))
    return run


def run_compute(run_id: int) -> None:
    """Compute a queued run (the task's body); a run already taken is left alone."""
    claimed = StatisticsRun.objects.filter(pk=run_id, state=StatisticsRun.State.QUEUED).update(
        state=StatisticsRun.State.RUNNING
    )
    if not claimed:
        return
    run = StatisticsRun.objects.select_related("organisation").get(pk=run_id)
    started = time.monotonic()
    try:
        rows = [row_figures(run.organisation, run.cut_off, run.period_start)]
        children = Organisation.objects.filter(
            path__startswith=run.organisation.path, depth=run.organisation.depth + 1
        ).exclude(kind=OrgKind.GROUP)
        for child in children.filter(organisation_alive_q(run.cut_off)):
            rows.append(row_figures(child, run.cut_off, run.period_start))
    except Exception as exc:  # recorded on the run, shown on the page
        StatisticsRun.objects.filter(pk=run_id).update(
            state=StatisticsRun.State.FAILED,
            error=f"统计失败：{type(exc).__name__}"[:300],
            finished_at=timezone.now(),
        )
        raise
    StatisticsRun.objects.filter(pk=run_id).update(
        state=StatisticsRun.State.DONE,
        figures={"rows": rows},
        finished_at=timezone.now(),
        duration_ms=int((time.monotonic() - started) * 1000),
    )


def organisation_alive_q(on: date) -> Q:
    """Organisations founded by `on` (or undated) and not dissolved by then."""
    founded = Q(founded_on__isnull=True) | Q(founded_on__lte=on)
    alive = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on)
    return founded & alive


def members_at(org: Organisation, cut_off: date) -> QuerySet[Person]:
    """The members counted: under `org`, on the roll at the cut-off and members then, by their
    status history (the people list's `org`, `status_at=member`, `on_roll_at` filters give the
    same people). A member converted after the cut-off counts as 预备."""
    return Person.objects.under_path(org.path).on_roll_at(cut_off).members_at(cut_off)


def _member_counts(org: Organisation, cut_off: date) -> dict[str, int]:
    """Every member figure in one grouped scan of the subtree's members."""
    measures = {
        "total": Count("pk"),
        "full": Count("pk", filter=Q(status_at="full")),
        "probationary": Count("pk", filter=Q(status_at="probationary")),
        "gender_M": Count("pk", filter=Q(gender="M")),
        "gender_F": Count("pk", filter=Q(gender="F")),
        "ethnic_han": Count("pk", filter=Q(ethnicity="汉族") | Q(ethnicity="")),
        "ethnic_minority": Count("pk", filter=~(Q(ethnicity="汉族") | Q(ethnicity=""))),
        "age_unknown": Count("pk", filter=Q(birth_date__isnull=True)),
        "education_unknown": Count("pk", filter=Q(education="")),
        "title_unknown": Count("pk", filter=Q(title_level="")),
    }
    for key, _low, _high in AGE_BANDS:
        after, up_to = birth_range(key, cut_off)
        band = Q(birth_date__isnull=False)
        if after is not None:
            band &= Q(birth_date__gt=after)
        if up_to is not None:
            band &= Q(birth_date__lte=up_to)
        measures[f"age_{key}"] = Count("pk", filter=band)
    for value in Education.values:
        measures[f"education_{value}"] = Count("pk", filter=Q(education=value))
    for value in PersonCategory.values:
        measures[f"category_{value}"] = Count("pk", filter=Q(category=value))
    for value in TitleLevel.values:
        measures[f"title_{value}"] = Count("pk", filter=Q(title_level=value))
    return members_at(org, cut_off).order_by().aggregate(**measures)


def _change_counts(org: Organisation, start: date, cut_off: date) -> dict[str, int]:
    """People with each kind of change in the period, under `org` (by their organisation,
    as the people list filters them)."""
    people = Person.objects.under_path(org.path).order_by()
    changes = StandingChange.objects.filter(effective_on__gte=start, effective_on__lte=cut_off)
    measures = {}
    for cause in CHANGE_CAUSES:
        measures[f"change_{cause}"] = Count(
            "pk", filter=Q(pk__in=changes.filter(cause=cause).values("person_id"))
        )
    measures["change_left"] = Count(
        "pk", filter=Q(pk__in=changes.filter(cause__in=LEAVING_CAUSES).values("person_id"))
    )
    measures["admitted"] = Count("pk", filter=Q(joined_on__gte=start, joined_on__lte=cut_off))
    conversions = StatusChange.objects.filter(
        from_status="probationary",
        to_status="full",
        effective_on__gte=start,
        effective_on__lte=cut_off,
    )
    measures["converted"] = Count("pk", filter=Q(pk__in=conversions.values("person_id")))
    # Only the people with a change or a date in the period are read.
    touched = (
        Q(pk__in=changes.values("person_id"))
        | Q(pk__in=conversions.values("person_id"))
        | Q(joined_on__gte=start, joined_on__lte=cut_off)
    )
    return people.filter(touched).aggregate(**measures)


def _organisation_counts(org: Organisation, cut_off: date) -> dict[str, int]:
    orgs = Organisation.objects.filter(path__startswith=org.path).filter(
        organisation_alive_q(cut_off)
    )
    measures = {f"org_{kind}": Count("pk", filter=Q(kind=kind)) for kind in OrgKind.values}
    for category in ("staff", "student", "organ", "retiree"):
        measures[f"branch_{category}"] = Count(
            "pk", filter=Q(kind=OrgKind.BRANCH, category=category)
        )
    return orgs.order_by().aggregate(**measures)


def row_figures(org: Organisation, cut_off: date, start: date) -> dict:
    """One row of every table: the figures of `org`'s subtree."""
    figures = {
        **_member_counts(org, cut_off),
        **_change_counts(org, start, cut_off),
        **_organisation_counts(org, cut_off),
    }
    return {"org_id": org.pk, "name": org.name, "figures": figures}
