"""The API of notices by role, with 400 field errors for bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.notices.models import Notice, NoticeRead, NoticeState
from tests.harness import assert_max_queries, assert_role_matrix
from tests.notices.conftest import draft, published
from tests.notices.test_pages import docx

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notices/notices/"
MINE = "/api/v1/notices/mine/"


@pytest.fixture
def branch_notice(world):
    return published(world, actor=world.secretary_a, org=world.branch_a, receipt_required=True)


def test_officer_endpoints_by_role(api_as_role, world, branch_notice):
    pending = draft(world, actor=world.secretary_a, org=world.branch_a)
    assert_role_matrix(api_as_role, BASE, {"officer": 200, "member": 200, "anonymous": (401, 403)})
    assert_role_matrix(
        api_as_role,
        f"{BASE}{branch_notice.pk}/",
        {"officer": 200, "gb_officer": 200, "other_officer": 404, "member": 404},
    )
    assert_role_matrix(
        api_as_role,
        f"{BASE}{pending.pk}/publish/",
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": (401, 403)},
        method="post",
    )
    assert_role_matrix(
        api_as_role,
        f"{BASE}{branch_notice.pk}/withdraw/",
        {"officer": 200, "other_officer": 404, "member": 403},
        method="post",
    )
    assert_role_matrix(
        api_as_role,
        f"{BASE}{pending.pk}/",
        {"officer": 204, "other_officer": 404, "member": 403},
        method="delete",
    )


def test_a_member_lists_nothing_in_the_register(api_as_role, world, branch_notice):
    assert api_as_role("member").get(BASE).json()["results"] == []
    assert len(api_as_role("officer").get(BASE).json()["results"]) == 1


def test_create_with_field_errors_then_publish(api_as_role, world):
    client = api_as_role("officer")
    response = client.post(
        BASE,
        {"organisation": world.branch_b.pk, "title": "", "body": "x", "deadline": "明天"},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert {"organisation", "title", "deadline"} <= set(errors)
    response = client.post(
        BASE,
        {"organisation": world.branch_a.pk, "audience": "members", "title": "通知", "body": "正文"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["state"] == "draft"
    response = client.post(f"{BASE}{pk}/attachments/", {"file": docx()}, format="multipart")
    assert response.status_code == 201 and response.json()["name"] == "安排.docx"
    bad = SimpleUploadedFile("a.exe", b"MZ\x90\x00")
    response = client.post(f"{BASE}{pk}/attachments/", {"file": bad}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    response = client.post(f"{BASE}{pk}/publish/")
    assert response.status_code == 200 and response.json()["state"] == "published"
    response = client.post(f"{BASE}{pk}/publish/")
    assert response.status_code == 400 and "只有草稿可以发布" in str(response.json())
    response = client.patch(f"{BASE}{pk}/", {"title": "改"}, format="json")
    assert response.status_code == 400
    assert Notice.objects.get(pk=pk).state == NoticeState.PUBLISHED


def test_my_notices_read_confirm_and_read_all(api_as_role, world, branch_notice):
    assert_role_matrix(
        api_as_role,
        MINE,
        {"officer": 200, "other_officer": 200, "member": 200, "anonymous": (401, 403)},
    )
    assert_role_matrix(
        api_as_role,
        f"{MINE}{branch_notice.pk}/",
        {"officer": 200, "member": 200, "other_officer": 404, "anonymous": (401, 403)},
    )
    client = api_as_role("member")
    rows = client.get(MINE).json()["results"]
    assert [r["is_read"] for r in rows] == [False]
    body = client.get(f"{MINE}{branch_notice.pk}/").json()
    assert body["is_read"] is True and body["is_confirmed"] is False
    response = client.post(f"{MINE}{branch_notice.pk}/confirm/")
    assert response.status_code == 200 and response.json()["is_confirmed"] is True
    assert NoticeRead.objects.filter(person=world.member_a, confirmed_at__isnull=False).exists()
    published(world, actor=world.secretary_a, org=world.branch_a, title="第二条")
    response = client.post(f"{MINE}read-all/")
    assert response.json() == {"marked": 1}
    assert client.get(MINE, {"unread": "true"}).json()["results"] == []
    response = client.get(MINE, {"unread": "maybe"})
    assert response.status_code == 400 and "unread" in response.json()
    plain = published(world, actor=world.secretary_a, org=world.branch_a, title="无需回执")
    response = client.post(f"{MINE}{plain.pk}/confirm/")
    assert response.status_code == 400 and "不需要回执" in str(response.json())


def test_my_notices_api_does_not_grow_with_rows(api_as_role, world):
    client = api_as_role("member")
    for n in range(6):
        published(world, title=f"通知{n}")
    with assert_max_queries(12):
        assert len(client.get(MINE).json()["results"]) == 6
