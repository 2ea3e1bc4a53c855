"""In Chromium: a member registers a contact and a dormitory visit on a phone; the branch
secretary sees the compliance page on a desk."""

from datetime import date

import pytest

from dangjian.org.models import Unit
from dangjian.outreach import services
from dangjian.outreach.models import Contact, Visit
from tests.e2e.conftest import browser, shot  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 860}


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


def test_member_contact_and_visit_on_a_phone(world, live_server, browser, shot):  # noqa: F811
    Unit.objects.create(name="信息工程学院", kind="college")
    link = services.link_create(
        actor=world.secretary_a,
        visitor=world.member_a,
        kind="teacher_dorm",
        target="3号楼学生宿舍",
        since=date(2024, 9, 1),
    )
    phone = login(browser, live_server, world.member_user, PHONE)
    phone.goto(live_server.url + "/outreach/contacts/mine/")
    phone.fill("#id_name", "群众甲")
    phone.fill("#id_relation", "同事")
    phone.click("button:has-text('登记')")
    phone.wait_for_selector(".contact-card")
    shot(phone, "outreach-1-my-contacts-phone")
    assert Contact.objects.filter(member=world.member_a).count() == 1

    phone.goto(live_server.url + "/outreach/visits/mine/")
    phone.click("a:has-text('登记这次走访')")
    phone.fill("#id_content", "走访3号楼宿舍，了解学生学习生活情况")
    shot(phone, "outreach-2-visit-form-phone")
    phone.click("button:has-text('保存'):not([name=again])")
    phone.wait_for_selector(".visit-card")
    shot(phone, "outreach-3-my-visits-phone")
    assert Visit.objects.get().link_id == link.pk

    desk = login(browser, live_server, world.secretary_a, DESK)
    desk.goto(live_server.url + "/outreach/compliance/")
    desk.wait_for_selector("#compliance")
    assert "已完成" in desk.inner_text("#compliance")
    shot(desk, "outreach-4-compliance-desk")
