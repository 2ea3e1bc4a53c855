"""The department's routine upward report in a real browser: from the home page to the
organisations behind on organisational life, exported as a workbook, in under 30 seconds
(issue 14's measure). Screenshots at desktop and 390 px."""

import io
import time
from datetime import date
from datetime import time as clock

import pytest
from openpyxl import load_workbook

from dangjian.orglife import services

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"


def test_department_finds_branches_behind_and_exports_them(world, live_server, browser, shot):
    user = world.org_officer
    user.set_password(PASSWORD)
    user.save()
    # 机关一支部 met twice this month; the others did not.
    today = date.today()
    for day in (1, 2):
        services.meeting_create(
            actor=user,
            organisation=world.branch_a,
            kind="general",
            held_on=today.replace(day=day),
            starts_at=clock(14, 0),
            ends_at=clock(16, 0),
            topic="学习党的理论",
            place="党员活动室",
        )

    started = time.monotonic()
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.click("nav >> text=组织生活落实")
    page.check("#f-attention")
    page.click("form >> text=查看")
    page.wait_for_selector("#below")
    shown = page.locator("#below tbody tr").count()
    shot(page, "compliance-attention-desk")
    with page.expect_download() as download:
        page.click("text=导出Excel")
    with open(download.value.path(), "rb") as downloaded:  # no .xlsx suffix: read the bytes
        workbook = load_workbook(io.BytesIO(downloaded.read()))
    elapsed = time.monotonic() - started
    rows = list(workbook.active.iter_rows(values_only=True))[2:]
    assert rows and len(rows) == shown
    assert all(row[4] or row[5] for row in rows)  # 未完成 or 进行中 in every row
    assert elapsed < 30, f"{elapsed:.1f} s"

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("#below")
    width = page.evaluate("document.documentElement.scrollWidth")
    shot(page, "compliance-attention-phone")
    assert width <= 390, width
    page.close()
