"""Request limits: deeply nested JSON and oversized bodies are refused with a clear 400/413 on
the anonymous endpoints (suggestions, survey ballots, token) and elsewhere — never a 500, never
a traceback in the log."""

import json
import logging

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from dangjian.core.pagination import _decode
from dangjian.core.parsers import json_depth_error
from dangjian.public.models import Suggestion

pytestmark = pytest.mark.django_db

NESTED = b"[" * (100 * 1024)  # 100 KB of "["
ANONYMOUS_ENDPOINTS = [
    "/api/v1/public/suggestions/",
    "/api/v1/surveys/ballots/",
    "/api/v1/auth/token/",
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_traceback(caplog):
    caplog.set_level(logging.WARNING)
    yield caplog
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def _post(client, url, body: bytes, content_type="application/json", **extra):
    return client.generic("POST", url, body, content_type=content_type, **extra)


@pytest.mark.parametrize("url", ANONYMOUS_ENDPOINTS)
def test_deeply_nested_json_is_400_on_anonymous_endpoints(world, url, no_traceback):
    response = _post(APIClient(), url, NESTED)
    assert response.status_code in (400, 413)  # 100 KB is also above the anonymous cap
    assert "请求内容" in response.json()["detail"]


@pytest.mark.parametrize("url", ANONYMOUS_ENDPOINTS)
def test_nested_json_under_the_size_cap_is_400(world, url, no_traceback):
    body = b"[" * 5000 + b"]" * 5000  # valid JSON, 10 KB, 5000 levels
    response = _post(APIClient(), url, body)
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容嵌套层数过多（最多32层）。"


def test_nested_json_inside_an_object_is_400(world, no_traceback):
    body = json.dumps({"organisation": "BA", "content": "x"})[:-1] + ', "x": '
    body = body.encode() + b"[" * 2000 + b"]" * 2000 + b"}"
    response = _post(APIClient(), "/api/v1/public/suggestions/", body)
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_signed_in_api_nested_json_is_400(world, no_traceback):
    client = APIClient()
    client.force_login(world.secretary_a)
    response = _post(client, "/api/v1/duty-records/", NESTED)
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容嵌套层数过多（最多32层）。"


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"content": "[" * 5000 + "{" * 100, "a": [[1]]})
    assert json_depth_error(text) is None
    assert json_depth_error('{"a": "\\"[[[["}') is None
    assert json_depth_error("[" * 33 + "]" * 33) is not None
    assert json_depth_error("[" * 32 + "]" * 32) is None


def test_depth_is_a_setting(settings):
    settings.JSON_MAX_DEPTH = 3
    assert json_depth_error("[[[[]]]]") == "请求内容嵌套层数过多（最多3层）。"


def test_anonymous_body_above_cap_is_413(world, no_traceback):
    body = json.dumps({"organisation": "BA", "content": "长" * 40000}).encode()  # > 64 KB
    response = _post(APIClient(), "/api/v1/public/suggestions/", body)
    assert response.status_code == 413
    assert "请求内容过大（超过64 KB）" in response.json()["detail"]
    assert not Suggestion.objects.exists()


def test_anonymous_form_post_above_cap_is_413_page(world, client, no_traceback):
    response = client.post(
        "/public/o/BA/suggest/", {"content": "长" * 40000, "category": "teaching"}
    )
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_signed_in_body_cap_is_larger_but_still_enforced(world, settings, no_traceback):
    settings.REQUEST_MAX_BYTES = 200 * 1024
    client = APIClient()
    client.force_login(world.secretary_a)
    body = json.dumps({"note": "长" * 30000}).encode()  # 90 KB: allowed for a signed-in user
    assert _post(client, "/api/v1/duty-records/", body).status_code == 400  # field errors
    body = json.dumps({"note": "长" * 80000}).encode()  # 240 KB
    response = _post(client, "/api/v1/duty-records/", body)
    assert response.status_code == 413
    assert "超过200 KB" in response.json()["detail"]


def test_invalid_content_length_is_400(world, client):
    response = client.generic(
        "POST", "/api/v1/auth/token/", b"", content_type="application/json", CONTENT_LENGTH="x"
    )
    assert response.status_code == 400


def test_forged_deep_cursor_is_ignored():
    import base64

    token = base64.urlsafe_b64encode(b"[" * 5000).decode()
    assert _decode(token) is None
