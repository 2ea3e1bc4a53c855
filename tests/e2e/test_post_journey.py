"""The “168” journey of one post, in Chromium: a member claims it and records a duty activity
on a phone, the general branch confirms it and the branch publishes it, the branch secretary
checks the month's records, and the public board (no login) shows the post."""

from datetime import date

import pytest
from django.utils import timezone

from dangjian.posts import services
from dangjian.posts.models import DutyRecord, Post, PostType
from tests.factories import make_id_number

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 860}


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


def test_claim_record_check_and_publish_a_post(world, live_server, browser, shot):
    world.member_a.phone = "13912345678"
    world.member_a.id_number = make_id_number(date(1990, 5, 17), 7)
    world.member_a.save()
    post = services.post_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        post_type=PostType.objects.get(name="党建工作岗", organisation=None),
        year=timezone.localdate().year,
    )

    # The member claims the post on a phone.
    phone = login(browser, live_server, world.member_user, PHONE)
    phone.goto(live_server.url + "/posts/my/")
    phone.click("button:has-text('认领')")
    phone.wait_for_selector("text=已认岗，等待党总支定岗")
    shot(phone, "journey-1-member-claims-phone")
    assert Post.objects.get(pk=post.pk).holder == world.member_a

    # The general branch confirms (定岗); the branch publishes (明岗).
    desk = login(browser, live_server, world.gb_secretary_a, DESK)
    desk.goto(f"{live_server.url}/posts/{post.pk}/")
    desk.click("button[data-action=confirm]")
    desk.wait_for_selector("text=已定岗")
    desk.close()
    desk = login(browser, live_server, world.secretary_a, DESK)
    desk.goto(f"{live_server.url}/posts/{post.pk}/")
    desk.click("button[data-action=publish]")
    desk.wait_for_selector("text=已明岗公示")
    assert Post.objects.get(pk=post.pk).state == "published"

    # The member records a duty activity on the phone; the post is now being performed.
    phone.goto(live_server.url + "/posts/duty/new/")
    assert phone.locator("#id_content").bounding_box()["width"] > 300  # one column
    phone.fill("#id_place", "学生公寓3号楼")
    phone.fill("#id_content", "开展政策宣传，讲解资助政策并解答学生疑问")
    phone.fill("#id_effect", "覆盖学生60余人")
    shot(phone, "journey-2-duty-record-phone")
    phone.click("button:has-text('保存')")
    phone.wait_for_url("**/posts/duty/mine/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "journey-3-my-records-phone")
    record = DutyRecord.objects.get(person=world.member_a)
    assert record.post_id == post.pk and Post.objects.get(pk=post.pk).state == "performing"

    # The branch secretary checks this month's records.
    desk.goto(live_server.url + "/posts/checks/monthly/new/")
    desk.fill("#id_organisation", "机关一")  # a type-ahead: type, then pick
    desk.click(".dj-typeahead-menu.show >> text=机关一支部")
    desk.fill("#id_findings", "记实及时完整，内容具体。")
    shot(desk, "journey-4-monthly-check")
    desk.click("button:has-text('保存')")
    desk.wait_for_url("**/posts/checks/")
    record.refresh_from_db()
    assert record.duty_check is not None
    desk.goto(live_server.url + "/posts/duty/")
    assert "已检查" in desk.locator("main").inner_text()
    shot(desk, "journey-5-duty-records-checked")
    desk.close()

    # The public board shows the post and its holder — and nothing private.
    board = browser.new_page(viewport=DESK, locale="zh-CN")
    board.goto(f"{live_server.url}/public/o/{world.branch_a.code}/")
    text = board.locator("body").inner_text()
    assert "党建工作岗" in text and world.member_a.name in text
    assert "13912345678" not in board.content() and world.member_a.id_number not in board.content()
    shot(board, "journey-6-public-board")
    board.close()
    phone.close()
