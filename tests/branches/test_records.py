"""调查摸底 starts from what the system already knows (《组织建设年实施方案》附件1 二(二):
结合调查摸底、年度考核、群众评议、支部自评情况): the branch's last assessment result sent in
writing, and its last satisfaction survey that reached its minimum."""

from datetime import date
from decimal import Decimal

from dangjian.assessment import services as assessment
from dangjian.assessment.models import BranchAssessment, ScoreSheetTemplate
from dangjian.branches import services
from dangjian.surveys import services as surveys
from dangjian.surveys.models import SurveyKind
from tests.assessment.conftest import SEED_NAME, notified


def test_a_new_survey_carries_the_assessment_and_the_satisfaction_survey(world, year, today):
    template = ScoreSheetTemplate.objects.get(name=SEED_NAME)
    round_ = assessment.round_create(
        actor=world.org_officer,
        template=template,
        year=2024,
        organisation=world.committee,
        self_due=date(2024, 11, 30),
    )
    today(date(2025, 1, 20))
    notified(
        world,
        template,
        BranchAssessment.objects.get(round=round_, branch=world.branch_a),
        short=Decimal(12),
    )
    survey = surveys.survey_create(
        actor=world.org_officer,
        organisation=world.branch_a,
        kind=SurveyKind.BRANCH_SATISFACTION,
        title="机关一支部2025年工作满意度测评",
        opens_on=date(2025, 1, 10),
        closes_on=date(2025, 1, 31),
        min_responses=3,
    )
    for token, rating in zip(
        surveys.tokens_issue(actor=world.org_officer, survey=survey, count=4),
        ["satisfied", "satisfied", "fairly_satisfied", "dissatisfied"],
        strict=True,
    ):
        surveys.ballot_cast(token=token.token, ratings={None: rating}, today=date(2025, 1, 20))
    today(date(2025, 3, 10))
    grading = services.grading_create(
        actor=world.secretary_a, grading_year=year, branch=world.branch_a
    )
    assert grading.annual_assessment == "2024年度党支部工作目标管理考核：良好（88分）"
    assert "回收4份，满意度75.0%" in grading.masses_opinion
    # nothing known: both stay empty for the officer to fill in
    other = services.grading_create(
        actor=world.secretary_b, grading_year=year, branch=world.branch_b
    )
    assert other.annual_assessment == "" and other.masses_opinion == ""
