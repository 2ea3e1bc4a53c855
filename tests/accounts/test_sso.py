"""Single sign-on against providers that speak the real protocols on 127.0.0.1: a CAS 3
server and an OpenID Connect provider (RS256 id_token, JWK set, PKCE). People are matched by
工号/学号; strangers and deactivated users are refused with a Chinese page."""

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user
from django.urls import reverse

from dangjian.core.models import SecurityEvent, User
from tests.accounts.sso_servers import CasServer, OidcProvider

BACKENDS = ["django.contrib.auth.backends.ModelBackend"]


@pytest.fixture
def campus(world):
    world.member_a.staff_number = "T1001"
    world.member_a.save()
    return world


def _follow_provider(response, host="testserver"):
    """The browser's hop through the identity provider: back to us with a ticket/code."""
    assert response.status_code == 302, response.content[:500]
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlparse(at_provider.headers["Location"])
    assert back.netloc == host
    return f"{back.path}?{back.query}"


# --- CAS ------------------------------------------------------------------------------------


@pytest.fixture
def cas(settings):
    with CasServer() as server:
        settings.CAS_SERVER_URL = server.url
        settings.CAS_ROOT_PROXIED_AS = "http://testserver"
        settings.AUTHENTICATION_BACKENDS = [*BACKENDS, "dangjian.accounts.sso.CasBackend"]
        yield server


def test_cas_signs_in_the_person_with_that_staff_number(campus, cas, client):
    start = client.get(reverse("accounts:cas_login"))
    assert start["Location"].startswith(cas.url + "login?")
    response = client.get(_follow_provider(start))
    assert response.status_code == 302 and response["Location"] == "/"
    assert get_user(client) == campus.member_user
    assert cas.validations[-1]["service"] == "http://testserver/accounts/cas/login/"
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN)
    assert event.user == campus.member_user and event.detail == "CAS"
    assert client.get("/").status_code == 200


def test_cas_stranger_is_refused_and_no_account_created(campus, cas, client):
    cas.user = "X9999"
    users = User.objects.count()
    response = client.get(_follow_provider(client.get(reverse("accounts:cas_login"))))
    assert response.status_code == 403
    assert "未对应本系统登记的人员" in response.content.decode()
    assert not get_user(client).is_authenticated
    assert User.objects.count() == users
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert event.detail.startswith("CAS") and event.username == "X9999"


def test_cas_deactivated_user_is_refused(campus, cas, client):
    campus.member_user.is_active = False
    campus.member_user.save()
    response = client.get(_follow_provider(client.get(reverse("accounts:cas_login"))))
    assert response.status_code == 403 and "已停用" in response.content.decode()
    assert not get_user(client).is_authenticated


def test_cas_ticket_cannot_be_replayed_or_forged(campus, cas, client):
    back = _follow_provider(client.get(reverse("accounts:cas_login")))
    assert client.get(back).status_code == 302
    client.logout()
    replay = client.get(back)
    assert replay.status_code == 403 and not get_user(client).is_authenticated
    forged = client.get(reverse("accounts:cas_login") + "?ticket=ST-forged")
    assert forged.status_code == 403
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED).count() == 2


def test_cas_service_url_is_fixed_whatever_the_host_header(campus, cas, client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    start = client.get(reverse("accounts:cas_login"), HTTP_HOST="evil.example")
    service = parse_qs(urlparse(start["Location"]).query)["service"]
    assert service == ["http://testserver/accounts/cas/login/"]


def test_cas_is_off_without_a_server(client, settings):
    settings.CAS_SERVER_URL = ""
    assert client.get(reverse("accounts:cas_login")).status_code == 404
    assert "统一身份认证登录" not in client.get(reverse("login")).content.decode()


def test_login_page_shows_the_button_when_on(cas, client):
    html = client.get(reverse("login")).content.decode()
    assert "统一身份认证登录" in html and reverse("accounts:cas_login") in html


# --- OpenID Connect -------------------------------------------------------------------------


@pytest.fixture
def oidc(settings):
    with OidcProvider() as op:
        conf = requests.get(op.base + "/.well-known/openid-configuration", timeout=10).json()
        settings.OIDC_RP_CLIENT_ID = op.client_id
        settings.OIDC_RP_CLIENT_SECRET = op.client_secret
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = conf["authorization_endpoint"]
        settings.OIDC_OP_TOKEN_ENDPOINT = conf["token_endpoint"]
        settings.OIDC_OP_USER_ENDPOINT = conf["userinfo_endpoint"]
        settings.OIDC_OP_JWKS_ENDPOINT = conf["jwks_uri"]
        settings.OIDC_OP_ISSUER = conf["issuer"]
        settings.AUTHENTICATION_BACKENDS = [*BACKENDS, "dangjian.accounts.sso.OidcBackend"]
        yield op


def test_oidc_signs_in_the_person_with_that_staff_number(campus, oidc, client):
    start = client.get(reverse("accounts:oidc_login"))
    query = parse_qs(urlparse(start["Location"]).query)
    assert query["nonce"] and query["state"] and query["code_challenge_method"] == ["S256"]
    response = client.get(_follow_provider(start))
    assert response.status_code == 302 and response["Location"] == "/"
    assert get_user(client) == campus.member_user
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN)
    assert event.user == campus.member_user and event.detail == "OIDC"


