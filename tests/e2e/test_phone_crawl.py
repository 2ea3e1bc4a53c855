"""Every page fits a 390 px phone: as the organisation department, a branch secretary and a
member, Chromium follows the same-site links from the home page (breadth first, bounded) and
measures each page — no page wider than the screen, no 5xx, no link to a refusal. Pages added
later are walked without being listed. Each kind of page is opened once (its path with the
numbers taken out, and the names of its query parameters), so the walk reaches every page a
role can get to instead of the first hundred rows of one list."""

import io
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from tests.core.test_csp_pages import SKIP

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    # As every live-server test here: the flush after it restores the migrated rows (content
    # types) instead of re-creating them, which the next such test's restore would collide with.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
PAGES_PER_USER = 600  # a bound, not a sample: the demo's roles reach fewer kinds of page
PASSWORD = "demo-2026"


def _load_demo():
    """The demo institution, loaded in the test (a transactional test: committed, so the live
    server sees it; flushed and restored afterwards like every live-server test)."""
    from dangjian.core.models import User

    call_command("load_demo", people=300, stdout=io.StringIO())
    for user in User.objects.filter(username__in=["zuzhibu", "zhibu", "dangyuan"]):
        user.set_password(PASSWORD)
        user.save()


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        href = urldefrag(href)[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if SKIP.search(parts.path):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _kind(url: str) -> str:
    """The kind of page: /orglife/meetings/12/?kind=x&page=2 → /orglife/meetings/N/?kind&page."""
    parts = urlsplit(url)
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(names) if names else "")


def test_every_page_fits_a_phone(live_server, browser):  # noqa: F811
    # One test for the three roles: the live server's database is emptied after each test.
    _load_demo()
    for username, at_least in (("zuzhibu", 60), ("zhibu", 40), ("dangyuan", 10)):
        _crawl(browser, live_server, username, at_least)


def _crawl(browser, live_server, username, at_least):
    page = browser.new_page(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.url == live_server.url + "/", page.inner_text("main")[:300]
    seen, queue, visited = set(), deque([("/", "")]), 0
    wide, errors, refusals = [], [], []
    while queue and visited < PAGES_PER_USER:
        url, came_from = queue.popleft()
        if _kind(url) in seen:
            continue
        seen.add(_kind(url))
        try:
            response = page.goto(live_server.url + url)
        except PlaywrightError as error:  # a file (an import template): not a page
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if response.status >= 500:
            errors.append(f"{response.status} {url} (from {came_from})")
            continue
        if response.status == 403:
            refusals.append(f"{url} (linked from {came_from})")
            continue
        if response.status != 200:
            continue
        visited += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"{url}: {width} px")
        queue.extend((link, url) for link in _links(page) if _kind(link) not in seen)
    page.close()
    assert not errors, (username, errors)
    assert not refusals, (username, refusals)
    assert not wide, (username, wide)
    assert visited >= at_least, (username, visited)
    print(f"{username}: {visited} kinds of page at 390 px")
