"""The done-when of issue 14 item 4, on a phone viewport in Chromium: a branch secretary plans a
meeting for later today; its members are told (a reminder on their home page); one asks for
leave and the secretary approves; on the day the secretary shows the sign-in QR code and a
member signs in through its address; afterwards the secretary records the meeting, the
attendance pre-filled from the sign-in and the leave, and it is held."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.core import reminders
from dangjian.orglife.models import Meeting
from tests.e2e.conftest import browser, shot  # noqa: F401  (the Chromium fixtures)
from tests.factories import make_person, make_user

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
PHONE = {"width": 390, "height": 844}
TOPIC = "学习贯彻全会精神"


def login(browser, live_server, user):  # noqa: F811
    user.set_password(PASSWORD)
    user.save()
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def no_sideways_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_planned_meeting_from_notice_to_sign_in_to_attendance(world, live_server, browser, shot):  # noqa: F811
    now = timezone.localtime()
    if now.hour >= 22:
        pytest.skip("the meeting must start and end today (sign-in opens 30 minutes before)")
    # Starts in 20 minutes: leave is still possible and sign-in (30 minutes before) is open.
    starts = now + timedelta(minutes=20)
    ends = starts + timedelta(minutes=90)
    other = make_person(world.branch_a, name="孙党员")
    other_user = make_user(other)

    secretary = login(browser, live_server, world.secretary_a)
    secretary.goto(f"{live_server.url}/orglife/plan/?org={world.branch_a.pk}")
    secretary.select_option("#id_kind", "general")
    secretary.fill("#id_topic", TOPIC)
    secretary.fill("#id_held_on", now.date().isoformat())
    secretary.fill("#id_starts_at", f"{starts:%H:%M}")
    secretary.fill("#id_ends_at", f"{ends:%H:%M}")
    secretary.fill("#id_place", "行政楼党员活动室")
    no_sideways_overflow(secretary)
    shot(secretary, "meetings-1-plan")
    secretary.click("#meeting-form button[type=submit]")
    secretary.wait_for_selector("text=已安排会议")
    meeting = Meeting.objects.get(topic=TOPIC)
    assert meeting.state == "planned"

    # The notice: the reminder sweep tells every attendee.
    reminders.sweep()
    member = login(browser, live_server, world.member_user)
    assert TOPIC in member.content()  # the home page's reminders
    member.goto(f"{live_server.url}/orglife/my/")
    member.click(f".planned-card:has-text('{TOPIC}')")
    assert "未签到" in member.inner_text("#my-status")
    shot(member, "meetings-2-member-page")

    # Leave: the other member asks, the secretary approves.
    asker = login(browser, live_server, other_user)
    asker.goto(f"{live_server.url}/orglife/my/{meeting.pk}/")
    asker.fill("#id_reason", "外出参加学术会议")
    asker.click("button:has-text('提交请假申请')")
    asker.wait_for_selector("text=已提交请假申请")
    secretary.goto(f"{live_server.url}/orglife/{meeting.pk}/")
    secretary.click("#leave-requests button:has-text('批准')")
    secretary.wait_for_selector("text=已批准孙党员的请假")
    no_sideways_overflow(secretary)
    shot(secretary, "meetings-3-detail-leave")

    # Sign-in: the secretary's phone shows the code; the member opens its address.
    secretary.click("#open-qr")
    qr = secretary.wait_for_selector("#signin-qr svg")
    assert qr is not None
    no_sideways_overflow(secretary)
    shot(secretary, "meetings-4-qr")
    url = secretary.get_attribute("#signin-qr", "data-url")
    member.goto(url)
    member.click("#signin-button")
    member.wait_for_selector("#signin-done")
    shot(member, "meetings-5-signed-in")
    member.goto(url)
    member.click("#signin-button")
    assert "已签到" in member.inner_text("#signin-refusal")  # once only

    # After the meeting: the record, the attendance pre-filled from sign-in and leave.
    secretary.goto(f"{live_server.url}/orglife/{meeting.pk}/")
    secretary.click("#edit-meeting")
    assert secretary.input_value("#id_state") == "held"
    assert secretary.is_checked(f"#att-{world.member_a.pk}-present")
    assert secretary.is_checked(f"#att-{other.pk}-excused")
    assert secretary.is_checked(f"#att-{world.secretary_a.person_id}-absent")
    secretary.click(f"label[for=att-{world.secretary_a.person_id}-present]")  # the host came
    secretary.fill("#id_minutes", "传达学习全会精神，党员交流发言。")
    shot(secretary, "meetings-6-record")
    secretary.click("#meeting-form button[type=submit]")
    secretary.wait_for_selector("text=已保存会议记录和出席情况。")
    meeting.refresh_from_db()
    assert meeting.state == "held"
    assert {a.person_id: a.status for a in meeting.attendance.all()} == {
        world.secretary_a.person_id: "present",
        world.member_a.pk: "present",
        other.pk: "excused",
    }
