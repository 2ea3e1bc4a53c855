"""A round of 两优一先 in Chromium, from nomination to publication: the organisation department
opens the round and sets the general branch's quota, the branch secretary nominates a member,
the general branch reviews, the department posts the notice, decides and publishes, and the
public board (no login) shows the award (《基层组织建设实施意见》§四(五)3)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.honours.models import HonourRound, NominationState

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


def login(browser, live_server, user, viewport=DESK):
    user.set_password(PASSWORD)
    user.save()
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page, errors


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_round_from_nomination_to_publication(world, live_server, browser, shot):
    today = timezone.localdate()
    # The department opens the round and sets the general branch's quota.
    desk, errors = login(browser, live_server, world.org_officer)
    desk.click("text=评选表彰")
    desk.click("text=发起评选表彰")
    desk.fill("#id_nomination_deadline", (today + timedelta(days=10)).isoformat())
    desk.click("form button[type=submit]")
    desk.wait_for_selector("text=已发起评选表彰")
    round_ = HonourRound.objects.get()
    desk.click("text=设置推荐名额")
    desk.fill("#id_organisation", "机关")
    desk.click(".dj-typeahead-menu.show >> text=机关党总支")
    desk.select_option("#id_category", "excellent_member")
    desk.fill("#id_quota", "1")
    desk.click("form button[type=submit]")
    desk.wait_for_selector("#quotas >> text=机关党总支")
    shot(desk, "honours-1-round-quota")

    # The branch secretary nominates a member of the branch.
    branch, branch_errors = login(browser, live_server, world.secretary_a)
    branch.goto(f"{live_server.url}/honours/{round_.pk}/")
    branch.click("text=推荐评选对象")
    branch.select_option("#id_category", "excellent_member")
    branch.fill("#id_person", "赵")
    branch.click(".dj-typeahead-menu.show >> text=赵党员")
    branch.fill("#id_deeds", "带头履岗，群众评议优秀。")
    branch.click("form button[type=submit]")
    branch.wait_for_selector("text=已推荐，待上级党组织审核")
    shot(branch, "honours-2-nominated")

    # The general branch above reviews it.
    gb, gb_errors = login(browser, live_server, world.gb_secretary_a)
    gb.goto(f"{live_server.url}/honours/{round_.pk}/")
    gb.click("#nominations >> text=赵党员")
    gb.click("main a[href$='/review/']:has-text('审核')")
    gb.select_option("#id_approve", "1")
    gb.fill("#id_note", "同意推荐")
    gb.click("form button[type=submit]")
    gb.wait_for_selector("#nomination-state >> text=审核通过")

    # The department posts the notice (already run out), decides and publishes.
    desk.goto(f"{live_server.url}/honours/{round_.pk}/")
    desk.click("text=公示拟表彰对象")
    desk.fill("#id_starts_on", (today - timedelta(days=10)).isoformat())
    desk.fill("#id_ends_on", (today - timedelta(days=3)).isoformat())
    desk.click("form button[type=submit]")
    desk.wait_for_selector("#round-state >> text=公示中")
    desk.click("text=作出表彰决定")
    desk.fill("#id_decision_number", "院委〔2026〕20号")
    desk.click("form button[type=submit]")
    desk.wait_for_selector("#round-state >> text=已决定")
    desk.click("text=发布表彰结果")
    desk.click("form button[type=submit]")
    desk.wait_for_selector("#round-state >> text=已发布")
    shot(desk, "honours-3-published")
    assert round_.nominations.get().state == NominationState.AWARDED

    # The member sees the published round on a phone, without sideways scrolling.
    phone, phone_errors = login(browser, live_server, world.member_user, PHONE)
    phone.goto(f"{live_server.url}/honours/{round_.pk}/")
    phone.wait_for_selector("#nominations >> text=赵党员")
    assert no_sideways_scroll(phone)
    shot(phone, "honours-4-member-phone")

    # The public board shows the award, no login.
    public = browser.new_page(viewport=DESK, locale="zh-CN")
    public.goto(f"{live_server.url}/public/o/{world.branch_a.code}/?year={round_.year}")
    public.wait_for_selector("#commendations")
    assert "赵党员" in public.inner_text("body")
    assert not (errors + branch_errors + gb_errors + phone_errors)
