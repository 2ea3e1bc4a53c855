"""The suggestion box without login: form, abuse limits, tracking code, tracking lookup."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.core.models import AuditEvent
from dangjian.public import rules
from dangjian.public.models import Suggestion
from tests.public.conftest import make_suggestion

pytestmark = pytest.mark.django_db

URL = "/public/o/BA/suggest/"
API = "/api/v1/public/suggestions/"


def post(client, addr="10.0.0.1", **data):
    payload = {"name": "", "contact": "", "category": "teaching", "content": "建议增加自习室"}
    payload.update(data)
    return client.post(URL, payload, REMOTE_ADDR=addr)


def test_form_opens_without_login(world, as_user):
    response = as_user(None).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="website"' in html  # the honeypot is there, hidden
    assert "机关一支部" in html


def test_anonymous_submission_gives_tracking_code(world, as_user):
    client = as_user(None)
    response = post(client, content="  食堂窗口太少  ")
    assert response.status_code == 302
    assert response["Location"] == reverse("public:suggest_done", args=["BA"])
    s = Suggestion.objects.get()
    assert s.organisation == world.branch_a
    assert s.name == "" and s.content == "食堂窗口太少" and s.category == "teaching"
    assert s.status == "received"
    assert rules.tracking_code_valid(s.tracking_code)
    # Only a keyed hash of the address is stored.
    assert s.client_hash == rules.client_hash(settings.SECRET_KEY, "10.0.0.1")
    assert "10.0.0.1" not in s.client_hash
    done = client.get(response["Location"])
    html = done.content.decode()
    assert rules.format_code(s.tracking_code) in html
    assert "保存" in html
    assert AuditEvent.objects.filter(object_id=s.pk, action="create").exists()


def test_tracking_codes_are_unique_and_unambiguous(world):
    from dangjian.public import services

    codes = {services._new_tracking_code() for _ in range(300)}
    assert len(codes) == 300
    assert all(rules.tracking_code_valid(c) for c in codes)


def test_done_page_without_a_submission_goes_back_to_the_form(world, as_user):
    response = as_user(None).get(reverse("public:suggest_done", args=["BA"]))
    assert response.status_code == 302


def test_named_submission_keeps_name_and_contact(world, as_user):
    post(as_user(None), name="王五", contact="wang@example.com")
    s = Suggestion.objects.get()
    assert (s.name, s.contact) == ("王五", "wang@example.com")


# 《168模式实施意见》§五(二): the box is open to everyone — limits keep it usable.
def test_content_2000_accepted_2001_refused_keeping_input(world, as_user):
    client = as_user(None)
    assert post(client, content="意" * 2000).status_code == 302
    response = post(client, content="意" * 2001, name="保留的姓名")
    assert response.status_code == 200
    html = response.content.decode()
    assert "不能超过2000字" in html
    assert "保留的姓名" in html  # what was typed is kept
    assert Suggestion.objects.count() == 1


def test_empty_content_refused(world, as_user):
    response = post(as_user(None), content="")
    assert response.status_code == 200
    assert "请填写意见建议内容。" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_honeypot_filled_is_refused(world, as_user):
    response = post(as_user(None), website="http://spam.example")
    assert response.status_code == 200
    assert rules.HONEYPOT_REFUSED in response.content.decode()
    assert not Suggestion.objects.exists()


def test_rate_limit_fifth_accepted_sixth_refused(world, as_user):
    client = as_user(None)
    for i in range(5):
        assert post(client, content=f"第{i + 1}条").status_code == 302
    response = post(client, content="第6条")
    assert response.status_code == 200
    assert "每1小时最多提交5条意见建议" in response.content.decode()
    assert "第6条" in response.content.decode()  # kept
    assert Suggestion.objects.count() == 5
    # Another address is not affected.
    assert post(client, addr="10.0.0.2", content="别处").status_code == 302


def test_rate_limit_counts_only_the_window(world, as_user, monkeypatch):
    client = as_user(None)
    for i in range(5):
        post(client, content=f"第{i + 1}条")
    assert post(client, content="第6条").status_code == 200  # refused
    later = timezone.now() + timedelta(seconds=3601)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert post(client, content="一小时后").status_code == 302


def test_rate_limit_is_configurable(world, as_user, settings):
    settings.SUGGESTION_RATE_LIMIT = 2
    settings.SUGGESTION_RATE_WINDOW_SECONDS = 600
    client = as_user(None)
    assert post(client, content="1").status_code == 302
    assert post(client, content="2").status_code == 302
    response = post(client, content="3")
    assert "每10分钟最多提交2条意见建议" in response.content.decode()


def test_suggest_to_unknown_or_group_org_is_404(world, as_user):
    client = as_user(None)
    assert client.get("/public/o/NOPE/suggest/").status_code == 404
    assert client.post("/public/o/GRA/suggest/", {"content": "x"}).status_code == 404


# --- Tracking ------------------------------------------------------------------------------


def test_track_shows_status_and_own_private_reply(world, as_user):
    s = make_suggestion(
        world.branch_a,
        status="answered",
        reply="私下答复内容",
        reply_public=False,
        replied_on=timezone.localdate(),
        name="不显示的姓名",
        contact="不显示的联系方式",
    )
    response = as_user(None).get(reverse("public:track"), {"code": s.tracking_code.lower()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "已答复" in html and "私下答复内容" in html
    assert "不显示的姓名" not in html and "不显示的联系方式" not in html


def test_track_before_reply_shows_status_only(world, as_user):
    s = make_suggestion(world.branch_a, status="assigned", assigned_to=world.member_a)
    html = as_user(None).get(reverse("public:track"), {"code": s.tracking_code}).content.decode()
    assert "办理中" in html and "赵党员" not in html


@pytest.mark.parametrize("code", ["NOPE", "ABCDEFGHJK", "<script>", "0" * 10])
def test_track_invalid_code_is_a_friendly_message(world, as_user, code):
    response = as_user(None).get(reverse("public:track"), {"code": code})
    assert response.status_code == 200
    assert "没有找到查询码" in response.content.decode()


def test_track_page_empty(world, as_user):
    assert as_user(None).get(reverse("public:track")).status_code == 200


# --- API -----------------------------------------------------------------------------------


def test_api_submit_returns_tracking_code(world):
    response = APIClient().post(
        API,
        {"organisation": "BA", "content": "建议", "category": "conduct"},
        format="json",
        REMOTE_ADDR="10.1.1.1",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == {"tracking_code", "organisation", "status", "status_label", "submitted_on"}
    s = Suggestion.objects.get()
    assert data["tracking_code"] == s.tracking_code and s.category == "conduct"


def test_api_submit_rules(world):
    client = APIClient()
    long = client.post(API, {"organisation": "BA", "content": "意" * 2001}, format="json")
    assert long.status_code == 400 and "2000" in str(long.json()["content"])
    trap = client.post(API, {"organisation": "BA", "content": "x", "website": "x"}, format="json")
    assert trap.status_code == 400
    unknown = client.post(API, {"organisation": "NOPE", "content": "x"}, format="json")
    assert unknown.status_code == 400 and "organisation" in unknown.json()
    group = client.post(API, {"organisation": "GRA", "content": "x"}, format="json")
    assert group.status_code == 400 and "organisation" in group.json()
    assert not Suggestion.objects.exists()
    for i in range(5):
        ok = client.post(API, {"organisation": "BA", "content": str(i)}, format="json")
        assert ok.status_code == 201
    refused = client.post(API, {"organisation": "BA", "content": "6"}, format="json")
    assert refused.status_code == 400
    assert "最多提交5条" in str(refused.json()["non_field_errors"])


def test_api_submit_ignores_login_and_csrf(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.secretary_a)
    response = client.post(API, {"organisation": "BA", "content": "x"}, format="json")
    assert response.status_code == 201


def test_api_track(world):
    s = make_suggestion(
        world.branch_a,
        status="answered",
        reply="答复",
        replied_on=timezone.localdate(),
        name="秘密姓名",
        contact="秘密联系方式",
    )
    response = APIClient().get(f"/api/v1/public/track/{s.tracking_code}/")
    assert response.status_code == 200
    data = response.json()
    assert data["reply"] == "答复" and data["status"] == "answered"
    assert "秘密" not in response.content.decode()
    missing = APIClient().get("/api/v1/public/track/ABCDEFGHJK/")
    assert missing.status_code == 404 and "查询码" in missing.json()["detail"]
