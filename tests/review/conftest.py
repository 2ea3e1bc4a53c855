"""Builders for the review tests (on top of tests/conftest.py's `world`).

- `round_`: this year's round of branch secretaries organised by the committee (the
  department): one report for branch_a (张书记) and one for branch_b (李书记);
- `report_a` / `report_b`: their reports;
- `submit(report)`, `rate(report, ballots)`, `review(report)`: the steps, as the right people.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.core.models import User
from dangjian.review import services
from dangjian.review.models import SecretaryReport
from dangjian.surveys import services as surveys

TEXT = "本年度认真履行抓基层党建工作第一责任人职责，" * 4


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def round_(world, today):
    return services.round_create(
        actor=world.org_officer, organisation=world.committee, year=today.year, level="branch"
    )


@pytest.fixture
def report_a(world, round_):
    return SecretaryReport.objects.get(round=round_, organisation=world.branch_a)


@pytest.fixture
def report_b(world, round_):
    return SecretaryReport.objects.get(round=round_, organisation=world.branch_b)


def above(world, report):
    """An officer of the level above the report's organisation."""
    return world.gb_secretary_a if report.organisation == world.branch_a else world.org_officer


def secretary_user(world, report):
    return User.objects.get(person=report.secretary_id)


@pytest.fixture
def submit(world):
    def step(report, text=TEXT):
        return services.report_submit(actor=secretary_user(world, report), report=report, text=text)

    return step


@pytest.fixture
def rate(world, today, submit):
    """Submit (if needed), open the rating with a minimum of 3 and cast `ballots` ballots."""

    def step(report, ballots=3, rating="excellent", minimum=3):
        report.refresh_from_db()
        if report.state == "pending":
            submit(report)
        survey = services.rating_open(
            actor=above(world, report),
            report=report,
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=7),
            min_responses=minimum,
            links=max(ballots, 1),
        )
        for token in survey.tokens.values_list("token", flat=True)[:ballots]:
            surveys.ballot_cast(token=token, ratings={report.secretary_id: rating})
        report.refresh_from_db()
        return survey

    return step


@pytest.fixture
def review(world, rate):
    def step(report, score=90, rating="excellent"):
        rate(report, rating=rating)
        return services.report_review(
            actor=above(world, report), report=report, score=score, comment="述职实在，成效明显。"
        )

    return step