def test_oidc_claim_is_a_setting(campus, oidc, client, settings):
    settings.OIDC_STAFF_NUMBER_CLAIM = "employee_number"
    oidc.claims = {"sub": "u-7", "preferred_username": "someone", "employee_number": "T1001"}
    client.get(_follow_provider(client.get(reverse("accounts:oidc_login"))))
    assert get_user(client) == campus.member_user


def test_oidc_stranger_and_deactivated_are_refused(campus, oidc, client):
    oidc.claims = {"sub": "u-2", "preferred_username": "X9999"}
    response = client.get(_follow_provider(client.get(reverse("accounts:oidc_login"))))
    assert response.status_code == 403 and "未对应本系统登记的人员" in response.content.decode()
    assert not get_user(client).is_authenticated

    oidc.claims = {"sub": "u-1", "preferred_username": "T1001"}
    campus.member_user.is_active = False
    campus.member_user.save()
    response = client.get(_follow_provider(client.get(reverse("accounts:oidc_login"))))
    assert response.status_code == 403 and "已停用" in response.content.decode()
    assert not get_user(client).is_authenticated
    details = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED).values_list(
        "detail", flat=True
    )
    assert len(details) == 2 and all(d.startswith("OIDC") for d in details)


def test_oidc_forged_and_replayed_state_are_refused(campus, oidc, client):
    back = _follow_provider(client.get(reverse("accounts:oidc_login")))
    forged = back.replace("state=", "state=forged")
    response = client.get(forged)
    assert response.status_code == 400 and "state" in response.content.decode()
    assert not get_user(client).is_authenticated
    assert client.get(back).status_code == 302  # the genuine one still works, once
    assert get_user(client) == campus.member_user
    client.logout()
    replay = client.get(back)
    assert replay.status_code in (400, 403) and not get_user(client).is_authenticated


def test_oidc_state_from_another_browser_is_refused(campus, oidc, client, django_user_model):
    from django.test import Client

    back = _follow_provider(client.get(reverse("accounts:oidc_login")))
    attacker = Client()
    response = attacker.get(back)
    assert response.status_code in (400, 403)
    assert not get_user(attacker).is_authenticated


def test_oidc_token_signed_by_another_key_is_refused(campus, oidc, client):
    oidc.sign_with = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = client.get(_follow_provider(client.get(reverse("accounts:oidc_login"))))
    assert response.status_code == 403
    assert not get_user(client).is_authenticated
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.LOGIN_FAILED, detail__startswith="OIDC"
    ).exists()


def test_oidc_token_for_another_client_is_refused(campus, oidc, client, settings):
    settings.OIDC_OP_ISSUER = "https://someone-else.example"
    response = client.get(_follow_provider(client.get(reverse("accounts:oidc_login"))))
    assert response.status_code == 403 and not get_user(client).is_authenticated


def test_sso_failures_are_throttled_by_address(campus, cas, client, settings):
    # the one sign-in throttle (core.authguard): failures from one address block it
    settings.AUTH_ADDRESS_FAILURE_LIMIT = 2
    for _ in range(3):
        client.get(reverse("accounts:cas_login") + "?ticket=ST-forged")
    # Now even a genuine ticket from this address waits for the window to pass.
    response = client.get(_follow_provider(client.get(reverse("accounts:cas_login"))))
    assert response.status_code == 429 and not get_user(client).is_authenticated
