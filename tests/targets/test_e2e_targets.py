"""In Chromium: a branch secretary opens a work item, tries to close the current step and
sees what is missing; a member reports progress on their task from a phone."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import browser, shot  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(browser, live_server, user, viewport):  # noqa: F811
    user.set_password("Secret-2026")
    user.save()
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Secret-2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def test_secretary_and_member_journey(t, live_server, browser, shot):  # noqa: F811
    page = _login(browser, live_server, t.world.secretary_a, {"width": 1280, "height": 860})
    page.goto(live_server.url + reverse("targets:plan_list") + "?year=2026")
    page.wait_for_selector("#plans")
    shot(page, "targets-landing")

    page.goto(live_server.url + reverse("targets:workitem_detail", args=[t.item.pk]))
    assert "意见待处理" in page.locator("#missing").inner_text()
    page.click('button:has-text("完成本步骤")')
    page.wait_for_selector(".alert-danger")
    assert "不能完成“征求意见”步骤" in page.locator(".alert-danger").inner_text()
    shot(page, "targets-workitem")

    page.goto(live_server.url + reverse("targets:annex1") + f"?org={t.world.branch_a.pk}&year=2026")
    page.wait_for_selector("table")
    shot(page, "targets-annex1")

    phone = _login(browser, live_server, t.world.member_user, {"width": 390, "height": 844})
    phone.goto(live_server.url + reverse("targets:my_tasks"))
    phone.click("text=报告进展")
    phone.fill("#id_percent", "60")
    phone.fill("#id_note", "已培养6名积极分子")
    phone.click("button[type=submit]")
    phone.wait_for_selector("text=已培养6名积极分子")
    shot(phone, "targets-member-task")
