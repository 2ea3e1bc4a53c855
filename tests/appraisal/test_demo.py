"""The demo loader of member duty evaluation, on the standard `world`."""

from datetime import date

import pytest

from dangjian.appraisal import rules, selectors
from dangjian.appraisal.models import (
    BranchRating,
    CycleState,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    MemberRectification,
    SelfReport,
)
from dangjian.demo.appraisal import AppraisalLoader, reset_appraisal
from dangjian.surveys import selectors as survey_selectors
from dangjian.surveys.models import Survey, SurveyBallot, SurveyToken
from tests.factories import make_person

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 21)


@pytest.fixture
def loaded(world):
    # more members, so every branch has a survey with several subjects
    for i in range(6):
        make_person(world.branch_a, name=f"甲{i}")
        make_person(world.branch_b, name=f"乙{i}", category="student")
    return AppraisalLoader(seed=7, today=TODAY).run()


def test_demo_cycles_and_states(world, loaded):
    cycles = {(c.kind, c.year, c.period): c for c in EvaluationCycle.objects.all()}
    published = {k for k, c in cycles.items() if c.state == CycleState.PUBLISHED}
    assert published == {
        ("year", 2025, 1),
        ("democratic", 2025, 1),
        ("quarter", 2026, 1),
        ("quarter", 2026, 2),
        ("quarter", 2026, 3),
        ("half_year", 2026, 1),
    }
    open_cycle = cycles[("year", 2026, 1)]  # November: 年终总评 is open
    assert open_cycle.state == CycleState.OPEN
    assert open_cycle.starts_on <= TODAY <= open_cycle.ends_on
    assert cycles[("quarter", 2026, 1)].weight_masses == 0
    assert cycles[("quarter", 2026, 1)].surveys.count() == 0
    assert loaded["党员考评"] == 7


def test_demo_published_results_are_reproducible(world, loaded):
    for cycle in EvaluationCycle.objects.filter(state=CycleState.PUBLISHED):
        for r in EvaluationResult.objects.filter(cycle=cycle):
            assert r.final_score == rules.final_score(
                r.self_score, r.masses_score, r.branch_score, cycle.weights
            )
            exact = rules.weighted_total(
                r.self_score, r.masses_score, r.branch_score, cycle.weights
            )
            assert r.grade == rules.grade(exact, cycle.bands)
        # every figure is backed by the stored sources
        gathered = selectors.gather(cycle)
        assert not gathered.blockers
        for row in gathered.rows:
            assert row.branch_score == row.result.branch_score
            assert row.masses_score == row.result.masses_score


def test_demo_consequences(world, loaded):
    year_end = EvaluationCycle.objects.get(kind="year", year=2025)
    grades = set(year_end.results.values_list("grade", flat=True))
    assert "不称职" in grades and len(grades) >= 3
    items = list(MemberRectification.objects.filter(result__cycle=year_end).order_by("pk"))
    assert len(items) >= 2
    assert items[0].state == "done" and items[0].explain_meeting.kind == "general"
    assert items[1].state == "explained" and items[1].explain_meeting is None
    honours = Honour.objects.filter(cycle=year_end)
    assert honours.exists()
    assert set(
        year_end.results.filter(person__in=honours.values("person")).values_list("grade", flat=True)
    ) == {"优秀"}


def test_demo_open_cycle_sources(world, loaded):
    cycle = EvaluationCycle.objects.get(state=CycleState.OPEN)
    results = cycle.results.count()
    assert 0 < SelfReport.objects.filter(cycle=cycle).count() <= results
    assert BranchRating.objects.filter(cycle=cycle).exists()
    surveys = list(cycle.surveys.all())
    outcome = survey_selectors.results(surveys)
    below = [s for s in surveys if not outcome[s.pk].visible]
    assert len(below) == 1  # one branch below its minimum
    assert SurveyToken.objects.filter(survey__in=surveys, used=True).count() == (
        SurveyBallot.objects.filter(survey__in=surveys).count()
    )
    assert selectors.gather(cycle).blockers  # the compute button names what is missing


def test_demo_deterministic_and_reset(world, loaded):
    first = list(
        EvaluationResult.objects.order_by(
            "cycle__kind", "cycle__year", "cycle__period", "person_id"
        ).values_list("final_score", "grade")
    )
    reset_appraisal()
    assert not EvaluationCycle.objects.exists() and not Survey.objects.exists()
    AppraisalLoader(seed=7, today=TODAY).run()
    again = list(
        EvaluationResult.objects.order_by(
            "cycle__kind", "cycle__year", "cycle__period", "person_id"
        ).values_list("final_score", "grade")
    )
    assert first == again


def test_demo_in_spring_opens_the_quarter(world):
    AppraisalLoader(seed=1, today=date(2026, 5, 10)).run()
    states = dict(EvaluationCycle.objects.filter(year=2026).values_list("kind", "state"))
    assert EvaluationCycle.objects.get(kind="quarter", period=2).state == "open"
    assert EvaluationCycle.objects.get(kind="quarter", period=1).state == "published"
    assert "half_year" not in states


def test_demo_self_reports_show_post_states_in_chinese(world):
    """The posts taken with a self-report carry the state's label, as services.posts_snapshot
    stores it (the demo stored the code: “performing” on the result page)."""
    from dangjian.posts.models import Post, PostType

    post_type = PostType.objects.create(name="党建工作岗", duties="党建")
    for person in (world.member_a, world.member_b):
        Post.objects.create(
            organisation=person.primary_org,
            post_type=post_type,
            year=TODAY.year,
            name="党建工作岗",
            duties="党建",
            holder=person,
            state="performing",
        )
    AppraisalLoader(seed=7, today=TODAY).run()
    states = {
        post["state"]
        for posts in SelfReport.objects.filter(cycle__year=TODAY.year).values_list(
            "posts", flat=True
        )
        for post in posts
    }
    assert states == {"履岗"}
