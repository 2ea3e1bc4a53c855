"""API tokens (core.ApiToken): hashed at rest, expiring, listed and revoked by their owner and by
administrators, ended with every session by a password change or deactivation."""

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.core import tokens
from dangjian.core.models import ApiToken, SecurityEvent

pytestmark = pytest.mark.django_db

API = "/api/v1"
GOOD = "pass-123456"


def issue(user, **extra):
    response = APIClient().post(
        f"{API}/auth/token/", {"username": user.username, "password": GOOD, **extra}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    return response.json()


def with_token(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def works(raw) -> bool:
    return with_token(raw).get(f"{API}/organisations/").status_code == 200


def test_token_is_stored_only_as_a_hash(world):
    body = issue(world.secretary_a, name="同步脚本")
    raw = body["token"]
    row = ApiToken.objects.get(user=world.secretary_a)
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {row.key_hash, row.prefix, row.name}
    assert raw.startswith(row.prefix) and body["prefix"] == row.prefix and row.name == "同步脚本"
    assert len(raw) > 40
    assert works(raw)


def test_token_expires(world, settings):
    raw = issue(world.secretary_a)["token"]
    row = ApiToken.objects.get()
    expected = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
    assert abs((row.expires_at - expected).total_seconds()) < 60
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = with_token(raw).get(f"{API}/organisations/")
    assert response.status_code in (401, 403) and "过期" in response.json()["detail"]


def test_last_use_is_recorded(world):
    raw = issue(world.secretary_a)["token"]
    assert ApiToken.objects.get().last_used_at is None
    assert works(raw)
    assert ApiToken.objects.get().last_used_at is not None


def test_owner_lists_and_revokes_own_tokens_only(world):
    mine = issue(world.secretary_a)["token"]
    theirs = issue(world.secretary_b)["token"]
    client = with_token(mine)
    listed = client.get(f"{API}/auth/tokens/").json()["results"]
    assert [t["prefix"] for t in listed] == [mine[:10]]
    assert "token" not in listed[0] and "key_hash" not in listed[0]
    other = ApiToken.objects.get(user=world.secretary_b)
    assert client.delete(f"{API}/auth/tokens/{other.pk}/").status_code == 404
    assert works(theirs)
    own = ApiToken.objects.get(user=world.secretary_a)
    assert client.delete(f"{API}/auth/tokens/{own.pk}/").status_code == 204
    assert not works(mine)
    own.refresh_from_db()
    assert own.revoked_at is not None  # kept, marked revoked
    assert SecurityEvent.objects.filter(kind="token", detail__contains="吊销").exists()


def test_token_list_needs_a_signed_in_user(world):
    assert APIClient().get(f"{API}/auth/tokens/").status_code in (401, 403)


def test_password_change_revokes_tokens_and_ends_other_sessions(world):
    user = world.secretary_a
    raw = issue(user)["token"]
    elsewhere = Client()
    elsewhere.post(reverse("login"), {"username": user.username, "password": GOOD})
    assert elsewhere.get(reverse("home")).status_code == 200
    here = Client()
    here.post(reverse("login"), {"username": user.username, "password": GOOD})
    response = here.post(
        reverse("password_change"),
        {
            "old_password": GOOD,
            "new_password1": "Nw-pass-7788-x",
            "new_password2": "Nw-pass-7788-x",
        },
    )
    assert response.status_code == 302
    assert not works(raw)
    assert elsewhere.get(reverse("home")).status_code == 302  # signed out
    assert here.get(reverse("home")).status_code == 200  # the session that changed it stays
    assert SecurityEvent.objects.filter(kind="password", user=user).exists()


def test_deactivation_revokes_tokens_and_ends_sessions(world):
    user = world.secretary_a
    raw = issue(user)["token"]
    browser = Client()
    browser.post(reverse("login"), {"username": user.username, "password": GOOD})
    assert browser.get(reverse("home")).status_code == 200
    user.is_active = False
    user.save()
    assert ApiToken.objects.get().revoked_at is not None
    user.is_active = True
    user.save()
    assert not works(raw)  # stays revoked when the account is reactivated
    user.is_active = False
    user.save()
    assert browser.get(reverse("home")).status_code == 302


def test_a_password_hash_upgrade_is_not_a_password_change(world):
    raw = issue(world.secretary_a)["token"]
    user = world.secretary_a
    user.password = user.password  # as a hasher upgrade at sign-in saves it: no set_password()
    user.save(update_fields=["password"])
    assert works(raw)


def test_account_page_creates_lists_and_revokes(world, as_user):
    client = as_user(world.member_user)
    page = client.get(reverse("account"))
    assert page.status_code == 200 and "接口令牌" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    response = client.post(reverse("token_create"), {"name": "手机同步"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=world.member_user)
    raw = response.context["raw"]
    assert raw.startswith(token.prefix) and raw in response.content.decode()
    assert raw not in client.get(reverse("account")).content.decode()
    assert token.prefix in client.get(reverse("account")).content.decode()
    other = tokens.token_issue(user=world.secretary_b)[0]
    assert client.post(reverse("token_revoke", args=[other.pk])).status_code == 404
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    other.refresh_from_db()
    assert token.revoked_at is not None and other.revoked_at is None


def test_account_page_needs_sign_in(client):
    assert client.get(reverse("account")).status_code == 302


def test_administrator_lists_and_revokes_any_token(world, as_user):
    token, raw = tokens.token_issue(user=world.secretary_b, name="x")
    client = as_user(world.admin)
    listing = client.get("/admin/core/apitoken/")
    assert listing.status_code == 200 and token.prefix in listing.content.decode()
    assert raw not in listing.content.decode()
    response = client.post(
        "/admin/core/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not works(raw)


def test_authtoken_app_is_gone(settings):
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS


def test_a_token_writes_without_a_csrf_token(world):
    """A token request is not a session request: its POST, PATCH and DELETE need no CSRF token
    (the security audit's look at the token used to leave the user on the Django request, so
    SessionAuthentication refused every write with 'CSRF Failed')."""
    keep, keep_raw = tokens.token_issue(user=world.secretary_a, name="keep")
    other, _raw = tokens.token_issue(user=world.secretary_a, name="other")
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {keep_raw}")
    response = client.delete(f"/api/v1/auth/tokens/{other.pk}/")
    assert response.status_code == 204, response.content
    other.refresh_from_db()
    assert other.revoked_at is not None
    response = client.patch(
        f"/api/v1/people/{world.member_a.pk}/", {"note": "令牌修改"}, format="json"
    )
    assert response.status_code == 200, response.content
