"""一人一档: what has been recorded about one person, gathered in one place.

Each section is read through its own model's scoping (`visible_to`), so a member reading their
own file sees what they may see elsewhere (their published evaluation results, not drafts),
and an officer what their scope shows. One query per section, whatever the rows.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from dangjian.appraisal.models import EvaluationResult, Honour, MemberRectification
from dangjian.core.access import Actor
from dangjian.development.models import Case
from dangjian.membership.models import MemberAway
from dangjian.org.models import Person, Position
from dangjian.orglife.models import Attendance, MeetingKind, StudyRecord
from dangjian.outreach.models import Contact, Visit
from dangjian.posts.models import Commitment, DutyRecord, Post

RECENT = 10  # the latest rows shown of a long section (the lists behind them have the rest)


@dataclass
class PersonFile:
    person: Person
    year: int
    positions: list[Position] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    duty_records: list[DutyRecord] = field(default_factory=list)
    duty_records_this_year: int = 0
    meetings: list[tuple[str, int, int]] = field(default_factory=list)  # kind, present, total
    hours: list[tuple[int, Any]] = field(default_factory=list)  # year, hours
    results: list[EvaluationResult] = field(default_factory=list)
    honours: list[Honour] = field(default_factory=list)
    rectifications: list[MemberRectification] = field(default_factory=list)
    case: Case | None = None
    contacts: int = 0
    visits_this_year: int = 0
    away: list[MemberAway] = field(default_factory=list)

    @property
    def sections(self) -> int:
        """How many sections hold something (an empty file says so)."""
        return sum(
            bool(x)
            for x in (
                self.positions, self.posts, self.commitments, self.duty_records, self.meetings,
                self.hours, self.results, self.honours, self.rectifications, self.case,
                self.contacts, self.visits_this_year, self.away,
            )
        )  # fmt: skip


def _of(model: Any, user: Actor, person: Person, field_name: str = "person") -> QuerySet[Any]:
    return model.objects.visible_to(user).filter(**{field_name: person})


def person_file(user: Actor, person: Person, today: date) -> PersonFile:
    year = today.year
    file = PersonFile(person=person, year=year)
    file.positions = list(
        Position.objects.filter(person=person).select_related("organisation").order_by("-starts_on")
    )
    file.posts = list(
        _of(Post, user, person, "holder").select_related("organisation").order_by("-year", "id")
    )
    file.commitments = list(_of(Commitment, user, person).order_by("-year"))
    records = _of(DutyRecord, user, person).select_related("post").order_by("-occurred_on", "-id")
    file.duty_records = list(records[:RECENT])
    file.duty_records_this_year = records.filter(occurred_on__year=year).count()
    attended = Counter[tuple[str, bool]]()
    rows = _of(Attendance, user, person).filter(meeting__held_on__year=year)
    for kind, status in rows.values_list("meeting__kind", "status"):
        attended[(kind, status == "present")] += 1
    labels = dict(MeetingKind.choices)
    kinds = sorted({kind for kind, _ in attended}, key=list(labels).index)
    file.meetings = [
        (labels[k], attended[(k, True)], attended[(k, True)] + attended[(k, False)]) for k in kinds
    ]
    hours = Counter[int]()
    for studied_on, value in _of(StudyRecord, user, person).values_list("studied_on", "hours"):
        hours[studied_on.year] += value
    file.hours = sorted(hours.items(), reverse=True)
    file.results = list(
        _of(EvaluationResult, user, person).select_related("cycle").order_by("-cycle__starts_on")
    )
    file.honours = list(_of(Honour, user, person).order_by("-year"))
    file.rectifications = list(_of(MemberRectification, user, person).order_by("-deadline"))
    file.case = _of(Case, user, person).first()
    file.contacts = _of(Contact, user, person, "member").filter(ended_on__isnull=True).count()
    file.visits_this_year = (
        _of(Visit, user, person, "visitor").filter(visited_on__year=year).count()
    )
    file.away = list(_of(MemberAway, user, person).order_by("-left_on"))
    return file
