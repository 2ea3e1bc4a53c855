"""账号开通 in Chromium: a branch secretary opens accounts for the branch's members with
activation links and prints the sheet; a member activates on a phone and signs in."""

from pathlib import Path

import pytest

from tests.factories import make_person

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
NEW_PASSWORD = "Red-Flag-2026!"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 860}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def snap(page, name):
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"accounts-{name}.png"), full_page=True)


def login(browser, live_server, username, password, viewport):
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def test_open_accounts_print_sheet_and_activate_on_a_phone(world, live_server, browser):
    for n, name in enumerate(["孙党员", "周党员", "吴党员"], start=1):
        make_person(world.branch_a, name=name, staff_number=f"2024{n:04d}")
    make_person(world.branch_a, name="郑党员")  # no 工号: listed as refused
    world.secretary_a.set_password(PASSWORD)
    world.secretary_a.save()

    desk = login(browser, live_server, world.secretary_a.username, PASSWORD, DESK)
    desk.click("text=账号开通")
    desk.select_option("#id_organisation", str(world.branch_a.pk))
    desk.click("button[name=preview]")
    desk.wait_for_selector("text=预览：将开通 3 人")
    assert desk.is_visible("text=不能开通：未登记工号/学号")
    snap(desk, "preview")
    desk.click("button[name=create]")
    desk.wait_for_selector("text=已开通3个账号")
    snap(desk, "batch")
    desk.click("a:has-text('打印发放单')")
    desk.wait_for_selector(".slip")
    assert desk.locator(".slip svg").count() == 3
    snap(desk, "sheet")
    link = desk.locator(".slip-link").first.inner_text().strip()
    username = desk.locator(".slip strong").first.inner_text().strip()
    desk.goto(live_server.url + "/accounts/batches/")
    desk.set_viewport_size(PHONE)
    snap(desk, "batches-phone")
    desk.close()

    phone = browser.new_page(viewport=PHONE, locale="zh-CN")
    phone.goto(link)
    phone.wait_for_selector("text=设置密码并激活")
    snap(phone, "activate-phone")
    phone.fill("#id_new_password1", NEW_PASSWORD)
    phone.fill("#id_new_password2", NEW_PASSWORD)
    phone.fill("#id_email", "member@example.edu.cn")
    phone.click("button[type=submit]")
    phone.wait_for_selector("text=账号已激活")
    phone.fill("#id_username", username)
    phone.fill("#id_password", NEW_PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(live_server.url + "/")
    phone.close()
