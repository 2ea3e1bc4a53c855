"""Scoped reads of contacts, links, visits, compliance and the interview summary.

Every read starts from `visible_to(user)`; counts come from annotations and subqueries so
that a page costs the same few queries whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Field,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangjian.core.models import User
from dangjian.org.models import LeadingGroupMember, Organisation, Person
from dangjian.org.rollup import prefix as path_prefix
from dangjian.org.rules import MEMBER_STATUSES
from dangjian.outreach import rules
from dangjian.outreach.models import Contact, FocusGroup, Link, Visit, VisitKind, VisitMethod

LINK_KIND_CHOICES = [(k, v) for k, v in VisitKind.choices if k in rules.LINK_KINDS]


# --- settings -----------------------------------------------------------------------------


def contact_limits() -> tuple[int, int]:
    """The fewest and most non-Party contacts a member keeps."""
    return settings.OUTREACH_MIN_CONTACTS, settings.OUTREACH_MAX_CONTACTS


def frequencies() -> dict[str, rules.Frequency]:
    return rules.frequencies(settings.OUTREACH_FREQUENCIES)


def semester_starts() -> tuple[tuple[int, int], ...]:
    return tuple(settings.OUTREACH_SEMESTER_STARTS)


def follow_up_days() -> int:
    return int(settings.OUTREACH_FOLLOW_UP_DAYS)


def period_for(kind: str, day: date) -> rules.Period:
    """The compliance period of a link kind that contains `day`."""
    return rules.period_of(frequencies()[kind].per, day, semester_starts())


# --- organisations ------------------------------------------------------------------------


def default_org(user: User) -> Organisation | None:
    """The top organisation of the user's scope (the committee for the department)."""
    return Organisation.objects.visible_to(user).active().order_by("depth", "path").first()


def visible_organisation(user: User, pk: int | None) -> Organisation | None:
    if pk is None:
        return None
    return Organisation.objects.visible_to(user).filter(pk=pk).first()


# --- contacts -----------------------------------------------------------------------------


def active_contacts() -> QuerySet[Contact]:
    return Contact.objects.filter(ended_on__isnull=True).select_related("contact")


def members_with_contacts(user: User, org: Organisation, status: str = "") -> QuerySet[Any]:
    """Members (正式/预备, 在册) of the org subtree, their active contacts counted and listed."""
    minimum, maximum = contact_limits()
    count = (
        Contact.objects.filter(member=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("member")
        .annotate(c=Count("pk"))
        .values("c")
    )
    qs = (
        Person.objects.visible_to(user)
        .filter(party_status__in=MEMBER_STATUSES, is_active=True)
        .under_path(org.path)
        .annotate(active_contacts=Coalesce(Subquery(count, output_field=IntegerField()), 0))
    )
    if status == rules.CONTACT_NONE:
        qs = qs.filter(active_contacts__lt=minimum)
    elif status == rules.CONTACT_OK:
        qs = qs.filter(active_contacts__gte=minimum, active_contacts__lte=maximum)
    return qs.select_related("primary_org").prefetch_related(
        Prefetch("mass_contacts", queryset=active_contacts(), to_attr="active_list")
    )


def contact_stats(user: User, org: Organisation) -> dict[str, int]:
    minimum, _maximum = contact_limits()
    qs = members_with_contacts(user, org)
    return {
        "members": qs.count(),
        "without": qs.filter(active_contacts__lt=minimum).count(),
    }


def contacts_of(person: Person) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(member=person)
        .select_related("contact")
        .order_by("ended_on", "-since", "-id")
    )


# --- links --------------------------------------------------------------------------------


def with_link_relations(qs: QuerySet[Link]) -> QuerySet[Link]:
    return qs.select_related("visitor", "organisation", "unit__parent")


def visible_links(user: User) -> QuerySet[Link]:
    """The links of the list (outreach.filters.LinkFilter narrows them)."""
    return with_link_relations(Link.objects.visible_to(user))


# --- visits -------------------------------------------------------------------------------


def with_visit_relations(qs: QuerySet[Visit]) -> QuerySet[Visit]:
    return qs.select_related("visitor", "organisation", "unit__parent", "link")


def later_follow_up() -> QuerySet[Visit]:
    """A follow-up visit (回访) of the same interviewee in the same organisation, on or after
    the visit (a visit is not its own follow-up)."""
    return Visit.objects.filter(
        kind=rules.FOLLOW_UP,
        organisation_id=OuterRef("organisation_id"),
        interviewee=OuterRef("interviewee"),
        visited_on__gte=OuterRef("visited_on"),
    ).exclude(pk=OuterRef("pk"))


