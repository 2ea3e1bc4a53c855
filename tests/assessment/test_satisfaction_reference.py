"""Score item 16 (《支部考核办法》: 对党支部工作进行满意度测评，根据测评结果给分) shows the year's
satisfaction survey of the branch, and nothing of it before the survey's minimum is reached."""

from datetime import date

from dangjian.assessment import selectors
from dangjian.assessment.models import ItemReference
from dangjian.surveys import services as surveys
from dangjian.surveys.models import SurveyKind


def _survey(world, minimum=3):
    return surveys.survey_create(
        actor=world.org_officer,
        organisation=world.branch_a,
        kind=SurveyKind.BRANCH_SATISFACTION,
        title="机关一支部工作满意度测评",
        opens_on=date(2025, 11, 1),
        closes_on=date(2025, 11, 30),
        min_responses=minimum,
    )


def _cast(world, survey, ratings):
    tokens = surveys.tokens_issue(actor=world.org_officer, survey=survey, count=len(ratings))
    for token, rating in zip(tokens, ratings, strict=True):
        surveys.ballot_cast(token=token.token, ratings={None: rating}, today=date(2025, 11, 5))


def test_item_16_is_the_satisfaction_reference(template):
    item = template.indicators.get(order=5).items.get()
    assert (item.number, item.reference) == (16, ItemReference.SATISFACTION)


def test_without_a_survey_the_reference_says_none_was_held(world, ass_a):
    text = selectors.references(ass_a)[ItemReference.SATISFACTION].text
    assert "尚未开展" in text


def test_below_the_minimum_the_reference_shows_only_the_count(world, ass_a):
    survey = _survey(world)
    _cast(world, survey, ["dissatisfied", "satisfied"])
    text = selectors.references(ass_a)[ItemReference.SATISFACTION].text
    assert "已回收2份，未达到最少3份" in text
    assert "满意度" not in text.replace("满意度测评", "")


def test_at_the_minimum_the_rate_and_proportional_points_show(world, ass_a):
    survey = _survey(world)
    _cast(world, survey, ["satisfied", "fairly_satisfied", "dissatisfied", "satisfied"])
    text = selectors.references(ass_a)[ItemReference.SATISFACTION].text
    assert "回收4份，满意度75.0%" in text
    assert "约7.5分" in text
