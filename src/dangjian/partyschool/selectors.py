"""Reads of the Party school: a class's roster with attendance, hours and exam; the list of
classes with their counts; the hours a class credits (read by orglife)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from dangjian.org.models import Person
from dangjian.orglife.models import Training, TrainingKind
from dangjian.partyschool import rules
from dangjian.partyschool.models import ClassSession, ExamResult

# The kinds the Party-school pages list by default: its own classes. Secretaries' trainings
# are the same model and open here too (the kind filter).
SCHOOL_KINDS = (TrainingKind.ACTIVIST_CLASS, TrainingKind.TARGET_CLASS)


def pass_mark() -> Decimal:
    return Decimal(str(settings.PARTYSCHOOL_PASS_MARK))


def max_score() -> Decimal:
    return Decimal(str(settings.PARTYSCHOOL_MAX_SCORE))


def session_credits(training: Training) -> list[tuple[int, date, str, Decimal]] | None:
    """The study hours a class credits: one per session attended (orglife registers this
    reader; None while the class keeps no session, so a training without sessions credits its
    hours to every participant as before). Two queries."""
    sessions = list(ClassSession.objects.filter(training=training).order_by("held_on", "id"))
    if not sessions:
        return None
    present = ClassSession.present.through.objects.filter(
        classsession_id__in=[s.pk for s in sessions if s.attendance_taken]
    ).values_list("classsession_id", "person_id")
    by_session: dict[int, list[int]] = {}
    for sid, pid in present:
        by_session.setdefault(sid, []).append(pid)
    credits = []
    for s in sessions:
        s.training = training
        for pid in sorted(by_session.get(s.pk, [])):
            credits.append((pid, s.held_on, s.record_title, s.hours))
    return credits


def classes(user: Any) -> QuerySet[Training]:
    """The classes the user sees, with their counts (one query for a page: correlated
    subqueries, no join that multiplies rows)."""

    def count(qs: QuerySet[Any]) -> Any:
        return Coalesce(
            Subquery(qs.values("training").annotate(n=Count("id")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        )

    participants = Training.participants.through.objects.filter(training=OuterRef("pk"))
    return (
        Training.objects.visible_to(user)
        .select_related("organisation")
        .annotate(
            n_participants=count(participants),
            n_sessions=count(ClassSession.objects.filter(training=OuterRef("pk"))),
            n_passed=count(ExamResult.objects.filter(training=OuterRef("pk"), passed=True)),
        )
    )


@dataclass
class RosterRow:
    person: Person
    attended: int
    rate: Decimal | None
    hours: Decimal
    result: ExamResult | None


def roster(training: Training) -> tuple[list[ClassSession], list[RosterRow]]:
    """A class's sessions and, per trainee, sessions attended, hours credited and the exam:
    four queries whatever the class's size."""
    sessions = list(
        ClassSession.objects.filter(training=training)
        .annotate(n_present=Count("present"))
        .order_by("held_on", "id")
    )
    taken = {s.pk: s for s in sessions if s.attendance_taken}
    attended: dict[int, list[ClassSession]] = {}
    for sid, pid in ClassSession.present.through.objects.filter(
        classsession_id__in=list(taken)
    ).values_list("classsession_id", "person_id"):
        attended.setdefault(pid, []).append(taken[sid])
    results = {r.person_id: r for r in ExamResult.objects.filter(training=training)}
    people = training.participants.select_related("primary_org").order_by("name", "id")
    rows = []
    for p in people:
        mine = attended.get(p.pk, [])
        rows.append(
            RosterRow(
                person=p,
                attended=len(mine),
                rate=rules.attendance_rate(len(mine), len(taken)),
                hours=sum((s.hours for s in mine), Decimal(0)),
                result=results.get(p.pk),
            )
        )
    return sessions, rows
