"""The officers' pages of the column by role, bad input kept, the print page and query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.column import services
from dangjian.column.models import Article, ArticleState
from tests.column.conftest import draft, published, submitted
from tests.core import upload_samples as samples
from tests.harness import assert_max_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db

OFFICERS = {"officer": 200, "gb_officer": 200, "org_officer": 200, "anonymous": 302}


def _url(name, *args):
    return reverse(f"column:{name}", args=args)


def test_lists_by_role(as_role, world):
    draft(world)
    for name in ("article_list", "article_export", "review_list"):
        assert_role_matrix(as_role, _url(name), {**OFFICERS, "other_officer": 200, "member": 403})
    assert_role_matrix(as_role, _url("article_create"), {"officer": 200, "member": 403})
    assert_role_matrix(as_role, _url("from_summary"), {"officer": 200, "member": 403})


def test_the_list_links_to_publishing_a_summary(as_role, world):
    page = as_role("officer").get(_url("article_list")).content.decode()
    assert f'href="{_url("from_summary")}"' in page


def test_an_articles_pages_by_role(as_role, world):
    article = draft(world)
    mine = {**OFFICERS, "other_officer": 404, "member": 403}
    for name in ("article_detail", "article_print", "article_edit", "photo_add", "attachment_add"):
        assert_role_matrix(as_role, _url(name, article.pk), mine)
    assert_role_matrix(
        as_role,
        _url("article_submit", article.pk),
        {"officer": 302, "other_officer": 404, "member": 403, "anonymous": 302},
        method="post",
    )


def test_review_steps_by_role(as_role, world):
    article = submitted(world)
    # The author's own branch is refused with the rule; the level above approves.
    responses = assert_role_matrix(
        as_role,
        _url("article_approve", article.pk),
        {
            "officer": 403,
            "gb_officer": 302,
            "org_officer": 302,
            "other_officer": 404,
            "member": 403,
            "anonymous": 302,
        },
        method="post",
        data={"note": ""},
    )
    assert "本组织不能审核自己的稿件" in responses["officer"].content.decode()
    assert_role_matrix(
        as_role,
        _url("article_return", article.pk),
        {"officer": 403, "gb_officer": 302, "other_officer": 404, "member": 403},
        method="post",
        data={"note": "请补充"},
    )
    live = published(world, title="已发布稿件")
    assert_role_matrix(
        as_role,
        _url("article_withdraw", live.pk),
        {"officer": 302, "gb_officer": 302, "other_officer": 404, "member": 403},
        method="post",
        data={"note": "有误"},
    )


def test_the_review_queue_holds_what_is_below(as_role, world):
    article = submitted(world)
    assert article.title in as_role("gb_officer").get(_url("review_list")).content.decode()
    assert article.title not in as_role("officer").get(_url("review_list")).content.decode()
    assert article.title not in as_role("other_officer").get(_url("review_list")).content.decode()


def test_detail_shows_the_steps_each_may_take(as_role, world):
    article = submitted(world)
    page = as_role("gb_officer").get(_url("article_detail", article.pk)).content.decode()
    assert 'id="approve-article"' in page and 'id="withdraw-article"' in page
    page = as_role("officer").get(_url("article_detail", article.pk)).content.decode()
    assert 'id="approve-article"' not in page and 'id="withdraw-article"' in page


def test_bad_input_is_kept_and_named(as_role, world):
    client = as_role("officer")
    data = {
        "organisation": world.branch_a.pk,
        "column": "briefing",
        "year": 2026,
        "title": "题" * 81,
        "body": "正文保留",
    }
    response = client.post(_url("article_create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "正文保留" in page
    assert "80" in page and not Article.objects.exists()
    response = client.post(_url("article_create"), {**data, "title": "标题", "column": "x"})
    assert response.status_code == 200 and "正文保留" in response.content.decode()
    response = client.post(_url("article_create"), {**data, "title": "标题"})
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(
        "article_detail", article.pk
    )


def test_a_return_without_reason_is_refused_on_the_page(as_role, world):
    article = submitted(world)
    client = as_role("gb_officer")
    response = client.post(_url("article_return", article.pk), {"note": ""}, follow=True)
    assert "请填写退回原因" in response.content.decode()
    assert Article.objects.get(pk=article.pk).state == ArticleState.SUBMITTED


def test_uploads_refused_by_the_policy(as_role, world, media):
    article = draft(world)
    client = as_role("officer")
    bad = SimpleUploadedFile("照片.png", samples.HTML)
    response = client.post(_url("photo_add", article.pk), {"file": bad, "caption": "合影"})
    page = response.content.decode()
    assert response.status_code == 200 and "合影" in page and not article.photos.exists()
    pdf = SimpleUploadedFile("报告.pdf", samples.pdf_bytes())
    response = client.post(_url("photo_add", article.pk), {"file": pdf})
    assert response.status_code == 200 and not article.photos.exists()
    png = SimpleUploadedFile("照片.png", samples.png_bytes())
    response = client.post(_url("photo_add", article.pk), {"file": png, "caption": "合影"})
    assert response.status_code == 302 and article.photos.get().caption == "合影"
    pdf = SimpleUploadedFile("报告.pdf", samples.pdf_bytes())
    response = client.post(_url("attachment_add", article.pk), {"file": pdf})
    assert response.status_code == 302 and article.attachments.get().file_name == "报告.pdf"


def test_a_drafts_files_are_served_only_in_scope(as_role, world, media):
    article = draft(world)
    png = SimpleUploadedFile("照片.png", samples.png_bytes())
    photo = services.photo_add(actor=world.secretary_a, article=article, file=png)
    url = photo.file.url
    assert_role_matrix(
        as_role,
        url,
        {"officer": 200, "gb_officer": 200, "other_officer": 404, "member": 404, "anonymous": 302},
    )
    public = reverse("public:column_file", args=["photo", photo.pk])
    assert as_role("anonymous").get(public).status_code == 404


def test_the_print_page(as_role, world):
    article = services.article_return(
        actor=world.gb_secretary_a, article=submitted(world), note="请补充图片"
    )
    page = as_role("officer").get(_url("article_print", article.pk)).content.decode()
    assert "工作专栏稿件审核单" in page and "请补充图片" in page and "全体党员重温入党誓词" in page


def test_list_query_count_does_not_grow(as_role, world):
    client = as_role("gb_officer")
    draft(world)
    with capture_queries() as few:
        assert client.get(_url("article_list")).status_code == 200
    for i in range(15):
        draft(world, title=f"稿件{i}")
        submitted(world, title=f"待审{i}")
    with assert_max_queries(few):
        assert client.get(_url("article_list")).status_code == 200
    with capture_queries() as review:
        client.get(_url("review_list"))
    submitted(world, title="又一篇")
    with assert_max_queries(review):
        client.get(_url("review_list"))


def test_global_search_finds_articles_in_scope(as_role, world):
    article = draft(world, title="读书分享会简报")
    found = as_role("gb_officer").get("/search/", {"q": "读书分享"}).content.decode()
    assert article.title in found and _url("article_detail", article.pk) in found
    assert (
        article.title
        not in as_role("other_officer").get("/search/", {"q": "读书"}).content.decode()
    )