def pending_follow_ups(qs: QuerySet[Visit]) -> QuerySet[Visit]:
    """Visits marked 需要回访 without a later 回访 of the same interviewee."""
    return qs.filter(needs_follow_up=True).exclude(Exists(later_follow_up()))


def visible_visits(user: User) -> QuerySet[Visit]:
    """The visits of the list (outreach.filters.VisitFilter narrows them)."""
    return with_visit_relations(Visit.objects.visible_to(user))


def own_links(person: Person, on: date | None = None) -> QuerySet[Link]:
    """The person's links, active ones first (for the visit form)."""
    qs = Link.objects.filter(visitor=person).select_related("unit__parent")
    if on is not None:
        qs = qs.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    return qs.order_by("ended_on", "kind", "id")


# --- compliance ---------------------------------------------------------------------------


def periods_on(day: date) -> dict[str, rules.Period]:
    return {kind: period_for(kind, day) for kind in rules.LINK_KINDS}


def with_compliance(qs: QuerySet[Link], day: date) -> QuerySet[Link]:
    """Links active in the period of their kind that contains `day`, annotated with the
    period (p_start, p_end), the visits required and the visits done in it."""
    periods = periods_on(day)
    table = frequencies()

    def by_kind(values: dict[str, Any], field: Field[Any, Any]) -> Case:
        return Case(
            *[When(kind=k, then=Value(v)) for k, v in values.items()],
            default=Value(None),
            output_field=field,
        )

    qs = qs.filter(kind__in=rules.LINK_KINDS).annotate(
        p_start=by_kind({k: p.start for k, p in periods.items()}, DateField()),
        p_end=by_kind({k: p.end for k, p in periods.items()}, DateField()),
        required=by_kind({k: table[k].times for k in rules.LINK_KINDS}, IntegerField()),
    )
    overlap = Q()
    for kind, period in periods.items():
        overlap |= Q(kind=kind, since__lte=period.end) & (
            Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)
        )
    done = (
        Visit.objects.filter(
            link=OuterRef("pk"),
            visited_on__gte=OuterRef("p_start"),
            visited_on__lte=OuterRef("p_end"),
        )
        .order_by()
        .values("link")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return qs.filter(overlap).annotate(
        done=Coalesce(Subquery(done, output_field=IntegerField()), 0)
    )


def status_q(status: str, today: date) -> Q:
    short = Q(done__lt=F("required"))
    if status == rules.DONE:
        return Q(done__gte=F("required"))
    if status == rules.OVERDUE:
        return short & Q(p_end__lt=today)
    return short & Q(p_end__gte=today)


def compliance(user: User, day: date) -> QuerySet[Link]:
    """The user's links with their compliance in the period containing `day` (the page and
    the API narrow them with outreach.filters.ComplianceFilter)."""
    return with_link_relations(with_compliance(Link.objects.visible_to(user), day))


def decorate(links: list[Any], day: date, today: date | None = None) -> list[Any]:
    """Attach period, frequency and status to each link row (annotated by with_compliance)."""
    today = today or timezone.localdate()
    periods = periods_on(day)
    table = frequencies()
    for link in links:
        link.period = periods[link.kind]
        link.frequency = table[link.kind]
        link.status = rules.compliance_status(link.required, link.done, link.p_end, today)
        link.status_label = rules.STATUS_LABELS[link.status]
    return links


def rollup(base: QuerySet[Any], today: date | None = None) -> list[dict[str, Any]]:
    """Per organisation: links, done, due, overdue (one query, computed from the rows)."""
    today = today or timezone.localdate()
    rows: dict[int, dict] = {}
    values = base.order_by().values_list(
        "organisation_id", "organisation__name", "organisation__path", "required", "done", "p_end"
    )
    for org_id, name, path, required, done, p_end in values.iterator(chunk_size=2000):
        row = rows.setdefault(
            org_id,
            {
                "org_id": org_id,
                "name": name,
                "path": path,
                "links": 0,
                **dict.fromkeys(rules.STATUS_LABELS, 0),
            },
        )
        row["links"] += 1
        row[rules.compliance_status(required, done, p_end, today)] += 1
    return sorted(rows.values(), key=lambda r: r["path"])


# --- interview summary (两访两创, 《组织建设年实施方案》§四(二)) ----------------------------


def interview_summary(user: User, org: Organisation, year: int) -> dict[str, Any]:
    """Visits of the org subtree in `year` by kind × focus group, by method, by child
    organisation; and follow-ups still pending (of any year)."""
    visits = Visit.objects.visible_to(user).in_subtree(org)
    of_year = visits.filter(visited_on__year=year)
    cells: dict[tuple[str, str], int] = {}
    for kind, focus, n in (
        of_year.order_by()
        .values("kind", "focus_group")
        .annotate(n=Count("pk"))
        .values_list("kind", "focus_group", "n")
    ):
        cells[(kind, focus)] = n
    focus_columns = list(FocusGroup.choices)
    matrix: list[dict[str, Any]] = []
    for kind, label in VisitKind.choices:
        counts = [cells.get((kind, f), 0) for f, _ in focus_columns]
        matrix.append({"kind": kind, "label": label, "counts": counts, "total": sum(counts)})
    column_totals = [sum(r["counts"][i] for r in matrix) for i in range(len(focus_columns))]
    methods = dict(
        of_year.order_by().values("method").annotate(n=Count("pk")).values_list("method", "n")
    )
    by_method = [(label, methods.get(value, 0)) for value, label in VisitMethod.choices]

    children = list(
        Organisation.objects.filter(path__startswith=org.path, depth=org.depth + 1)
        .active()
        .only("id", "name", "path")
    )
    # Visits counted by the child subtree they fall in: grouped by the path prefix at the
    # children's depth in SQL, not each visit's path compared with each child's in Python.
    child_of = {child.path: child.pk for child in children}
    per_path: defaultdict[int, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for path, kind, n in (
        of_year.order_by()
        .annotate(child_path=path_prefix("organisation__path", org.depth + 1))
        .values("child_path", "kind")
        .annotate(n=Count("pk"))
        .values_list("child_path", "kind", "n")
    ):
        if path in child_of:
            per_path[child_of[path]][kind] += n
    child_rows = [
        {
            "org": child,
            "counts": [per_path[child.pk].get(k, 0) for k, _ in VisitKind.choices],
            "total": sum(per_path[child.pk].values()),
        }
        for child in children
    ]
    pending = pending_follow_ups(visits)
    return {
        "matrix": matrix,
        "focus_columns": focus_columns,
        "column_totals": column_totals,
        "total": sum(column_totals),
        "by_method": by_method,
        "child_rows": child_rows,
        "kind_columns": list(VisitKind.choices),
        "pending_count": pending.count(),
        "pending": list(with_visit_relations(pending).order_by("visited_on", "id")[:50]),
    }


# --- leadership contact points (《延伸提升168机制意见》§五) ---------------------------------


def is_leader(person: Person) -> bool:
    """A member of a leadership (a leading group of the organisation's leadership)."""
    return LeadingGroupMember.objects.filter(person=person).exists()


def leader_points(user: User, day: date, today: date | None = None) -> list[dict[str, Any]]:
    """Each member of the leadership the user sees, with their contact points active in the
    period containing `day` and each point's visits there: two queries whatever the size."""
    today = today or timezone.localdate()
    people: dict[int, dict[str, Any]] = {}
    for m in (
        LeadingGroupMember.objects.visible_to(user)
        .select_related("person__primary_org", "group__organisation")
        .order_by("group__organisation__path", "display_order", "id")
    ):
        row = people.setdefault(m.person_id, {"person": m.person, "roles": [], "points": []})
        row["roles"].append(f"{m.group.name}{m.get_role_display()}")
    links = with_compliance(
        Link.objects.filter(kind=rules.LEADER_POINT, visitor_id__in=list(people)), day
    ).select_related("unit")
    for link in decorate(list(links), day, today):
        people[link.visitor_id]["points"].append(link)
    rows = []
    for row in people.values():
        row["missing"] = rules.points_missing(len(row["points"]))
        statuses = {p.status for p in row["points"]}
        row["status"] = (
            "none"
            if row["missing"]
            else rules.OVERDUE
            if rules.OVERDUE in statuses
            else rules.DUE
            if rules.DUE in statuses
            else rules.DONE
        )
        row["status_label"] = (
            "未确定联系点" if row["status"] == "none" else rules.STATUS_LABELS[row["status"]]
        )
        rows.append(row)
    return rows


def leader_points_summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "members": len(rows),
        "holding": sum(1 for r in rows if not r["missing"]),
        "missing": sum(1 for r in rows if r["missing"]),
        "done": sum(1 for r in rows if r["status"] == rules.DONE),
        "overdue": sum(1 for r in rows if r["status"] == rules.OVERDUE),
    }
