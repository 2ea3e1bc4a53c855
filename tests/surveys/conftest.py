"""Shared builders for the surveys tests (on top of tests/conftest.py's `world`).

- `rating`: a member rating of branch_a (subjects member_a and the secretary), minimum 3,
  open from yesterday to a week ahead;
- `satisfaction`: a branch-satisfaction survey of branch_b, minimum 3, same dates;
- `issue(survey, n)`: n one-time links (their secrets);
- `cast(token, survey, rating=…)`: a ballot rating every subject alike.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from dangjian.surveys import services
from dangjian.surveys.models import SurveyKind


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The public endpoints' throttle counts in the cache: start every test afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def rating(world, today):
    return services.survey_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        kind=SurveyKind.MEMBER_RATING,
        title="机关一支部党员民意测评",
        instructions="请根据平时表现评价。",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=7),
        min_responses=3,
        subjects=[world.member_a, world.secretary_a.person],
    )


@pytest.fixture
def satisfaction(world, today):
    return services.survey_create(
        actor=world.secretary_b,
        organisation=world.branch_b,
        kind=SurveyKind.BRANCH_SATISFACTION,
        title="学生支部工作满意度测评",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=7),
        min_responses=3,
    )


@pytest.fixture
def issue(world):
    def make(survey, n=3, actor=None):
        actor = actor or (
            world.secretary_a if survey.organisation_id == world.branch_a.pk else world.org_officer
        )
        return [t.token for t in services.tokens_issue(actor=actor, survey=survey, count=n)]

    return make


@pytest.fixture
def cast():
    def make(token, survey, value=None, comment=""):
        if survey.kind == SurveyKind.MEMBER_RATING:
            value = value or "excellent"
            ratings = {pk: value for pk in survey.subjects.values_list("pk", flat=True)}
        else:
            ratings = {None: value or "satisfied"}
        services.ballot_cast(token=token, ratings=ratings, comment=comment)

    return make
