"""A branch secretary, in Chromium: the compliance view shows this month's organisational
life as still due and last month's as overdue; the secretary records last month's meeting with
its attendance through the form, and last month turns from overdue to done. Robust to today's
date: an organ branch needs one meeting of ≥120 minutes a month
(《基层组织建设实施意见》§四(二)3)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.orglife.models import Meeting
from tests.e2e.conftest import browser, shot  # noqa: F401  (the Chromium fixtures)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


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


def _card(page, name):
    return page.locator(f".rule-card:has-text('{name}')")


def test_secretary_records_a_meeting_and_the_month_is_done(world, live_server, browser, shot):  # noqa: F811
    rule = "机关党支部组织生活"
    desk = login(browser, live_server, world.secretary_a, DESK)
    desk.goto(live_server.url + "/orglife/compliance/")
    card = _card(desk, rule)
    assert card.get_attribute("data-state") == "due"
    assert "本月还需开展1次" in card.inner_text()
    shot(desk, "orglife-1-compliance-due")
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    last_month_view = f"{live_server.url}/orglife/compliance/?date={last_month.isoformat()}"
    desk.goto(last_month_view)
    assert _card(desk, rule).get_attribute("data-state") == "overdue"
    shot(desk, "orglife-1b-compliance-overdue")

    # Record last month's general meeting: two hours, the member excused.
    desk.click("a:has-text('登记组织生活')")
    desk.wait_for_selector("#attendance")
    assert desk.is_checked(f"#att-{world.member_a.pk}-present")  # pre-filled: everyone present
    desk.select_option("#id_kind", "general")
    desk.fill("#id_topic", "学习贯彻党的二十大精神")
    desk.fill("#id_held_on", last_month.isoformat())
    desk.fill("#id_starts_at", "14:00")
    desk.fill("#id_ends_at", "16:00")
    desk.fill("#id_place", "行政楼党员活动室")
    desk.fill("#id_study_hours", "2")
    desk.fill("#id_minutes", "传达学习党的二十大报告，交流学习体会。")
    desk.click(f"label[for=att-{world.member_a.pk}-excused]")
    desk.fill(f"input[name=note-{world.member_a.pk}]", "出差")
    shot(desk, "orglife-2-meeting-form")
    desk.click("#meeting-form button[type=submit]")
    desk.wait_for_selector("text=已保存会议记录和出席情况。")
    shot(desk, "orglife-3-meeting-detail")
    meeting = Meeting.objects.get()
    assert meeting.duration_minutes == 120
    assert {a.person_id: a.status for a in meeting.attendance.all()} == {
        world.secretary_a.person_id: "present",
        world.member_a.pk: "excused",
    }

    desk.goto(last_month_view)
    card = _card(desk, rule)
    assert card.get_attribute("data-state") == "done"
    assert "已完成" in card.inner_text()
    shot(desk, "orglife-4-compliance-done")

    # The member sees the meeting on a phone.
    phone = login(browser, live_server, world.member_user, PHONE)
    phone.goto(live_server.url + "/orglife/my/")
    phone.wait_for_selector("text=学习贯彻党的二十大精神")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "orglife-5-my-meetings-phone")
