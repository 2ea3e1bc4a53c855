"""A branch secretary logs in, opens the tree and their branch, sees its members, and cannot
open a member of another branch."""

import pytest
from django.urls import reverse

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_branch_secretary_journey(world, live_server, browser, shot):
    world.secretary_a.set_password("Secret-2026")
    world.secretary_a.save()
    other_member_url = live_server.url + reverse("org:person_detail", args=[world.member_b.pk])

    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", world.secretary_a.username)
    page.fill("#id_password", "Secret-2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    shot(page, "home-secretary")

    page.click("text=组织架构")
    page.wait_for_selector("#org-tree")
    assert page.locator("#org-tree").inner_text().count("机关一支部") == 1
    # Expand the branch to see its Party group (loaded with htmx).
    page.click("[aria-label='展开机关一支部']")
    page.wait_for_selector("text=第一党小组")
    shot(page, "org-tree")

    page.click("#org-tree >> text=机关一支部")
    page.wait_for_selector("#org-members")
    members = page.locator("#org-members").inner_text()
    assert "赵党员" in members and "张书记" in members
    shot(page, "org-detail")

    page.click("#org-members >> text=赵党员")
    page.wait_for_selector("text=政治面貌变更历史")
    shot(page, "person-detail")

    response = page.goto(other_member_url)
    assert response.status == 404
    assert "钱党员" not in page.content()
    page.close()
