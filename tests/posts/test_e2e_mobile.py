"""The member's pages on a phone (390×844): single column, big inputs, records as cards."""

import os
from pathlib import Path

import pytest
from django.test import Client

from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS, SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_member_records_duty_on_a_phone(world, live_server, make_post):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    make_post(name="党建工作岗")
    client = Client()
    client.force_login(world.member_user)
    cookie = client.cookies["sessionid"].value
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/posts/my/")
        page.screenshot(path=str(SCREENSHOTS / "posts_my_posts_phone.png"), full_page=True)
        page.click("text=认领")
        assert page.url.endswith("/posts/my/")
        page.goto(f"{live_server.url}/posts/duty/new/")
        content = page.locator("#id_content")
        box = content.bounding_box()
        assert box["width"] > 300  # one column, full width
        page.fill("#id_place", "学生公寓3号楼")
        content.fill("开展文明宿舍检查，劝导不文明行为两起")
        page.fill("#id_effect", "宿舍卫生明显改善")
        page.screenshot(path=str(SCREENSHOTS / "posts_duty_record_phone.png"), full_page=True)
        page.click("button:has-text('保存')")
        page.wait_for_url("**/posts/duty/mine/")
        assert page.locator(".duty-card").count() == 1
        page.screenshot(path=str(SCREENSHOTS / "posts_duty_mine_phone.png"), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 390
        browser.close()
