"""Response headers: Cache-Control no-store on everything dynamic (pages, API, exports, media,
anonymous public pages with names on them), a long cache for static files, Permissions-Policy
and the Content-Security-Policy on every page."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.core import tokens

pytestmark = pytest.mark.django_db


def _no_store(response):
    value = response["Cache-Control"]
    assert "no-store" in value, value
    assert "max-age=3" not in value


@pytest.mark.parametrize(
    "url",
    ["/", "/org/people/", "/api/v1/people/"],
)
def test_signed_in_pages_are_no_store_private(world, as_user, url):
    response = as_user(world.secretary_a).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert "Expires" not in response


def test_exports_are_no_store(world, as_user):
    response = as_user(world.secretary_a).get(reverse("org:person_export"))
    assert response.status_code == 200
    _no_store(response)


def test_api_with_token_is_no_store(world):
    _token, raw = tokens.token_issue(user=world.secretary_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    response = client.get("/api/v1/people/")
    assert response.status_code == 200
    _no_store(response)


def test_anonymous_pages_and_refusals_are_no_store(world, client):
    for url in ["/login/", "/public/o/BA/suggest/", "/public/o/BA/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        _no_store(response)
    redirect = client.get("/org/people/")
    assert redirect.status_code == 302
    _no_store(redirect)


def test_media_files_are_no_store(world, as_user, settings, tmp_path):
    from dangjian.posts import services

    settings.MEDIA_ROOT = tmp_path
    record = services.duty_record_create(
        actor=world.member_user,
        occurred_on=__import__("datetime").date(2026, 3, 2),
        place="会议室",
        content="学习",
    )
    record.attachment.save("note.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    response = as_user(world.member_user).get(record.attachment.url)
    assert response.status_code == 200
    _no_store(response)


def test_static_files_keep_their_cache(client):
    response = client.get("/static/core/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_permissions_policy_and_csp_on_pages(world, as_user):
    for user in (None, world.member_user, world.secretary_a):
        response = as_user(user).get("/login/" if user is None else "/")
        assert response.status_code == 200
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in policy
        csp = response["Content-Security-Policy"]
        for directive in (
            "default-src 'self'",
            "script-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
            "img-src 'self' data:",
        ):
            assert directive in csp
        assert "script-src 'self' 'unsafe-inline'" not in csp
        assert response["X-Frame-Options"] == "DENY"


def test_headers_on_refusals_from_the_request_limit(world, client):
    response = client.generic("POST", "/api/v1/auth/token/", b"[" * 100, "application/json")
    assert response.status_code == 400
    assert "Content-Security-Policy" in response
    _no_store(response)
