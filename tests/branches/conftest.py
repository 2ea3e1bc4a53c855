"""Shared builders for the branches tests (on top of tests/conftest.py's `world`).

The year is 2025, with the seed's dates (grading by 3-30, plans by 5-31, regrade 6-1..10-31,
items by 12-31). `today` sets the date the services and pages see (default 2025-11-10).
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dangjian.branches import services
from dangjian.branches.models import GradingScore
from dangjian.orglife.models import Meeting

YEAR = 2025
NOVEMBER = date(2025, 11, 10)


@pytest.fixture
def today(monkeypatch):
    """Set the date seen by the services, selectors and pages."""

    def set_today(day: date) -> date:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        return day

    set_today(NOVEMBER)
    return set_today


@pytest.fixture
def year(world, today):
    return services.grading_year_create(
        actor=world.org_officer, organisation=world.committee, year=YEAR
    )


def fill(grading, ratio: str, actor, **fields):
    """Score every criterion at `ratio` of its points (via the service)."""
    rows = GradingScore.objects.filter(grading=grading).select_related("criterion")
    scores = [
        {
            "criterion": r.criterion_id,
            "score": (r.criterion.points * Decimal(ratio)).quantize(Decimal("0.1")),
            "finding": f"{r.criterion.name}情况",
        }
        for r in rows
    ]
    return services.grading_survey_save(actor=actor, grading=grading, scores=scores, **fields)


@pytest.fixture
def grading(world, year):
    """branch_a's initial survey (organ branch → the staff standard), not scored yet."""
    return services.grading_create(
        actor=world.secretary_a, grading_year=year, branch=world.branch_a
    )


@pytest.fixture
def graded(world, grading):
    """branch_a scored at 80% (较好) and graded by its general branch."""
    fill(grading, "0.8", actor=world.secretary_a)
    return services.grading_decide(actor=world.gb_secretary_a, grading=grading, grade="good")


@pytest.fixture
def general_meeting(world):
    def make(org=None, held_on=date(YEAR, 5, 20), kind="general"):
        return Meeting.objects.create(
            organisation=org or world.branch_a,
            kind=kind,
            topic="党员大会：讨论整改提高方案",
            held_on=held_on,
            starts_at="15:00",
            ends_at="17:00",
            place="党员活动室",
        )

    return make


@pytest.fixture
def plan(world, graded, today):
    """branch_a's plan with goals and one item (member_a responsible, due 2025-09-30)."""
    today(date(YEAR, 5, 10))
    plan = services.rectification_plan_create(
        actor=world.secretary_a, branch=world.branch_a, year=YEAR, goals="年内晋位为先进党支部"
    )
    item = services.rectification_item_create(
        actor=world.secretary_a,
        plan=plan,
        problem="组织生活次数不足",
        measures="制定月度组织生活安排表",
        responsible=world.member_a,
        deadline=date(YEAR, 9, 30),
    )
    today(NOVEMBER)
    return SimpleNamespace(plan=plan, item=item)


@pytest.fixture
def submitted(world, plan, general_meeting, today):
    """The plan discussed at a general meeting on 5-20 and submitted on 5-25."""
    today(date(YEAR, 5, 25))
    services.rectification_plan_discuss(
        actor=world.secretary_a, plan=plan.plan, meeting=general_meeting()
    )
    services.rectification_plan_submit(actor=world.secretary_a, plan=plan.plan)
    today(NOVEMBER)
    plan.plan.refresh_from_db()
    return plan
