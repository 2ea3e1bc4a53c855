"""In Chromium on a phone: a survey of 23 members answered in pages of ten with progress; the
answers survive a reload of the tab (sessionStorage) and go in one one-time submit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.surveys import services
from dangjian.surveys.models import SurveyAnswer, SurveyBallot, SurveyKind
from tests.e2e.conftest import browser, shot  # noqa: F401  (fixtures)
from tests.factories import make_person

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def test_pages_of_ten_keep_answers_until_the_one_submit(world, live_server, browser, shot):  # noqa: F811
    today = timezone.localdate()
    members = [world.member_a, world.secretary_a.person]
    members += [make_person(world.branch_a, name=f"党员{i:02d}") for i in range(21)]
    survey = services.survey_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        kind=SurveyKind.MEMBER_RATING,
        title="机关一支部党员民意测评",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=7),
        min_responses=3,
        subjects=members,
    )
    [token] = [
        t.token for t in services.tokens_issue(actor=world.secretary_a, survey=survey, count=1)
    ]
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/surveys/t/{token}/")
    page.wait_for_selector("#answer-pager:not([hidden])")
    label = page.locator("#answer-progress-label")
    assert label.inner_text() == "第 1/3 页 · 已评价 0/23 项"
    assert page.locator("fieldset.sv-q:visible").count() == 10
    assert not page.locator("button:has-text('提交答卷')").is_visible()

    def answer_visible(choice):
        for fieldset in page.locator("fieldset.sv-q:visible").all():
            fieldset.locator(f"label:text-is('{choice}')").click()

    answer_visible("优秀")
    assert label.inner_text() == "第 1/3 页 · 已评价 10/23 项"
    shot(page, "survey-paged-1-phone")
    page.click("[data-page-next]")
    answer_visible("称职")
    page.reload()  # the tab keeps what was chosen
    page.wait_for_selector("#answer-pager:not([hidden])")
    assert label.inner_text() == "第 1/3 页 · 已评价 20/23 项"
    page.click("[data-page-next]")
    page.click("[data-page-next]")
    assert page.locator("fieldset.sv-q:visible").count() == 3
    answer_visible("基本称职")
    page.fill("textarea[name=comment]", "分页填写。")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "survey-paged-3-phone")
    page.click("button:has-text('提交答卷')")
    page.wait_for_selector("#thanks")
    ballot = SurveyBallot.objects.get(survey=survey)
    answers = SurveyAnswer.objects.filter(ballot=ballot)
    assert answers.count() == 23
    assert set(answers.values_list("rating", flat=True)) == {"excellent", "competent", "basic"}
    context.close()
