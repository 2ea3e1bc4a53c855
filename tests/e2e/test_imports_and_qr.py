"""In Chromium: the sign-in QR code replaces itself on the secretary's phone (htmx polling, no
inline script), and a study-hours import goes from the upload to the confirmed result."""

import io
import time as clock
from datetime import time

import pytest
from django.utils import timezone
from openpyxl import Workbook

from dangjian.core import imports
from dangjian.orglife import services
from dangjian.orglife.models import MeetingState, StudyRecord
from tests.factories import make_person

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


def login(browser, live_server, user, viewport):
    user.set_password("Secret-2026")
    user.save()
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Secret-2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page, errors


def test_qr_code_rotates_without_reload(world, live_server, browser, settings, shot):
    settings.ORGLIFE_SIGNIN_ROTATE_SECONDS = 2
    meeting = services.meeting_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        state=MeetingState.PLANNED,
        kind="general",
        topic="学习贯彻全会精神",
        held_on=timezone.localdate(),
        starts_at=time(0, 0),
        ends_at=time(23, 59),
        place="党员活动室",
    )
    page, errors = login(browser, live_server, world.secretary_a, PHONE)
    page.goto(f"{live_server.url}/orglife/{meeting.pk}/signin-qr/")
    first = page.get_attribute("#signin-qr", "data-url")
    page.wait_for_function(
        "url => document.querySelector('#signin-qr').dataset.url !== url", arg=first, timeout=8000
    )
    second = page.get_attribute("#signin-qr", "data-url")
    assert second != first and page.url.endswith("/signin-qr/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "signin-qr-rotating-phone")
    assert not errors  # no CSP violation, no failed request


def test_study_hours_import_in_the_browser(world, live_server, browser, tmp_path, shot):
    make_person(world.branch_a, name="陈一", staff_number="A001")
    spec = imports.spec_for("study-hours")
    wb = Workbook()
    ws = wb.active
    ws.append(["学员姓名", "学号", "课程名称", "获得学时", "完成时间"])
    ws.append(["陈一", "A001", "党史专题网络课程", 3, "2025-05-01 20:15"])
    path = tmp_path / "网络学院导出.xlsx"
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    assert spec is not None
    page, errors = login(browser, live_server, world.secretary_a, DESK)
    page.goto(live_server.url + "/imports/study-hours/")
    page.set_input_files("#id_file", str(path))
    page.click("form[data-busy] button[type=submit]")
    page.wait_for_selector("text=校验通过", timeout=20000)
    assert "党史专题网络课程" in page.content()
    page.click("text=确认导入1行")
    deadline = clock.monotonic() + 20
    while "已导入1行" not in page.content() and clock.monotonic() < deadline:
        page.wait_for_timeout(500)
    assert "已导入1行" in page.content()
    assert StudyRecord.objects.filter(title="党史专题网络课程").count() == 1
    shot(page, "imports-done-desktop")
    assert not errors
