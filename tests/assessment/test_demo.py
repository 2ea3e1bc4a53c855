"""The demo loader of the assessment app on the `world` fixture (any organisation tree)."""

from datetime import date, timedelta

import pytest

from dangjian.assessment import rules
from dangjian.assessment.models import (
    Appeal,
    AssessmentRound,
    BonusClaim,
    BranchAssessment,
    ItemScore,
    ScoreSheetTemplate,
)
from dangjian.assessment.services._base import _self_total
from dangjian.demo.assessment import AssessmentLoader, reset_assessment
from tests.factories import make_org

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture
def bigger(world):
    """Eight branches, enough for every stage of this year's round."""
    for n in range(6):
        make_org(world.gb_b if n % 2 else world.gb_a, name=f"演示支部{n}", code=f"DM{n}")
    return world


def test_loader_on_world(world, template):
    counts = AssessmentLoader(seed=1, today=TODAY).run()
    assert counts["支部考核"] == 2 and counts["党支部考核"] == 4
    assert counts["考核评分"] == ItemScore.objects.count() == 4 * 16
    last, this = AssessmentRound.objects.order_by("year")
    assert (last.year, this.year) == (2025, 2026)
    done = list(BranchAssessment.objects.filter(round=last))
    assert all(a.is_fixed(TODAY) for a in done)
    vetoed = [a for a in done if a.vetoed]
    assert len(vetoed) == 1 and vetoed[0].total >= 90 and vetoed[0].grade == "不合格"
    assert vetoed[0].veto_reason
    appeal = Appeal.objects.get(assessment__round=last)
    assert appeal.state == "answered" and not appeal.answered_late
    assert (appeal.answered_on - appeal.filed_on).days <= 10
    assert appeal.revised_total == appeal.original_total + 2
    assert appeal.assessment.total == appeal.revised_total
    assert appeal.assessment.grade == rules.grade(appeal.revised_total)
    pending = Appeal.objects.get(assessment__round=this)
    assert pending.state == "pending" and pending.answer_due == TODAY + timedelta(days=9)
    assert pending.assessment.appeal_due >= pending.filed_on


def test_every_stage_this_year_and_a_spread_of_grades(bigger, template):
    AssessmentLoader(seed=3, today=TODAY).run()
    this = AssessmentRound.objects.get(year=2026)
    states = set(BranchAssessment.objects.filter(round=this).values_list("state", flat=True))
    assert states == {"self_scoring", "submitted", "scored", "notified", "appealed"}
    open_window = BranchAssessment.objects.filter(round=this, state="notified")
    assert all(a.appeal_due >= TODAY for a in open_window)
    last = AssessmentRound.objects.get(year=2025)
    grades = set(BranchAssessment.objects.filter(round=last).values_list("grade", flat=True))
    assert len(grades) >= 3 and "不合格" in grades
    for a in BranchAssessment.objects.filter(round=last, vetoed=False).exclude(state="reviewed"):
        assert a.grade == rules.grade(a.total)
        scored = sum(a.scores.values_list("group_score", flat=True))
        assert a.total == scored + a.bonus_total
    assert BonusClaim.objects.filter(item__number__gte=17).count() == BonusClaim.objects.count()


def test_deterministic_and_reset(world, template):
    first = AssessmentLoader(seed=5, today=TODAY).run()
    totals = list(
        BranchAssessment.objects.order_by("round__year", "branch__path").values_list(
            "total", "state"
        )
    )
    reset_assessment()
    assert not AssessmentRound.objects.exists() and not ItemScore.objects.exists()
    assert ScoreSheetTemplate.objects.filter(pk=template.pk).exists()  # templates stay
    assert AssessmentLoader(seed=5, today=TODAY).run() == first
    assert (
        list(
            BranchAssessment.objects.order_by("round__year", "branch__path").values_list(
                "total", "state"
            )
        )
        == totals
    )


def test_no_template_no_rounds(world):
    ScoreSheetTemplate.objects.all().delete()
    assert AssessmentLoader(seed=1, today=TODAY).run() == {}


def test_this_year_dates_stay_in_the_year_early_in_january(bigger, template):
    AssessmentLoader(seed=2, today=date(2027, 1, 2)).run()
    this = AssessmentRound.objects.get(year=2027)
    for a in BranchAssessment.objects.filter(round=this):
        for day in (a.submitted_on, a.scored_on, a.notice_on):
            assert day is None or day.year == 2027


def test_the_answered_appeal_names_its_own_totals(world, template):
    # review: the answer said “由88.5分改为90.5分” even when bonus points made the total differ
    for seed in range(1, 9):
        reset_assessment()
        AssessmentLoader(seed=seed, today=TODAY).run()
        appeal = Appeal.objects.get(assessment__round__year=2025)
        assert f"由{rules.fmt(appeal.original_total)}分改为" in appeal.answer
        assert (
            f"{rules.fmt(appeal.revised_total)}分，等次为{appeal.assessment.grade}" in appeal.answer
        )


def test_self_totals_follow_a_configured_cap_as_the_service_does(bigger, template):
    template.bonus_cap = 1
    template.save()
    AssessmentLoader(seed=4, today=TODAY).run()
    claimed = BranchAssessment.objects.filter(claims__isnull=False).distinct()
    assert claimed.exists()
    for a in claimed:
        assert a.self_total == _self_total(a)
