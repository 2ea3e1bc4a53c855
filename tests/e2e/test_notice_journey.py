"""A notice with a receipt, in Chromium: a general-branch secretary drafts and publishes it to
the general branch's subtree, a member of a branch below sees the bell's unread count on a
phone, reads the notice and confirms it, and the secretary's 未阅 list shrinks by that member
while a member of another general branch never receives it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.notices import selectors
from dangjian.notices.models import Notice, NoticeRead
from tests.factories import make_user

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 860}
TITLE = "关于开展本月主题党日活动的通知"


def login(browser, live_server, user, viewport):
    user.set_password(PASSWORD)
    user.save()
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def unread_names(page):
    return page.locator("main table tbody tr td:first-child").all_inner_texts()


def bell(page):
    """The bell's badge once htmx has loaded it ('' when nothing is unread)."""
    page.wait_for_load_state("networkidle")
    badge = page.locator(".dj-bell-slot .badge")
    return badge.inner_text().split("条")[0].strip() if badge.count() else ""


def test_publish_read_and_confirm_a_notice(world, live_server, browser, shot):
    other_user = make_user(world.member_b)  # branch_b, under the other general branch
    deadline = timezone.localdate() + timedelta(days=7)

    # The general-branch secretary drafts the notice to their own subtree and publishes it.
    desk = login(browser, live_server, world.gb_secretary_a, DESK)
    desk.on("dialog", lambda dialog: dialog.accept())  # 发布后不能再修改，确定发布？
    desk.goto(live_server.url + "/notices/notice/new/")
    desk.fill("#id_title", TITLE)
    desk.fill(
        "#id_body", "请全体党员于本月20日下午3点到党员活动室参加主题党日活动。\n请阅读后回执。"
    )
    desk.check("#id_receipt_required")
    desk.fill("#id_deadline", deadline.isoformat())
    shot(desk, "notice-1-draft-desktop")
    desk.click("main button[type=submit]")
    desk.wait_for_selector("text=草稿尚未发布")
    notice = Notice.objects.get(title=TITLE)
    assert notice.organisation == world.gb_a and notice.state == "draft"
    desk.click("button:has-text('发布')")
    desk.wait_for_selector("text=通知已发布")
    notice.refresh_from_db()
    assert notice.state == "published" and notice.receipt_required

    desk.goto(f"{live_server.url}/notices/notice/{notice.pk}/unread/")
    before = unread_names(desk)
    assert world.member_a.name in before and world.member_b.name not in before
    shot(desk, "notice-2-unread-before-desktop")

    # The member of branch_a sees the bell's count on a phone and reads the notice.
    phone = login(browser, live_server, world.member_user, PHONE)
    assert bell(phone) == "1"
    shot(phone, "notice-3-bell-phone")
    phone.click("a.dj-bell")
    phone.click(f"text={TITLE}")
    phone.wait_for_selector("text=发布单位要求确认阅读")
    phone.click("button:has-text('已阅（回执）')")
    phone.wait_for_selector("text=确认已阅")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "notice-4-confirmed-phone")
    read = NoticeRead.objects.get(notice=notice, person=world.member_a)
    assert read.confirmed_at is not None
    phone.goto(live_server.url + "/")
    assert bell(phone) == ""

    # The secretary's 未阅 list has lost that member, and the receipt is counted.
    desk.reload()
    after = unread_names(desk)
    assert world.member_a.name not in after and len(after) == len(before) - 1
    desk.goto(f"{live_server.url}/notices/notice/{notice.pk}/")
    desk.wait_for_selector("text=已确认回执 1 人")
    shot(desk, "notice-5-read-figures-desktop")

    # A member of the other general branch never received it.
    assert not selectors.my_notices(other_user).filter(pk=notice.pk).exists()
