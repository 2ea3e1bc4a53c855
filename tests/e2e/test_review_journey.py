"""From 述职 to the published result in Chromium: the department opens the round, the branch
secretary reports, the general branch opens the rating, members answer with one-time links,
the general branch reviews, the department publishes, and the result shows on the board."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.review.models import ReportState, ReviewRound, SecretaryReport
from tests.review.conftest import TEXT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "Secret-2026"


def login(browser, live_server, user, width=1366):
    user.set_password(PASSWORD)
    user.save()
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def test_from_report_to_published_result(world, live_server, browser, shot):
    year = timezone.localdate().year
    # the department organises the round
    dept = login(browser, live_server, world.org_officer)
    dept.goto(live_server.url + reverse("review:round_create"))
    dept.evaluate(
        "([id]) => { const s = document.querySelector('[name=organisation]');"
        " if (s.tagName === 'SELECT') { s.add(new Option('党委', id)); } s.value = id; }",
        [str(world.committee.pk)],
    )
    dept.select_option("[name=level]", "branch")
    dept.click("form[method=post] button.btn-dj[type=submit]")
    dept.wait_for_selector("#reports")
    shot(dept, "review-round-new")
    round_ = ReviewRound.objects.get(year=year)
    report = SecretaryReport.objects.get(round=round_, organisation=world.branch_a)

    # the branch secretary reports (联述)
    sec = login(browser, live_server, world.secretary_a, width=390)
    sec.goto(live_server.url + reverse("review:report_list"))  # 书记述职 (menu hidden on a phone)
    sec.click("#reports >> text=机关一支部")
    sec.click("#submit-report")
    sec.fill("[name=text]", "太短")
    sec.click("form[method=post] button.btn-dj[type=submit]")
    assert "述职报告至少50字" in sec.content()
    assert sec.input_value("[name=text]") == "太短"  # kept
    sec.fill("[name=text]", TEXT)
    sec.click("form[method=post] button.btn-dj[type=submit]")
    sec.wait_for_selector("#report-text")
    assert sec.evaluate("document.documentElement.scrollWidth") <= 390
    shot(sec, "review-report-phone")
    assert sec.locator("#open-rating").count() == 0  # not for their own secretary

    # the general branch opens the rating (联评) with a minimum of 3 and five links
    gb = login(browser, live_server, world.gb_secretary_a)
    gb.goto(live_server.url + reverse("review:report_detail", args=[report.pk]))
    gb.click("#open-rating")
    gb.fill("[name=min_responses]", "3")
    gb.fill("[name=links]", "5")
    gb.click("form[method=post] button.btn-dj[type=submit]")
    gb.wait_for_load_state()
    gb.wait_for_selector("#rating")
    assert "回收 0 份" in gb.inner_text("#rating")
    report.refresh_from_db()
    assert report.state == ReportState.RATING
    tokens = list(report.survey.tokens.values_list("token", flat=True))

    # three members answer with their one-time links, without an account
    for token in tokens[:3]:
        anon = browser.new_page(viewport={"width": 390, "height": 800}, locale="zh-CN")
        anon.goto(live_server.url + reverse("surveys:answer", args=[token]))
        anon.check("input[type=radio][value=excellent]", force=True)
        anon.click("form button[type=submit]")
        anon.wait_for_load_state()
        anon.close()

    # the general branch reviews
    gb.goto(live_server.url + reverse("review:report_review", args=[report.pk]))
    gb.fill("[name=score]", "85")
    gb.fill("[name=comment]", "述职实在，成效明显。")
    gb.click("form[method=post] button.btn-dj[type=submit]")
    gb.wait_for_selector("#grade")
    assert gb.inner_text("#grade") == "称职"  # 95 × 40% + 85 × 60% = 89.0
    shot(gb, "review-report-reviewed")

    # the other branch is reviewed by the department; then it publishes
    other = SecretaryReport.objects.get(round=round_, organisation=world.branch_b)
    from dangjian.review import services
    from dangjian.surveys import services as surveys

    services.report_submit(actor=world.secretary_b, report=other, text=TEXT)
    survey = services.rating_open(
        actor=world.org_officer, report=other, opens_on=timezone.localdate(),
        closes_on=timezone.localdate(), min_responses=3, links=3,
    )  # fmt: skip
    for token in survey.tokens.values_list("token", flat=True):
        surveys.ballot_cast(token=token, ratings={other.secretary_id: "competent"})
    services.report_review(actor=world.org_officer, report=other, score=80, comment="较好")

    dept.goto(live_server.url + reverse("review:round_detail", args=[round_.pk]))
    dept.once("dialog", lambda dialog: dialog.accept())
    dept.click("#publish")
    dept.wait_for_selector("text=结果已发布")
    shot(dept, "review-round-published")

    board = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    board.goto(live_server.url + reverse("public:board", args=["BA"]) + f"?year={year}")
    text = board.inner_text("#appraisals")
    assert re.search(r"称职\s*机关一支部 书记张书记 综合得分89\.0", text), text
    shot(board, "review-board")
