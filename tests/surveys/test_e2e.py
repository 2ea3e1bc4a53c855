"""In Chromium: a branch secretary creates a member rating (minimum 3) and issues 3 links; a
person without an account answers one on a phone; the link then shows it was used; the
secretary sees only "已回收 1 份" until two more answers arrive, then the distribution."""

import pytest

from dangjian.surveys.models import Survey
from tests.e2e.conftest import browser, shot  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


def login(browser, live_server, user, viewport):  # noqa: F811
    user.set_password(PASSWORD)
    user.save()
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def answer_on_a_phone(browser, link, choice, comment="", shot_name=None, shot=None):  # noqa: F811
    """A fresh browser context: no account, no cookies."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(link)
    phone.wait_for_selector("#answer-form")
    for fieldset in phone.query_selector_all("fieldset"):
        fieldset.query_selector(f"label:text-is('{choice}')").click()
    if comment:
        phone.fill("textarea[name=comment]", comment)
    # phone-first: one column, nothing wider than the screen
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if shot_name:
        shot(phone, shot_name)
    phone.click("button:has-text('提交答卷')")
    phone.wait_for_selector("#thanks")
    return context, phone


def test_anonymous_answers_then_aggregate_from_the_minimum(world, live_server, browser, shot):  # noqa: F811
    desk = login(browser, live_server, world.secretary_a, DESK)
    desk.goto(live_server.url + "/surveys/new/")
    desk.wait_for_selector("#subjects-box input[name=subjects]:checked")
    desk.fill("#id_title", "机关一支部2026年党员民意测评")
    desk.fill("#id_instructions", "请根据党员平时的工作表现和履岗情况作出评价。")
    desk.fill("#id_min_responses", "3")
    shot(desk, "surveys-1-create-desk")
    desk.click("button:has-text('保存')")
    desk.wait_for_selector("#counts")
    survey = Survey.objects.get()
    assert set(survey.subjects.values_list("name", flat=True)) == {"赵党员", "张书记"}
    desk.fill("#id_count", "3")
    desk.click("button:has-text('发放链接')")
    desk.wait_for_selector("text=已发放第1批测评链接，共3个")

    desk.click("a:has-text('打印二维码')")
    desk.wait_for_selector(".qr-card svg")
    links = [el.inner_text().strip() for el in desk.query_selector_all(".qr-link")]
    assert len(links) == 3 and all(
        link.startswith(live_server.url + "/surveys/t/") for link in links
    )
    assert len(desk.query_selector_all(".qr-card svg")) == 3
    shot(desk, "surveys-2-qr-print")

    context, phone = answer_on_a_phone(
        browser, links[0], "称职", "希望党员多到群众中来。", "survey-answer-phone", shot
    )
    assert "匿名" in phone.inner_text("#thanks")
    shot(phone, "surveys-3-thanks-phone")
    phone.goto(links[0])  # the same link again
    assert "该测评链接已经提交过答卷" in phone.inner_text("#used")
    shot(phone, "surveys-4-used-phone")
    context.close()

    desk.goto(f"{live_server.url}/surveys/{survey.pk}/")
    assert "已回收 1 份，达到 3 份后显示汇总结果" in desk.inner_text("#result")
    assert desk.query_selector("#distribution") is None
    assert "希望党员多到群众中来" not in desk.content()
    shot(desk, "surveys-5-below-minimum-desk")

    for link in links[1:]:
        ctx, _page = answer_on_a_phone(browser, link, "优秀")
        ctx.close()

    desk.reload()
    desk.wait_for_selector("#distribution")
    table = desk.inner_text("#distribution")
    assert "赵党员" in table and "张书记" in table and "91.66" in table
    desk.wait_for_selector("[data-echart='chart-distribution'] svg")
    assert "希望党员多到群众中来" in desk.inner_text("#comments")
    assert desk.inner_text("#stat-responses").strip() == "3"
    shot(desk, "surveys-6-result-desk")

    mobile_desk = login(browser, live_server, world.secretary_a, PHONE)
    mobile_desk.goto(f"{live_server.url}/surveys/{survey.pk}/")
    mobile_desk.wait_for_selector("[data-echart='chart-distribution'] svg")
    shot(mobile_desk, "surveys-7-result-phone")
