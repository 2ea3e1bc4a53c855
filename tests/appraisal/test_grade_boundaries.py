"""A total a hair under a band boundary stays in the band below it (issue: domain corrections 1).

《168模式实施意见》§五(二)5: 90分以上为优秀，80分以上为称职，60-79分为基本称职，60分以下为不称职.
The total used to be rounded to one decimal before the grade was decided, so two raters' 89.9
and 90 (a mean of 89.95) came out 90.0 优秀."""

from decimal import Decimal as D

import pytest

from dangjian.appraisal import services
from dangjian.appraisal.models import EvaluationResult
from tests.appraisal.conftest import IN_WINDOW
from tests.appraisal.test_api import BASE, api


@pytest.mark.parametrize(
    ("first", "second", "mean", "shown", "grade"),
    [
        ("89.9", "90", "89.95", "89.9", "称职"),
        ("90", "90", "90.00", "90.0", "优秀"),
        ("79.9", "80", "79.95", "79.9", "基本称职"),
        ("80", "80", "80.00", "80.0", "称职"),
        ("59.9", "60", "59.95", "59.9", "不称职"),
        ("60", "60", "60.00", "60.0", "基本称职"),
    ],
)
def test_two_raters_just_below_a_boundary_do_not_lift_the_grade(
    world, chief, make_cycle, rate_all, first, second, mean, shown, grade
):
    cycle = make_cycle(weights=(0, 0, 100))
    rate_all(cycle)  # everyone 85 by one rater
    for score, user in [(D(first), world.secretary_a), (D(second), chief)]:
        services.branch_rate(
            actor=user, cycle=cycle, ratee=world.member_a, score=score, today=IN_WINDOW
        )
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    result = EvaluationResult.objects.get(cycle=cycle, person=world.member_a)
    assert result.branch_score == D(mean)
    assert (result.final_score, result.grade) == (D(shown), grade)
    row = api(world.org_officer).get(f"{BASE}/results/{result.pk}/").json()
    assert (row["final_score"], row["grade"]) == (shown, grade)
