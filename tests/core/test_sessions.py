"""Idle and absolute session timeouts (core.middleware.SessionTimeoutMiddleware)."""

import time

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.core import tokens
from dangjian.core.models import SecurityEvent
from dangjian.core.signals import SESSION_LAST_SEEN, SESSION_STARTED

pytestmark = pytest.mark.django_db


def signed_in_since(client, user, *, started_ago: int, idle: int):
    client.force_login(user)
    session = client.session
    now = int(time.time())
    session[SESSION_STARTED] = now - started_ago
    session[SESSION_LAST_SEEN] = now - idle
    session.save()
    return client


def test_defaults(settings):
    from dangjian import settings as production

    assert production.SESSION_IDLE_MINUTES == 30
    assert production.SESSION_ABSOLUTE_SECONDS == 8 * 3600


def test_idle_just_under_the_limit_stays_signed_in(world, client, settings):
    idle = settings.SESSION_IDLE_MINUTES * 60
    signed_in_since(client, world.member_user, started_ago=idle + 100, idle=idle - 5)
    assert client.get(reverse("home")).status_code == 200
    # ... and the request counts as activity.
    assert client.session[SESSION_LAST_SEEN] >= int(time.time()) - 1


def test_idle_past_the_limit_signs_out_with_a_message(world, client, settings):
    idle = settings.SESSION_IDLE_MINUTES * 60
    signed_in_since(client, world.member_user, started_ago=idle + 100, idle=idle + 5)
    response = client.get(reverse("orglife:my_meetings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    page = client.get(response["Location"])
    assert "由于长时间未操作，您已自动退出登录" in page.content.decode()
    assert client.get(reverse("home")).status_code == 302
    event = SecurityEvent.objects.get(kind="logout")
    assert event.user == world.member_user and event.detail == "空闲超时自动退出"


def test_absolute_limit_ends_even_a_busy_session(world, client, settings):
    age = settings.SESSION_ABSOLUTE_SECONDS
    signed_in_since(client, world.member_user, started_ago=age - 5, idle=0)
    assert client.get(reverse("home")).status_code == 200
    signed_in_since(client, world.member_user, started_ago=age + 5, idle=0)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "登录已超过有效时长" in client.get(response["Location"]).content.decode()


def test_htmx_requests_are_redirected_by_htmx(world, client, settings):
    idle = settings.SESSION_IDLE_MINUTES * 60
    signed_in_since(client, world.member_user, started_ago=idle * 2, idle=idle + 5)
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("login"))


def test_api_token_requests_are_not_affected(world):
    token, raw = tokens.token_issue(user=world.secretary_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get("/api/v1/organisations/").status_code == 200
    assert client.get("/api/v1/organisations/").status_code == 200


def test_an_expired_session_on_the_api_is_simply_anonymous(world, client, settings):
    idle = settings.SESSION_IDLE_MINUTES * 60
    signed_in_since(client, world.secretary_a, started_ago=idle * 2, idle=idle + 5)
    assert client.get("/api/v1/organisations/").status_code in (401, 403)
