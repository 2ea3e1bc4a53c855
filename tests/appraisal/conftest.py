"""Builders for the appraisal tests, on top of tests/conftest.py's `world`.

`chief` is the committee's secretary (a person of branch_a holding the committee position), so
every member of the committee-wide population has an officer above them who is not themselves:

committee (chief)
├── gb_a (王总支书记) ── branch_a (张书记, 赵党员, chief's person)
└── gb_b ── branch_b (李书记, 钱党员)
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from dangjian.appraisal import services
from dangjian.appraisal.models import EvaluationResult
from dangjian.core import access
from dangjian.org.models import Position
from dangjian.surveys import services as survey_services
from tests.factories import make_person, make_user

# A fixed period for the service tests: the third quarter of 2026, window 1 Sep – 15 Oct.
YEAR = 2026
STARTS = date(2026, 9, 1)
ENDS = date(2026, 10, 15)
IN_WINDOW = date(2026, 9, 20)


@pytest.fixture
def chief(world):
    person = make_person(world.branch_a, name="孙书记")
    Position.objects.create(
        person=person, organisation=world.committee, title="secretary", starts_on=date(2020, 1, 1)
    )
    return make_user(person)


def raters_for(world, chief):
    """Users able to rate each person (an officer above them who is not themselves)."""
    return [world.secretary_a, world.secretary_b, world.gb_secretary_a, chief]


@pytest.fixture
def make_cycle(world, chief):
    def make(
        *,
        actor=None,
        organisation=None,
        kind="quarter",
        year=YEAR,
        period=3,
        weights=(20, 30, 50),
        min_responses=3,
        starts_on=STARTS,
        ends_on=ENDS,
        **fields,
    ):
        return services.cycle_create(
            actor=actor or chief,
            organisation=organisation or world.committee,
            kind=kind,
            year=year,
            period=period,
            weight_self=Decimal(weights[0]),
            weight_masses=Decimal(weights[1]),
            weight_branch=Decimal(weights[2]),
            min_responses=min_responses,
            starts_on=starts_on,
            ends_on=ends_on,
            **fields,
        )

    return make


@pytest.fixture
def rate_all(world, chief):
    """Give every result of the cycle a branch rating (score by person, default 85)."""

    def rate(cycle, scores=None, today=IN_WINDOW):
        scores = scores or {}
        users = raters_for(world, chief)
        for result in EvaluationResult.objects.filter(cycle=cycle).select_related(
            "organisation", "person"
        ):
            for user in users:
                if user.person_id == result.person_id:
                    continue
                if access.can(user, "appraisal.rate", result):
                    services.branch_rate(
                        actor=user,
                        cycle=cycle,
                        ratee=result.person,
                        score=Decimal(scores.get(result.person_id, 85)),
                        today=today,
                    )
                    break

    return rate


@pytest.fixture
def vote(world):
    """Cast `count` ballots in each survey of the cycle; `rating(person_id)` chooses."""

    def cast(cycle, count=3, rating=lambda pid: "competent", today=IN_WINDOW, actor=None):
        for survey in cycle.surveys.all():
            tokens = survey_services.tokens_issue(
                actor=actor or world.org_officer, survey=survey, count=count
            )
            subjects = list(survey.subjects.values_list("pk", flat=True))
            for token in tokens:
                survey_services.ballot_cast(
                    token=token.token,
                    ratings={pid: rating(pid) for pid in subjects},
                    today=today,
                )

    return cast


@pytest.fixture
def ready(make_cycle, rate_all, vote):
    """A committee-wide cycle with every source in: ballots (称职 → 85), ratings 85,
    no self-reports — ready to compute."""

    def build(**kwargs):
        cycle = make_cycle(**kwargs)
        rate_all(cycle)
        if cycle.has_survey:
            vote(cycle)
        return cycle

    return build


def window_today():
    """A window around today for the screens (which use the real date)."""
    from django.utils import timezone

    today = timezone.localdate()
    return today - timedelta(days=10), today + timedelta(days=10)


@pytest.fixture
def live(world, chief, make_cycle):
    """A committee-wide quarterly cycle open today (the screens use the real date)."""
    from django.utils import timezone

    start, end = window_today()
    today = timezone.localdate()
    return make_cycle(
        starts_on=start, ends_on=end, year=today.year, period=(today.month - 1) // 3 + 1
    )


@pytest.fixture
def computed(world, live, rate_all, vote):
    """`live` computed today: member_a 优秀 (95.5), member_b 不称职 (35.5, rectification),
    the others 基本称职 (68.0)."""
    from django.utils import timezone

    today = timezone.localdate()
    rate_all(live, scores={world.member_a.pk: 100, world.member_b.pk: 20}, today=today)
    vote(live, today=today)
    services.self_report_submit(
        actor=world.member_user, cycle=live, report="履职情况", self_score=Decimal(100), today=today
    )
    return services.cycle_compute(actor=world.org_officer, cycle=live, today=today)
