"""Scoped reads of the orglife app: members of an organisation, compliance with the frequency
rules (aggregated in a fixed number of queries), hours tables, secretaries' training checks,
the activity record book. Settings are read here and passed into the pure rules."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangjian.core.access import Actor
from dangjian.core.scoping import scope_for
from dangjian.org import rollup
from dangjian.org.models import (
    Organisation,
    OrgKind,
    Person,
    Position,
    PositionTitle,
    orgs_under,
)
from dangjian.org.rules import MEMBER_STATUSES, OFFICER_TITLES
from dangjian.orglife import rules
from dangjian.orglife.models import (
    Attendance,
    AttendanceRole,
    AttendanceStatus,
    FrequencyRule,
    LeaveRequest,
    Meeting,
    MeetingState,
    StudyRecord,
    Training,
    TrainingKind,
)

SECRETARY_KINDS = [TrainingKind.SECRETARY, TrainingKind.PRACTICE, TrainingKind.APPOINTMENT]
RULE_ORG_KINDS = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


# --- settings ------------------------------------------------------------------------------


def semester_starts() -> tuple[int, ...]:
    value = settings.ORGLIFE_SEMESTER_START_MONTHS
    return tuple(int(m) for m in value)


def hours_settings() -> tuple[Decimal, Decimal, Decimal]:
    return (
        Decimal(str(settings.ORGLIFE_STAFF_HOURS)),
        Decimal(str(settings.ORGLIFE_STAFF_INTEGRITY_HOURS)),
        Decimal(str(settings.ORGLIFE_STUDENT_HOURS)),
    )


def requirement_for(category: str) -> rules.HoursRequirement | None:
    staff, integrity, student = hours_settings()
    return rules.hours_requirement(category, staff, integrity, student)


def bounds(period: str, on: date) -> tuple[date, date]:
    return rules.period_bounds(period, on, semester_starts())


# --- organisations and members -------------------------------------------------------------


def editable_orgs(user: Actor) -> QuerySet[Organisation]:
    """Organisations whose meetings the user records: their own and those below (not groups'
    committees: every level may hold meetings)."""
    return Organisation.objects.editable_by(user).active()


def default_org(user: Actor) -> Organisation | None:
    """The top organisation of the user's scope."""
    return Organisation.objects.visible_to(user).active().order_by("depth", "path").first()


def visible_org(user: Actor, pk: int | None) -> Organisation | None:
    if pk is None:
        return None
    return Organisation.objects.visible_to(user).filter(pk=pk).first()


def members_of(org: Organisation) -> QuerySet[Person]:
    """The Party members who attend an organisation's meetings. A branch's (or group's)
    members are those of its subtree, its groups' members included; a general branch's or
    committee's are the members registered directly with it and its current officers."""
    members = Person.objects.members().filter(is_active=True)
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        q = Q(primary_org__in=orgs_under((org.path,)))
        if org.kind == OrgKind.GROUP:
            q |= Q(group=org)
        members = members.filter(q)
    else:
        officers = (
            Position.objects.current()
            .filter(organisation=org, title__in=OFFICER_TITLES)
            .values("person_id")
        )
        members = members.filter(Q(primary_org=org) | Q(pk__in=officers))
    return members.select_related("primary_org").order_by("name", "id")


def committee_of(org: Organisation) -> QuerySet[Person]:
    """The current committee of an organisation: its secretary, deputies and committee members."""
    officers = (
        Position.objects.current()
        .filter(organisation=org, title__in=OFFICER_TITLES)
        .values("person_id")
    )
    return Person.objects.filter(pk__in=officers, is_active=True)


def roster_ids(org: Organisation, kind: str) -> set[int]:
    """Who is expected (应到) at a meeting of this kind: the committee at a committee meeting,
    the organisation's members at any other."""
    if kind in rules.COMMITTEE_KINDS:
        return set(committee_of(org).values_list("pk", flat=True))
    return set(members_of(org).values_list("pk", flat=True))


# --- meetings ------------------------------------------------------------------------------


