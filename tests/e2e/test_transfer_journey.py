"""组织关系转接 in Chromium (issue 15): a member moves between two colleges' branches through
send → receive → approve by both general branches, and a graduating class leaves in one batch
with its letters printed."""

import pytest
from django.urls import reverse

from dangjian.membership.models import Transfer, TransferBatch, TransferState
from dangjian.org.models import Person, Unit
from tests.factories import make_officer, make_person

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"


def _login(browser, live_server, user, width=1280):
    user.set_password(PASSWORD)
    user.save()
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page, errors


def test_a_member_moves_between_two_colleges(world, live_server, browser, shot):
    gb_b_user = make_officer(world.gb_b, name="孙总支书记")
    page, errors = _login(browser, live_server, world.secretary_a)
    page.click("text=组织关系转接")
    page.click("text=校内转接")
    page.fill("#id_person", "赵")
    page.click(".dj-typeahead-menu.show >> text=赵党员")
    page.fill("#id_destination_org", "信息工程")
    page.click(".dj-typeahead-menu.show >> text=信息工程学院学生支部")
    page.fill("#id_reason", "调入信息工程学院")
    page.click("form button[type=submit]")
    page.wait_for_selector(".alert-success")
    shot(page, "transfer-sent")
    transfer = Transfer.objects.get()
    detail = live_server.url + reverse("membership:transfer_detail", args=[transfer.pk])
    page.close()

    page, more = _login(browser, live_server, world.secretary_b)
    errors += more
    page.goto(detail)
    page.click("button:has-text('接收')")
    page.wait_for_selector(".alert-success")
    page.close()
    for officer in (world.gb_secretary_a, gb_b_user):
        page, more = _login(browser, live_server, officer)
        errors += more
        page.goto(detail)
        page.click("button:has-text('审批同意')")
        page.wait_for_selector(".alert-success")
        shot(page, f"transfer-approved-{officer.pk}")
        page.close()
    transfer.refresh_from_db()
    assert transfer.state == TransferState.COMPLETED
    assert Person.objects.get(pk=world.member_a.pk).primary_org == world.branch_b
    assert not [e for e in errors if "Content Security Policy" in e]


def test_a_graduating_class_leaves_in_one_batch(world, live_server, browser, shot):
    klass = Unit.objects.create(name="软件2201班", kind="class")
    students = [
        make_person(world.branch_b, name=f"毕业生{n}", category="student", unit=klass)
        for n in range(3)
    ]
    page, errors = _login(browser, live_server, world.secretary_b)
    page.goto(live_server.url + reverse("membership:batch_create"))
    page.fill("#id_organisation", "信息工程")
    page.click(".dj-typeahead-menu.show >> text=信息工程学院学生支部")
    page.click("button:has-text('列出党员')")
    page.wait_for_selector("#candidates")
    for s in students:
        assert page.is_checked(f"#p{s.pk}")
    page.fill("#id_destination_text", "中共某市人才交流服务中心委员会")
    page.click("button:has-text('开具介绍信')")
    page.wait_for_selector("#results")
    shot(page, "transfer-batch")
    batch = TransferBatch.objects.get()
    assert [r["ok"] for r in batch.results] == [True, True, True]
    page.click("text=打印全部介绍信")
    page.wait_for_selector(".letter")
    assert page.locator(".letter").count() == 3
    shot(page, "transfer-letters")
    assert not [e for e in errors if "Content Security Policy" in e]
