"""The officers' API of the column by role, its steps, and 400 field errors for bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.column.models import Article, ArticleState
from tests.column.conftest import draft, published, submitted
from tests.core import upload_samples as samples
from tests.harness import assert_role_matrix

pytestmark = pytest.mark.django_db

BASE = "/api/v1/column/articles/"


def test_endpoints_by_role(api_as_role, world):
    article = draft(world)
    assert_role_matrix(api_as_role, BASE, {"officer": 200, "member": 200, "anonymous": (401, 403)})
    assert_role_matrix(
        api_as_role,
        f"{BASE}{article.pk}/",
        {"officer": 200, "gb_officer": 200, "other_officer": 404, "member": 404},
    )
    assert_role_matrix(
        api_as_role,
        f"{BASE}{article.pk}/submit/",
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": (401, 403)},
        method="post",
    )
    waiting = submitted(world)
    assert_role_matrix(
        api_as_role,
        f"{BASE}{waiting.pk}/approve/",
        {"officer": 403, "gb_officer": 200, "other_officer": 404, "member": 403},
        method="post",
        data={},
        format="json",
    )
    assert_role_matrix(
        api_as_role,
        f"{BASE}{waiting.pk}/return/",
        {"officer": 403, "gb_officer": 200, "other_officer": 404},
        method="post",
        data={"note": "补充"},
        format="json",
    )
    live = published(world, title="已发布")
    assert_role_matrix(
        api_as_role,
        f"{BASE}{live.pk}/withdraw/",
        {"officer": 200, "gb_officer": 200, "other_officer": 404, "member": 403},
        method="post",
        data={"note": "有误"},
        format="json",
    )


def test_the_whole_review_through_the_api(api_as_role, world):
    author, reviewer = api_as_role("officer"), api_as_role("gb_officer")
    data = {
        "organisation": world.branch_a.pk,
        "column": "org_year",
        "year": 2026,
        "title": "基层组织建设年活动简报",
        "body": "第一段\n第二段",
    }
    response = author.post(BASE, data, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert author.post(f"{BASE}{pk}/submit/").json()["state"] == "submitted"
    assert reviewer.post(f"{BASE}{pk}/approve/", {}, format="json").json()["state"] == "published"
    assert api_as_role("anonymous").get(f"/api/v1/public/column/{pk}/").status_code == 200


def test_bad_input_is_400_with_fields(api_as_role, world, media):
    client = api_as_role("officer")
    data = {
        "organisation": world.branch_a.pk,
        "column": "nope",
        "year": 2026,
        "title": "题" * 81,
        "body": "",
    }
    response = client.post(BASE, data, format="json")
    assert response.status_code == 400
    assert {"column", "title", "body"} <= set(response.json())
    article = draft(world)
    response = client.post(
        f"{BASE}{article.pk}/photos/",
        {"file": SimpleUploadedFile("x.png", samples.SVG)},
        format="multipart",
    )
    assert response.status_code == 400 and "file" in response.json()
    response = client.post(
        f"{BASE}{article.pk}/photos/",
        {"file": SimpleUploadedFile("x.png", samples.png_bytes()), "caption": "说明"},
        format="multipart",
    )
    assert response.status_code == 201
    waiting = submitted(world, title="待审")
    response = api_as_role("gb_officer").post(
        f"{BASE}{waiting.pk}/return/", {"note": ""}, format="json"
    )
    assert response.status_code == 400 and "note" in response.json()
    response = api_as_role("gb_officer").post(
        f"{BASE}{waiting.pk}/approve/", {"note": "意" * 501}, format="json"
    )
    assert response.status_code == 400 and "note" in response.json()
    assert Article.objects.get(pk=waiting.pk).state == ArticleState.SUBMITTED
    response = client.post(f"{BASE}from-summary/", {"summary": 999999}, format="json")
    assert response.status_code == 400 and "summary" in response.json()