def attach_counts(meetings: list) -> list:
    """Set present_count / should_count on loaded meetings with one grouped query (counting
    after pagination keeps a page's cost independent of the meetings in scope)."""
    counts = {
        row["meeting_id"]: row
        for row in Attendance.objects.filter(meeting__in=[m.pk for m in meetings])
        .order_by()
        .values("meeting_id")
        .annotate(
            present=Count(
                "id", filter=Q(status=AttendanceStatus.PRESENT, role=AttendanceRole.MEMBER)
            ),
            should=Count("id", filter=Q(role=AttendanceRole.MEMBER)),
            observers=Count("id", filter=Q(role=AttendanceRole.OBSERVER)),
        )
    }
    for m in meetings:
        row = counts.get(m.pk, {})
        m.present_count, m.should_count = row.get("present", 0), row.get("should", 0)
        m.observer_count = row.get("observers", 0)
    return meetings


def meeting_detail(meeting: Meeting) -> list[Attendance]:
    return list(
        meeting.attendance.select_related("person__primary_org").order_by("person__name", "id")
    )


def attending(status: str, makeup_on: date | None) -> bool:
    """A member attended when present, or when they made up an excused/missed meeting."""
    return status == AttendanceStatus.PRESENT or makeup_on is not None


def my_meetings(person_id: int) -> QuerySet[Attendance]:
    """The member's own attendance rows of held meetings (我的组织生活)."""
    return (
        Attendance.objects.filter(person_id=person_id, meeting__state=MeetingState.HELD)
        .select_related("meeting__organisation")
        .order_by("-meeting__held_on", "-id")
    )


def my_planned(person_id: int, today: date) -> list[Attendance]:
    """The member's planned meetings from today on, soonest first, with their leave requests."""
    rows = list(
        Attendance.objects.filter(
            person_id=person_id,
            role=AttendanceRole.MEMBER,
            meeting__state=MeetingState.PLANNED,
            meeting__held_on__gte=today,
        )
        .select_related("meeting__organisation")
        .order_by("meeting__held_on", "meeting__starts_at", "id")[:50]
    )
    leaves = {
        leave.meeting_id: leave
        for leave in LeaveRequest.objects.filter(
            person_id=person_id, meeting__in=[r.meeting_id for r in rows]
        )
    }
    for row in rows:
        row.leave = leaves.get(row.meeting_id)
    return rows


def signin_summary(rows: Iterable[Attendance]) -> str:
    """A planned meeting's roster so far: signed in, excused, not yet signed in."""
    counts = {AttendanceStatus.PRESENT: 0, AttendanceStatus.EXCUSED: 0, AttendanceStatus.ABSENT: 0}
    for row in rows:
        if row.role == AttendanceRole.MEMBER:
            counts[AttendanceStatus(row.status)] += 1
    return (
        f"已签到{counts[AttendanceStatus.PRESENT]}人，请假{counts[AttendanceStatus.EXCUSED]}人，"
        f"未签到{counts[AttendanceStatus.ABSENT]}人"
    )


def leave_requests(meeting: Meeting) -> list[LeaveRequest]:
    return list(
        meeting.leave_requests.select_related("person__primary_org").order_by("asked_at", "id")
    )


def calendar_month(user: Any, first: date, last: date, org: Organisation | None) -> list[Meeting]:
    """The subtree's meetings of a month (planned, held and cancelled), oldest first."""
    qs = Meeting.objects.visible_to(user).filter(held_on__range=(first, last))
    if org is not None:
        qs = qs.in_subtree(org)
    return list(qs.select_related("organisation").order_by("held_on", "starts_at", "id")[:1000])


def record_book(org: Organisation, start: date, end: date) -> list[Meeting]:
    """The meetings of a branch (its groups included) in a semester, oldest first."""
    return attach_counts(
        list(
            Meeting.objects.held()
            .in_subtree(org)
            .filter(held_on__range=(start, end))
            .select_related("host", "recorder", "organisation")
            .order_by("held_on", "starts_at", "id")
        )
    )


# --- compliance ----------------------------------------------------------------------------


STATE_CLASSES = {
    rules.DONE: "success",
    rules.DUE: "warning",
    rules.OVERDUE: "danger",
    rules.NOT_STARTED: "secondary",
}


@dataclass
class RuleStatus:
    rule: FrequencyRule
    result: rules.Compliance
    message: str
    period_label: str

    @property
    def css(self) -> str:
        return STATE_CLASSES[self.result.state]


@dataclass
class OrgStatus:
    org: Organisation
    rows: list[RuleStatus] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.result.state == state)

    @property
    def overdue(self) -> int:
        return self.count(rules.OVERDUE)

    @property
    def due(self) -> int:
        return self.count(rules.DUE)

    @property
    def done(self) -> int:
        return self.count(rules.DONE)

    @property
    def worst(self) -> str:
        if self.overdue:
            return rules.OVERDUE
        if self.due:
            return rules.DUE
        return rules.DONE if self.rows else ""


