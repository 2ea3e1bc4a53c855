"""The public column (no login): published articles only, withdrawn gone, no personal data,
escaped text, cacheable, keyset pages; and its API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.column import services
from tests.column.conftest import draft, published, submitted
from tests.core import upload_samples as samples
from tests.harness import assert_max_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db

INDEX = reverse("public:column_index")
API = "/api/v1/public/column/"
EVERYONE = {"officer": 200, "other_officer": 200, "member": 200, "anonymous": 200}


def _article_url(article):
    return reverse("public:column_article", args=[article.pk])


def test_the_public_sees_approved_articles_only(as_role, world):
    live = published(world, title="已审核的简报")
    waiting = submitted(world, title="待审核的简报")
    private = draft(world, title="草稿简报")
    responses = assert_role_matrix(as_role, INDEX, EVERYONE)
    page = responses["anonymous"].content.decode()
    assert live.title in page and waiting.title not in page and private.title not in page
    assert_role_matrix(as_role, _article_url(live), EVERYONE)
    for hidden in (waiting, private):
        assert_role_matrix(as_role, _article_url(hidden), {"anonymous": 404, "officer": 404})


def test_a_withdrawn_article_is_gone(client, world):
    live = published(world, title="将要撤回的简报")
    assert client.get(_article_url(live)).status_code == 200
    services.article_withdraw(actor=world.secretary_a, article=live, note="内容有误")
    assert client.get(_article_url(live)).status_code == 404
    assert live.title not in client.get(INDEX).content.decode()
    assert client.get(f"{API}{live.pk}/").status_code == 404


def test_no_personal_data_and_no_markup(client, world):
    live = published(world, body="活动报道<script>alert(1)</script>\n第二段")
    page = client.get(_article_url(live)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    for name in ("张书记", "王总支书记"):  # the writer and the reviewer
        assert name not in page
    data = client.get(f"{API}{live.pk}/").json()
    assert set(data) == {
        "id",
        "column",
        "column_label",
        "year",
        "title",
        "excerpt",
        "organisation",
        "organisation_code",
        "published_at",
        "body",
        "photos",
        "attachments",
    }


def test_public_pages_are_cacheable_for_anonymous_visitors(as_role, world):
    live = published(world)
    for url in (INDEX, _article_url(live)):
        response = as_role("anonymous").get(url)
        cache_control = response["Cache-Control"]
        assert "public" in cache_control and "s-maxage=300" in cache_control
        # Browsers revalidate: the same page again is a 304.
        again = as_role("anonymous").get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        # A signed-in visitor's copy is never stored (it carries their session).
        assert as_role("officer").get(url)["Cache-Control"] == "no-store, private"


def test_by_column_and_organisation(client, world):
    briefing = published(world, title="支部简报")
    org_year = published(world, title="组织建设年报道", column="org_year")
    # branch_b's article is approved by the department (its general branch has no officers).
    other = published(
        world,
        reviewer=world.org_officer,
        actor=world.secretary_b,
        org=world.branch_b,
        title="学生支部新闻",
        column="news",
    )
    page = client.get(INDEX, {"column": "org_year"}).content.decode()
    assert org_year.title in page and briefing.title not in page
    page = client.get(INDEX, {"org": world.gb_a.code}).content.decode()
    assert briefing.title in page and org_year.title in page and other.title not in page
    assert client.get(INDEX, {"column": "bogus"}).status_code == 200
    assert client.get(API, {"column": "bogus"}).status_code == 400
    assert client.get(API, {"org": "NOPE"}).status_code == 400
    titles = [a["title"] for a in client.get(API, {"column": "news"}).json()["results"]]
    assert titles == [other.title]


def test_photos_of_published_articles_are_public(client, world, media):
    article = draft(world)
    png = SimpleUploadedFile("合影.png", samples.png_bytes())
    photo = services.photo_add(actor=world.secretary_a, article=article, file=png, caption="合影")
    url = reverse("public:column_file", args=["photo", photo.pk])
    assert client.get(url).status_code == 404
    services.article_submit(actor=world.secretary_a, article=article)
    services.article_approve(actor=world.gb_secretary_a, article=article)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert url in client.get(_article_url(article)).content.decode()
    for other in ("attachment", "other"):
        assert client.get(reverse("public:column_file", args=[other, photo.pk])).status_code == 404
    services.article_withdraw(actor=world.secretary_a, article=article, note="撤回")
    assert client.get(url).status_code == 404


def test_pages_keep_their_query_count(client, world, media):
    published(world, title="第一篇")
    with capture_queries() as few:
        assert client.get(INDEX).status_code == 200
    for i in range(25):
        article = draft(world, title=f"第{i}篇")
        png = SimpleUploadedFile("p.png", samples.png_bytes())
        services.photo_add(actor=world.secretary_a, article=article, file=png)
        services.article_submit(actor=world.secretary_a, article=article)
        services.article_approve(actor=world.gb_secretary_a, article=article)
    with assert_max_queries(few):
        response = client.get(INDEX)
    assert "下一页" in response.content.decode()
    with assert_max_queries(6):
        assert client.get(API).status_code == 200


def test_an_organisations_board_links_to_its_column(client, world):
    page = client.get(reverse("public:board", args=[world.branch_a.code])).content.decode()
    assert f"{INDEX}?org={world.branch_a.code}" in page


def test_a_response_that_sets_a_cookie_is_never_shared(rf):
    """A page marked public_cache that sets a cookie (a session, a CSRF token, a flash message
    cleared) must not go to a shared cache: the next visitor would get the cookie."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from dangjian.core.middleware_security import SecurityHeadersMiddleware

    def view(request, cookie):
        response = HttpResponse("专栏")
        response["Cache-Control"] = "public, max-age=0, s-maxage=300"
        response.public_cache = True
        if cookie:
            response.set_cookie("sessionid", "abc")
        return response

    for cookie, expected in (
        (False, "public, max-age=0, s-maxage=300"),
        (True, "no-store, private"),
    ):
        request = rf.get(INDEX)
        request.user = AnonymousUser()
        response = SecurityHeadersMiddleware(lambda r, c=cookie: view(r, c))(request)
        assert response["Cache-Control"] == expected


def test_photos_lose_their_metadata_before_they_can_go_public(world, media):
    """A phone's photo carries where and when it was taken (EXIF GPS) and the camera: the
    public column must not publish that. The picture keeps its orientation."""
    import io
    from pathlib import Path

    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 26.0), 3: "E", 4: (116.0, 23.0, 29.0)}  # GPS
    buf = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buf, "JPEG", exif=exif)
    article = draft(world)
    photo = services.photo_add(
        actor=world.secretary_a,
        article=article,
        file=SimpleUploadedFile("活动.jpg", buf.getvalue()),
        caption="合影",
    )
    with Image.open(photo.file.path) as stored:
        assert not dict(stored.getexif())
        assert stored.size == (20, 40)  # turned upright, not left sideways
        assert b"PhoneMaker" not in Path(photo.file.path).read_bytes()
    assert photo.file_name == "活动.jpg"
