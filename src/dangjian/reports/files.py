"""一人一档 and 一支部一档: what has been recorded about one person, or one organisation,
gathered in one place.

Each section is read through its own model's scoping (`visible_to`), so a member reading their
own file sees what they may see elsewhere (their published evaluation results, not drafts),
and an officer what their scope shows. One query per section, whatever the rows.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet, Sum

from dangjian.appraisal.models import EvaluationResult, Honour, MemberRectification
from dangjian.assessment.models import BranchAssessment
from dangjian.branches.models import BranchGrading, ItemState, RectificationItem, RectificationPlan
from dangjian.core.access import Actor
from dangjian.development.models import Case, Stage
from dangjian.honours.models import ModelUnit, Nomination
from dangjian.honours.selectors import awards_of_person, published_awards
from dangjian.membership.models import MemberAway
from dangjian.org.models import Organisation, PartyStatus, PeopleCount, Person, Position
from dangjian.orglife.models import Attendance, Meeting, MeetingKind, StudyRecord
from dangjian.outreach.models import Contact, Visit
from dangjian.posts.models import Commitment, DutyRecord, Post, PostState
from dangjian.reports.models import QuarterlyReport
from dangjian.review.models import RoundState, SecretaryReport

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
    # 两优一先 awarded in a published round (honours app)
    commendations: list[Nomination] = field(default_factory=list)
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
                self.hours, self.results, self.honours, self.commendations,
                self.rectifications, self.case,
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
    rows = _of(Attendance, user, person).filter(meeting__held_on__year=year, meeting__state="held")
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
    file.commendations = awards_of_person(person.pk)
    file.rectifications = list(_of(MemberRectification, user, person).order_by("-deadline"))
    file.case = _of(Case, user, person).first()
    file.contacts = _of(Contact, user, person, "member").filter(ended_on__isnull=True).count()
    file.visits_this_year = (
        _of(Visit, user, person, "visitor").filter(visited_on__year=year).count()
    )
    file.away = list(_of(MemberAway, user, person).order_by("-left_on"))
    return file


@dataclass
class BranchFile:
    """一支部一档: what has been recorded about one organisation (its own rows, not those of
    the organisations below it)."""

    org: Organisation
    year: int
    members: list[tuple[str, int]] = field(default_factory=list)  # status label, count
    officers: list[Position] = field(default_factory=list)
    posts: list[tuple[str, int]] = field(default_factory=list)  # state label, count
    meetings: list[tuple[str, int]] = field(default_factory=list)  # kind label, count
    reports: list[QuarterlyReport] = field(default_factory=list)
    gradings: list[BranchGrading] = field(default_factory=list)
    assessments: list[BranchAssessment] = field(default_factory=list)
    secretary_reviews: list[SecretaryReport] = field(default_factory=list)
    plans: list[RectificationPlan] = field(default_factory=list)
    items: list[tuple[str, int]] = field(default_factory=list)  # state label, count
    cases: list[tuple[str, int]] = field(default_factory=list)  # stage label, count
    # 先进基层党组织 awarded to the organisation in a published round; the model units it is
    commendations: list[Nomination] = field(default_factory=list)
    model_units: list[ModelUnit] = field(default_factory=list)


def _counted(rows: Any, labels: dict[Any, str]) -> list[tuple[str, int]]:
    counted = dict(rows)
    return [(label, counted[key]) for key, label in labels.items() if counted.get(key)]


def branch_file(user: Actor, org: Organisation, today: date) -> BranchFile:
    year = today.year
    file = BranchFile(org=org, year=year)

    def own(model: Any, field_name: str = "organisation") -> QuerySet[Any]:
        return model.objects.visible_to(user).filter(**{field_name: org}).order_by()

    # From the count table kept with every change of a person, not by counting people.
    counted = PeopleCount.objects.filter(organisation=org, is_active=True).order_by()
    file.members = _counted(
        counted.values_list("party_status").annotate(n=Sum("n")), dict(PartyStatus.choices)
    )
    file.officers = list(
        Position.objects.current(today).filter(organisation=org).select_related("person")
    )
    posts = own(Post).filter(year=year).values_list("state").annotate(n=Count("id"))
    file.posts = _counted(posts, dict(PostState.choices))
    meetings = (
        own(Meeting)
        .filter(held_on__year=year, state="held")
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    file.meetings = _counted(meetings, dict(MeetingKind.choices))
    file.reports = list(own(QuarterlyReport).filter(year=year).order_by("quarter"))
    file.gradings = list(
        own(BranchGrading, "branch").select_related("grading_year").order_by("-grading_year__year")
    )
    file.assessments = list(
        own(BranchAssessment, "branch").select_related("round").order_by("-round__year", "-id")
    )
    # 书记述职评议 (联述联评联考): the published results of the organisation's secretaries.
    file.secretary_reviews = list(
        own(SecretaryReport)
        .filter(round__state=RoundState.PUBLISHED)
        .select_related("round", "secretary")
        .order_by("-round__year", "-id")
    )
    file.plans = list(own(RectificationPlan, "branch").order_by("-year"))
    items = own(RectificationItem, "plan__branch").filter(plan__year=year)
    file.items = _counted(
        items.values_list("state").annotate(n=Count("id")), dict(ItemState.choices)
    )
    cases = own(Case).values_list("stage").annotate(n=Count("id"))
    file.cases = _counted(cases, dict(Stage.choices))
    file.commendations = list(
        published_awards().filter(organisation=org, person__isnull=True).order_by("-round__year")
    )
    file.model_units = list(
        own(ModelUnit).select_related("chosen_by", "leader").order_by("-starts_on", "-id")
    )
    return file
