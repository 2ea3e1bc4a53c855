"""One authentication throttle on every sign-in path (core.authguard): the findings of issue 11
(brute force through the token endpoint and the admin login, lockout by name only, no limit on
one address trying many names) and the audit of sign-ins."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.core.models import SecurityEvent

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
GOOD = "pass-123456"
HOME, STRANGER, ELSEWHERE = "10.0.0.1", "203.0.113.9", "198.51.100.7"


def web_login(username, password, address=HOME, path=None):
    client = Client(REMOTE_ADDR=address)
    response = client.post(path or reverse("login"), {"username": username, "password": password})
    return client, response


def token(username, password, address=HOME):
    client = APIClient(REMOTE_ADDR=address)
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def fail_times(n, username, address=HOME, via="web"):
    for _ in range(n):
        if via == "web":
            web_login(username, "wrong", address)
        else:
            assert token(username, "wrong", address).status_code in (400, 429)


def signed_in(client):
    return client.get(reverse("home")).status_code == 200


# --- the token endpoint ---------------------------------------------------------------------


def test_token_endpoint_wrong_passwords_are_limited(world, settings):
    name = world.secretary_a.username
    for _ in range(settings.AUTH_PAIR_FAILURE_LIMIT - 1):
        assert token(name, "wrong").status_code == 400
    response = token(name, "wrong")
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    # Locked: the right password gets no token either.
    response = token(name, GOOD)
    assert response.status_code == 429 and "token" not in response.json()


def test_web_failures_lock_the_token_endpoint_too(world, settings):
    """One throttle: failures on the login form count against the token endpoint."""
    fail_times(settings.AUTH_PAIR_FAILURE_LIMIT, world.secretary_a.username)
    assert token(world.secretary_a.username, GOOD).status_code == 429


# --- the admin login ------------------------------------------------------------------------


def test_admin_login_goes_through_our_login(world):
    client = Client()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_locked_administrator_cannot_sign_in_to_the_admin(world, settings):
    fail_times(settings.AUTH_PAIR_FAILURE_LIMIT, world.admin.username)
    client, response = web_login(world.admin.username, GOOD, path="/admin/login/?next=/admin/")
    assert client.get("/admin/").status_code == 302  # still sent to sign in
    client, response = web_login(world.admin.username, GOOD)
    assert response.status_code == 200 and "锁定" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_admin_open_to_an_administrator_who_signed_in(world):
    client, response = web_login(world.admin.username, GOOD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# --- lockout keyed by name and address ------------------------------------------------------


def test_a_stranger_locks_only_their_own_address_out(world, settings):
    """Lockout used to be keyed by the user name alone: anyone could lock anyone out."""
    name = world.secretary_a.username
    fail_times(settings.AUTH_PAIR_FAILURE_LIMIT, name, STRANGER)
    client, response = web_login(name, GOOD, STRANGER)
    assert "临时锁定" in response.content.decode() and not signed_in(client)
    client, response = web_login(name, GOOD, HOME)
    assert response.status_code == 302 and signed_in(client)


def test_many_addresses_lock_the_name_but_not_where_the_owner_signed_in_before(world, settings):
    name = world.secretary_a.username
    owner, _ = web_login(name, GOOD, HOME)  # the owner's usual computer
    assert signed_in(owner)
    # A botnet: four failures from each of many addresses, never tripping a pair lock.
    addresses = [f"192.0.2.{i}" for i in range(1, 40)]
    count = 0
    for address in addresses:
        for _ in range(settings.AUTH_PAIR_FAILURE_LIMIT - 1):
            if count < settings.AUTH_NAME_FAILURE_LIMIT:
                web_login(name, "wrong", address)
                count += 1
    assert SecurityEvent.objects.filter(kind="lockout", username=name).exists()
    client, response = web_login(name, GOOD, ELSEWHERE)
    assert "该账号近期登录失败次数过多" in response.content.decode() and not signed_in(client)
    client, response = web_login(name, GOOD, HOME)
    assert signed_in(client)


def test_name_lock_grows_with_each_lock(world, settings):
    settings.AUTH_NAME_FAILURE_LIMIT = 3
    settings.AUTH_PAIR_FAILURE_LIMIT = 100
    name = world.member_user.username
    from django.core.cache import cache

    from dangjian.core import authguard

    locks = []
    for round_ in range(3):
        for i in range(3):
            web_login(name, "wrong", f"192.0.2.{round_ * 10 + i}")
        locks.append(SecurityEvent.objects.filter(kind="lockout", username=name).first().detail)
        cache.delete(f"authguard:name-lock:{authguard._name(name)}")  # the lock ran out
    assert locks == ["用户名已锁定5分钟", "用户名已锁定10分钟", "用户名已锁定20分钟"]


def test_one_address_trying_many_names_is_blocked(world, settings):
    settings.AUTH_ADDRESS_FAILURE_LIMIT = 6
    for i in range(settings.AUTH_ADDRESS_FAILURE_LIMIT):
        web_login(f"guess{i}", "wrong", STRANGER)
    client, response = web_login(world.secretary_a.username, GOOD, STRANGER)
    assert "该网络地址登录失败次数过多" in response.content.decode() and not signed_in(client)
    assert token(world.secretary_a.username, GOOD, STRANGER).status_code == 429
    client, response = web_login(world.secretary_a.username, GOOD, HOME)
    assert signed_in(client)


def test_case_variants_of_a_name_count_as_one(world, settings):
    name = world.secretary_a.username
    for variant in [name, name.upper(), name.title(), name, name.upper()]:
        web_login(variant, "wrong", STRANGER)
    client, response = web_login(name, GOOD, STRANGER)
    assert "临时锁定" in response.content.decode()


def test_an_inactive_account_cannot_sign_in(world):
    world.member_user.is_active = False
    world.member_user.save()
    client, response = web_login(world.member_user.username, GOOD)
    assert response.status_code == 200 and not signed_in(client)
    assert token(world.member_user.username, GOOD).status_code == 400


# --- the audit ------------------------------------------------------------------------------


def test_failures_successes_locks_and_sign_outs_are_recorded(world, settings):
    name = world.secretary_a.username
    fail_times(settings.AUTH_PAIR_FAILURE_LIMIT, name, STRANGER)
    web_login(name, GOOD, STRANGER)  # refused while locked
    client, _ = web_login(name, GOOD, HOME)
    client.post(reverse("logout"))
    events = SecurityEvent.objects.filter(username=name).order_by("id")
    kinds = [e.kind for e in events]
    assert kinds.count("login_failed") == settings.AUTH_PAIR_FAILURE_LIMIT + 1
    assert kinds.count("lockout") == 1
    assert kinds[-2:] == ["login", "logout"]
    failed = events.filter(kind="login_failed").first()
    assert failed.ip == STRANGER and failed.path == reverse("login") and failed.user is None
    login = events.get(kind="login")
    assert login.user == world.secretary_a and login.ip == HOME
    refused = events.filter(kind="login_failed").last()
    assert "拒绝登录" in refused.detail


def test_an_unknown_name_is_recorded_as_typed(world):
    web_login("no-such-person", "x", STRANGER)
    event = SecurityEvent.objects.get(kind="login_failed")
    assert event.username == "no-such-person" and event.ip == STRANGER


def test_token_failures_and_issues_are_recorded_without_the_token(world):
    name = world.secretary_a.username
    token(name, "wrong")
    raw = token(name, GOOD).json()["token"]
    kinds = list(SecurityEvent.objects.filter(username=name).values_list("kind", flat=True))
    assert {"login_failed", "login", "token"} <= set(kinds)
    assert not SecurityEvent.objects.filter(detail__contains=raw[4:]).exists()
    assert SecurityEvent.objects.get(kind="login_failed").path == TOKEN_URL


def test_an_administrator_lifts_a_lock(world, settings):
    from django.core.management import call_command

    name = world.secretary_a.username
    fail_times(settings.AUTH_PAIR_FAILURE_LIMIT, name, STRANGER)
    call_command("auth_unlock", name, address=STRANGER, stdout=io.StringIO())
    client, _ = web_login(name, GOOD, STRANGER)
    assert signed_in(client)
    assert SecurityEvent.objects.filter(kind="account", detail__contains="解除登录锁定").exists()
