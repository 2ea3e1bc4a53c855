"""Exports as background jobs in a real browser: the progress page polls with htmx (no inline
script, no CSP violation) and turns into the download once the worker is done; 我的导出 lists
the user's files. Screenshots on a desktop and a 390 px phone."""

import pytest
from django.urls import reverse

from dangjian.core import jobs
from dangjian.core.models import Job

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 860}


def login(browser, live_server, user, viewport):
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda exc: violations.append(f"page error: {exc}"))
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page, violations


def test_progress_page_polls_until_the_file_is_ready(
    world, live_server, browser, shot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    user = world.secretary_a
    user.set_password(PASSWORD)
    user.save()

    def job(title, **fields):
        return Job.objects.create(
            owner=user,
            title=title,
            params={"path": reverse("org:person_export"), "query": "", "ip": "127.0.0.1"},
            **fields,
        )

    done = job("人员名册-20261201.xlsx")
    jobs.run(done.pk)
    failed = job("党员履职记实.xlsx", state=Job.State.FAILED, error=jobs.NOT_FOUND)
    running = job("人员名册-20261207.xlsx", state=Job.State.RUNNING)
    jobs.report_rows(running.pk, 35000)

    for name, viewport in (("desk", DESK), ("phone", PHONE)):
        page, violations = login(browser, live_server, user, viewport)
        page.goto(live_server.url + reverse("job_detail", args=[running.pk]))
        page.wait_for_selector("text=已写入35000行")
        shot(page, f"export-job-running-{name}")
        page.goto(live_server.url + reverse("job_list"))
        page.wait_for_selector(f"text={failed.title}")
        assert page.locator("a[aria-label^='下载']").count() == 1
        shot(page, f"export-jobs-list-{name}")
        assert not violations, violations
        page.close()

    # The worker finishes: the polling panel turns into the download without a reload.
    page, violations = login(browser, live_server, user, DESK)
    page.goto(live_server.url + reverse("job_detail", args=[running.pk]))
    page.wait_for_selector("text=已写入35000行")
    Job.objects.filter(pk=running.pk).update(state=Job.State.QUEUED)
    jobs.run(running.pk)
    page.wait_for_selector("text=下载文件", timeout=10_000)
    shot(page, "export-job-done-desk")
    with page.expect_download() as download:
        page.click("text=下载文件")
    assert download.value.suggested_filename == running.title
    assert not violations, violations
