"""The surveys demo loader on any tree: a satisfaction survey for every branch this year."""

import pytest

from dangjian.demo.surveys import SurveysLoader, reset_surveys
from dangjian.surveys import selectors
from dangjian.surveys.models import Survey, SurveyAnswer, SurveyBallot, SurveyToken
from tests.factories import make_org

pytestmark = pytest.mark.django_db


def test_a_satisfaction_survey_for_every_branch(world, today):
    for i in range(8):
        make_org(world.gb_a if i % 2 else world.gb_b, name=f"演示{i}支部", kind="branch")
    counts = SurveysLoader(seed=7, today=today).run()
    surveys = list(Survey.objects.select_related("organisation"))
    branches = {s.organisation_id for s in surveys}
    assert len(surveys) == len(branches) == 10 and counts["满意度测评"] == 10
    assert all(s.kind == "branch_satisfaction" and s.opens_on.year == today.year for s in surveys)
    assert all(s.opens_on <= today for s in surveys)
    results = selectors.results(surveys)
    shown = [r for r in results.values() if r.visible]
    hidden = [r for r in results.values() if not r.visible]
    assert len(shown) > len(hidden) >= 1  # most above their minimum, a few below
    still_open = [s for s in surveys if s.state == "open"]
    assert len(still_open) == 1 and still_open[0].closes_on >= today
    assert SurveyToken.objects.filter(survey=still_open[0], used=False).exists()
    assert all(r.satisfaction_rate is not None for r in shown)
    # every used link has its ballot, each ballot one answer about the branch's work
    assert SurveyToken.objects.filter(used=True).count() == SurveyBallot.objects.count()
    assert SurveyAnswer.objects.count() == SurveyBallot.objects.count() == counts["测评答卷"]
    assert not SurveyAnswer.objects.filter(subject__isnull=False).exists()
    reset_surveys()
    assert not Survey.objects.exists() and not SurveyToken.objects.exists()


def test_same_seed_same_surveys(world, today):
    SurveysLoader(seed=3, today=today).run()
    first = list(Survey.objects.order_by("organisation__path").values_list("opens_on", "state"))
    ballots = SurveyBallot.objects.count()
    reset_surveys()
    SurveysLoader(seed=3, today=today).run()
    assert (
        list(Survey.objects.order_by("organisation__path").values_list("opens_on", "state"))
        == first
    )
    assert SurveyBallot.objects.count() == ballots


def test_no_branches_no_surveys(db, today):
    assert SurveysLoader(seed=1, today=today).run() == {}
