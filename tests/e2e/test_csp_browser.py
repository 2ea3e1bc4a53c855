"""The strict Content-Security-Policy in a real browser: pages with charts, the org tree (htmx)
and the survey answer page load with no CSP violation reported on the console, and the
ECharts chart renders from its JSON data element."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.surveys import services
from dangjian.surveys.models import SurveyKind

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _survey_with_results(world):
    today = timezone.localdate()
    survey = services.survey_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        kind=SurveyKind.MEMBER_RATING,
        title="机关一支部党员民意测评",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=7),
        min_responses=3,
        subjects=[world.member_a, world.secretary_a.person],
    )
    tokens = [
        t.token for t in services.tokens_issue(actor=world.secretary_a, survey=survey, count=4)
    ]
    subjects = list(survey.subjects.values_list("pk", flat=True))
    for token in tokens[:3]:
        services.ballot_cast(token=token, ratings=dict.fromkeys(subjects, "excellent"), comment="")
    return survey, tokens[3]


def _watch(page):
    """Console messages and page errors that speak of the Content Security Policy."""
    violations = []
    page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: violations.append(f"page error: {exc}"))
    return violations


def test_pages_with_charts_and_htmx_have_no_csp_violation(world, live_server, browser, shot):
    world.secretary_a.set_password("Secret-2026")
    world.secretary_a.save()
    survey, fresh_token = _survey_with_results(world)

    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    violations = _watch(page)
    response = page.goto(live_server.url + "/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.fill("#id_username", world.secretary_a.username)
    page.fill("#id_password", "Secret-2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    # The org tree: expanding a node is an htmx request, and app.js swaps the caret icon.
    page.goto(live_server.url + reverse("org:org_tree"))
    page.click("[aria-label='展开机关一支部']")
    page.wait_for_selector("text=第一党小组")
    assert page.locator("[aria-label='展开机关一支部'] i.bi-caret-down-fill").count() == 1

    # A results page with a chart: ECharts draws from the JSON element (SVG renderer).
    page.goto(live_server.url + reverse("surveys:survey_detail", args=[survey.pk]))
    chart = page.locator("[data-echart]").first
    chart.wait_for()
    page.wait_for_selector("[data-echart][data-rendered] svg path", state="attached")
    assert chart.locator("svg path").count() > 5  # axes, bars, labels were drawn
    shot(page, "csp-survey-chart")

    # The confirm dialog now comes from app.js (data-confirm), not an onsubmit handler.
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    end = page.locator("form[data-confirm] button").first
    if end.count():
        end.click()
        page.wait_for_timeout(200)
        assert dialogs and "确定" in dialogs[0]
        assert page.url.endswith(reverse("surveys:survey_detail", args=[survey.pk]))

    # The public answer page (own stylesheet now, no <style> element).
    page.goto(live_server.url + reverse("surveys:answer", args=[fresh_token]))
    page.wait_for_selector("form")
    shot(page, "csp-survey-answer")
    page.close()
    assert not violations, violations