def active_rules(period: str = "") -> list[FrequencyRule]:
    qs = FrequencyRule.objects.filter(is_active=True)
    if period:
        qs = qs.filter(period=period)
    return list(qs)


def compliance_for(
    orgs: list[Organisation],
    meeting_paths: tuple[str, ...] | None,
    on: date,
    today: date,
    rule_list: list[FrequencyRule],
) -> list[OrgStatus]:
    """The state of every applicable rule for each of `orgs`, for the period of each rule that
    contains `on`. One aggregate query counts the meetings of every organisation under
    `meeting_paths` (None: everywhere) that count toward each rule (kind, length, period)."""
    rule_bounds = {rule.pk: bounds(rule.period, on) for rule in rule_list}
    counts: dict[int, dict[str, int]] = {}
    path_counts: list[tuple[str, dict[str, int]]] = []
    if rule_list and orgs:
        starts = [b[0] for b in rule_bounds.values()]
        ends = [b[1] for b in rule_bounds.values()]
        qs = Meeting.objects.held().filter(held_on__range=(min(starts), max(ends)))
        if meeting_paths is not None:
            qs = qs.filter(organisation__in=orgs_under(meeting_paths))
        annotations = {
            f"r{rule.pk}": Count(
                "id",
                filter=Q(
                    kind__in=list(rule.kinds),
                    duration_minutes__gte=rule.min_minutes,
                    held_on__range=rule_bounds[rule.pk],
                ),
            )
            for rule in rule_list
        }
        rows = qs.order_by().values("organisation_id", "organisation__path").annotate(**annotations)
        for row in rows:
            org_id = row.pop("organisation_id")
            path = row.pop("organisation__path")
            counts[org_id] = row
            path_counts.append((path, row))
    # Subtree totals by path: each organisation's counts added to its ancestors' once (linear),
    # not every organisation's path compared with every other's.
    subtree = rollup.roll_up(path_counts) if any(r.include_subtree for r in rule_list) else {}
    result = []
    for org in orgs:
        status = OrgStatus(org=org)
        for rule in rule_list:
            if not rules.rule_applies(rule.org_kind, rule.branch_category, org.kind, org.category):
                continue
            key = f"r{rule.pk}"
            if rule.include_subtree:
                count = subtree.get(org.path, {}).get(key, 0)
            else:
                count = counts.get(org.pk, {}).get(key, 0)
            start, end = rule_bounds[rule.pk]
            outcome = rules.compliance(count, rule.min_count, start, end, today)
            status.rows.append(
                RuleStatus(
                    rule=rule,
                    result=outcome,
                    message=rules.due_message(rule.period, outcome),
                    period_label=rules.period_label(rule.period, start, end),
                )
            )
        result.append(status)
    return result


def compliance_tree(
    root: Organisation, on: date, today: date | None = None, period: str = ""
) -> tuple[Any, list[Any]]:
    """The root's own rule states and a summary for each organisation below it (general
    branches and branches). Queries: organisations, rules, meeting counts — whatever the size."""
    today = today or timezone.localdate()
    orgs = list(
        Organisation.objects.active()
        .filter(path__startswith=root.path, kind__in=[*RULE_ORG_KINDS, OrgKind.COMMITTEE])
        .order_by("path")
    )
    statuses = compliance_for(orgs, (root.path,), on, today, active_rules(period))
    own = next((s for s in statuses if s.org.pk == root.pk), OrgStatus(org=root))
    below = [s for s in statuses if s.org.pk != root.pk and s.org.kind in RULE_ORG_KINDS]
    return own, below


# --- education hours -----------------------------------------------------------------------


@dataclass
class HoursRow:
    person: Person
    total: Decimal
    integrity: Decimal
    requirement: rules.HoursRequirement | None
    shortfall: rules.HoursShortfall


def members_with_hours(org: Organisation | None, year: int) -> QuerySet[Person]:
    """Active members (of `org`'s subtree, or everyone) with their hours of `year` annotated
    (`hours_total`, `hours_integrity`) — computed in the database, so a page or an export of
    any size costs the same per row."""
    records = (
        StudyRecord.objects.filter(
            person=OuterRef("pk"), studied_on__range=(date(year, 1, 1), date(year, 12, 31))
        )
        .order_by()
        .values("person")
    )
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=7, decimal_places=1))

    def summed(qs: QuerySet[Any, Any]) -> Any:
        total = qs.annotate(s=Sum("hours")).values("s")[:1]
        return Coalesce(Subquery(total, output_field=DecimalField()), zero)

    people = Person.objects.in_subtree(org) if org is not None else Person.objects.all()
    return (
        people.filter(is_active=True, party_status__in=MEMBER_STATUSES)
        .select_related("primary_org")
        .annotate(
            hours_total=summed(records), hours_integrity=summed(records.filter(integrity=True))
        )
    )


