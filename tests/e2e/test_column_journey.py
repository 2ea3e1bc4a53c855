"""The work column in Chromium: a branch secretary writes a briefing with a photo and submits
it, the general branch secretary (the level above) approves it from the review queue, the public
column shows it without a login (desktop and phone), and the branch withdraws it: gone from the
public site."""

import pytest

from dangjian.column.models import Article, ArticleState
from dangjian.core.models import Reminder
from tests.core import upload_samples as samples

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
TITLE = "机关一支部开展“重温入党誓词”主题党日活动"


def login(browser, live_server, user, viewport=DESK):
    user.set_password(PASSWORD)
    user.save()
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    page.on("dialog", lambda d: d.accept())
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def test_draft_review_publish_withdraw(world, live_server, browser, shot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The branch writes a briefing and adds a photo.
    author = login(browser, live_server, world.secretary_a)
    author.goto(live_server.url + "/column/article/new/")
    author.select_option("#id_column", "briefing")
    author.fill("#id_title", TITLE)
    author.fill("#id_body", "全体党员面向党旗重温入党誓词。\n支部书记结合岗位实际作交流发言。")
    author.click("button:has-text('保存')")
    author.wait_for_selector("#article-state:has-text('草稿')")
    article = Article.objects.get(title=TITLE)
    author.click("a:has-text('上传图片')")
    author.set_input_files(
        "#id_file", {"name": "合影.png", "mimeType": "image/png", "buffer": samples.png_bytes()}
    )
    author.fill("#id_caption", "全体党员重温入党誓词")
    author.click("button:has-text('上传')")
    author.wait_for_selector("img.dj-column-thumb")
    author.click("#submit-article")
    author.wait_for_selector("#article-state:has-text('待审核')")
    shot(author, "column-1-submitted")
    assert Article.objects.get(pk=article.pk).state == ArticleState.SUBMITTED
    assert Reminder.objects.filter(person=world.gb_secretary_a.person).exists()

    # The public does not see it yet.
    public = browser.new_page(viewport=DESK, locale="zh-CN")
    public.goto(live_server.url + "/public/column/")
    assert TITLE not in public.content()

    # The level above approves it from its review queue.
    reviewer = login(browser, live_server, world.gb_secretary_a)
    reviewer.goto(live_server.url + "/column/review/")
    reviewer.click(f"a:has-text('{TITLE}')")
    reviewer.fill("#approve-note", "同意发布。")
    reviewer.click("#approve-article")
    reviewer.wait_for_selector("#article-state:has-text('已发布')")
    shot(reviewer, "column-2-approved")

    # Published on the public column, on a desktop and on a phone.
    public.goto(live_server.url + "/public/column/")
    public.click(f"text={TITLE}")
    public.wait_for_selector("#article-title")
    assert public.locator("img.pc-photo").count() == 1
    # The photo is lazy-loaded: wait for it to arrive rather than read it once.
    public.wait_for_function(
        "() => { const i = document.querySelector('img.pc-photo');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    shot(public, "column-3-public-desktop")
    phone = browser.new_page(viewport=PHONE, locale="zh-CN")
    phone.goto(live_server.url + "/public/column/")
    assert TITLE in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "column-4-public-phone")
    phone.click(f"text={TITLE}")
    phone.wait_for_selector("#article-title")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "column-5-public-article-phone")
    article_url = phone.url

    # The branch withdraws it: gone from the public site.
    author.fill("#withdraw-note", "活动时间有误，更正后重新报送。")
    author.click("#withdraw-article")
    author.wait_for_selector("#article-state:has-text('已撤回')")
    response = public.goto(article_url)
    assert response.status == 404
    public.goto(live_server.url + "/public/column/")
    assert TITLE not in public.content()
    assert Article.objects.get(pk=article.pk).state == ArticleState.WITHDRAWN
