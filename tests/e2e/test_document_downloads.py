"""In Chromium: an officer on a print page clicks 下载 Word and 下载 PDF and gets the files;
the print bar keeps its buttons on a phone without sideways scrolling."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.posts import services
from tests.e2e.conftest import browser, shot  # noqa: F401  (fixtures)
from tests.posts.test_views import AREAS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(browser, live_server, user, viewport):  # noqa: F811
    user.set_password("Secret-2026")
    user.save()
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Secret-2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def test_downloads_from_the_print_bar(world, live_server, browser, shot):  # noqa: F811
    year = timezone.localdate().year
    commitment = services.commitment_create(actor=world.member_user, year=year, **AREAS)
    url = live_server.url + reverse("posts:commitment_print", args=[commitment.pk])
    page = _login(browser, live_server, world.secretary_a, {"width": 1366, "height": 900})
    page.goto(url)
    shot(page, "documents-print-bar")
    with page.expect_download() as word:
        page.click("a[data-document=docx]")
    assert word.value.suggested_filename.endswith(f"（赵党员 {year}年）.docx")
    with open(word.value.path(), "rb") as f:
        assert f.read(2) == b"PK"
    with page.expect_download() as pdf:
        page.click("a[data-document=pdf]")
    assert pdf.value.suggested_filename.endswith(".pdf")
    with open(pdf.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"

    phone = _login(browser, live_server, world.secretary_a, {"width": 390, "height": 844})
    phone.goto(url)
    assert phone.locator("a[data-document=pdf]").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    shot(phone, "documents-print-bar-phone")