def short_of_hours_q() -> Q:
    """Members below the yearly requirement (《基层组织建设实施意见》§四(二)1), as a filter on the
    annotations of members_with_hours."""
    staff, integrity, student = hours_settings()
    return (
        Q(category="staff") & (Q(hours_total__lt=staff) | Q(hours_integrity__lt=integrity))
    ) | Q(category="student", hours_total__lt=student)


def hours_row(person: Any) -> HoursRow:
    """A member of members_with_hours (annotated with hours_total and hours_integrity)
    against the requirement of their category."""
    total = Decimal(str(person.hours_total))
    integrity = Decimal(str(person.hours_integrity))
    requirement = requirement_for(person.category)
    return HoursRow(
        person=person,
        total=total,
        integrity=integrity,
        requirement=requirement,
        shortfall=rules.hours_shortfall(total, integrity, requirement),
    )


HOURS_ORDER = ("primary_org__path", "name", "id")


def hours_table(org: Organisation, year: int) -> list[HoursRow]:
    return [hours_row(p) for p in members_with_hours(org, year).order_by(*HOURS_ORDER)]


def person_hours(person: Person, year: int) -> HoursRow:
    return hours_row(members_with_hours(None, year).get(pk=person.pk))


# --- branch secretaries (《组织建设年实施方案》) -------------------------------------------


@dataclass
class SecretaryCheck:
    position: Position
    half_year: rules.Compliance
    practice: rules.Compliance
    appointment: rules.Compliance | None

    @property
    def periodic(self) -> list[rules.Compliance]:
        return [self.half_year, self.practice]

    @property
    def ok(self) -> bool:
        return all(
            c is None or c.state == rules.DONE
            for c in (self.half_year, self.practice, self.appointment)
        )


def secretary_positions(paths: tuple[str, ...] | None, today: date) -> list[Position]:
    qs = (
        Position.objects.current(today)
        .filter(
            title=PositionTitle.SECRETARY,
            organisation__kind=OrgKind.BRANCH,
            organisation__dissolved_on__isnull=True,
        )
        .select_related("person", "organisation")
        .order_by("organisation__path", "id")
    )
    if paths is not None:
        qs = qs.filter(organisation__in=orgs_under(paths))
    return list(qs)


def secretary_checks(positions: list[Position], today: date) -> list[SecretaryCheck]:
    """《组织建设年实施方案》: centralised training every half-year, one practice activity a year,
    and for a new secretary an appointment training within six months (one query for the
    trainings)."""
    dates: dict[tuple[int, str], list[date]] = defaultdict(list)
    through = Training.participants.through
    for person_id, kind, ends_on in through.objects.filter(
        person_id__in={p.person_id for p in positions},
        training__kind__in=[
            TrainingKind.SECRETARY,
            TrainingKind.PRACTICE,
            TrainingKind.APPOINTMENT,
        ],
    ).values_list("person_id", "training__kind", "training__ends_on"):
        dates[(person_id, kind)].append(ends_on)
    half_start, half_end = rules.period_bounds(rules.HALF_YEAR, today)
    year_start, year_end = rules.period_bounds(rules.YEAR, today)
    checks = []
    for position in positions:
        pid = position.person_id
        trained = rules.any_within(dates[(pid, TrainingKind.SECRETARY)], half_start, half_end)
        practiced = rules.any_within(dates[(pid, TrainingKind.PRACTICE)], year_start, year_end)
        checks.append(
            SecretaryCheck(
                position=position,
                half_year=rules.compliance(int(trained), 1, half_start, half_end, today),
                practice=rules.compliance(int(practiced), 1, year_start, year_end, today),
                appointment=rules.appointment_training_state(
                    position.starts_on, dates[(pid, TrainingKind.APPOINTMENT)], today
                ),
            )
        )
    return checks


def scope_paths(user: Actor) -> tuple[str, ...] | None:
    scope = scope_for(user)
    return None if scope.everything else scope.org_paths
