"""The second factor (core.otp, core.middleware.SecondFactorMiddleware): enrolment, the code
step of sign-in, recovery codes, the token endpoint, the admin, and who must have one."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from dangjian.core import otp
from dangjian.core.models import SecurityEvent

pytestmark = pytest.mark.django_db

GOOD = "pass-123456"


@pytest.fixture(autouse=True)
def enforce(settings):
    settings.OTP_ENFORCE = True
    # django-otp slows down guesses per device; the throttle under test here is ours.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_of(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = otp.enrolment_device(user)
    codes = otp.enrol_confirm(user=user, device=device, code=code_of(device))
    # The code just used cannot be used again; let the next time step come.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device, codes


def password_step(user, address="10.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": user.username, "password": GOOD})
    return client, response


def signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


# --- who must have one ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "org_officer"])
def test_required_roles_are_sent_to_enrolment(world, as_user, who):
    client = as_user(getattr(world, who))
    for url in (reverse("home"), reverse("org:person_list"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("otp_setup"))
    assert client.get("/api/v1/organisations/").status_code == 403
    assert client.get(reverse("otp_setup")).status_code == 200


def test_staff_must_enrol(world, as_user):
    world.member_user.is_staff = True
    world.member_user.save()
    response = as_user(world.member_user).get(reverse("home"))
    assert response["Location"].startswith(reverse("otp_setup"))


def test_members_and_secretaries_are_not_required_by_default(world, as_user):
    assert as_user(world.member_user).get(reverse("home")).status_code == 200
    assert as_user(world.secretary_a).get(reverse("home")).status_code == 200


def test_officers_are_required_when_the_setting_is_on(world, as_user, settings):
    settings.OTP_REQUIRED_FOR_OFFICERS = True
    response = as_user(world.secretary_a).get(reverse("home"))
    assert response["Location"].startswith(reverse("otp_setup"))
    assert as_user(world.member_user).get(reverse("home")).status_code == 200


def test_production_enforces_it(settings):
    from dangjian import settings as production

    assert production.OTP_ENFORCE is True
    assert production.OTP_REQUIRED_FOR_OFFICERS is False


# --- enrolment ------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_secret_then_ten_codes_once(world, as_user):
    client = as_user(world.org_officer)
    page = client.get(reverse("otp_setup"))
    html = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert "<svg" in html and "<script" not in html.split("<main")[1].split("</main>")[0]
    device = TOTPDevice.objects.get(user=world.org_officer, confirmed=False)
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")
    wrong = client.post(
        reverse("otp_setup"), {"code": "000000" if code_of(device) != "000000" else "111111"}
    )
    assert "动态码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    done = client.post(reverse("otp_setup"), {"code": code_of(device)})
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    assert signed_in(client)  # this session is now verified
    assert SecurityEvent.objects.filter(kind="otp", user=world.org_officer).exists()


# --- the code step of sign-in ---------------------------------------------------------------


def test_password_alone_does_not_sign_in_a_user_with_a_device(world):
    device, _ = enrol(world.secretary_a)
    client, response = password_step(world.secretary_a)
    assert response.status_code == 302 and response["Location"] == reverse("login_verify")
    assert not signed_in(client)
    assert not SecurityEvent.objects.filter(kind="login").exists()
    page = client.get(reverse("login_verify"))
    assert page.status_code == 200 and "动态码" in page.content.decode()


def test_a_correct_totp_code_passes(world):
    device, _ = enrol(world.secretary_a)
    client, _ = password_step(world.secretary_a)
    response = client.post(reverse("login_verify"), {"code": code_of(device)})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in(client)
    event = SecurityEvent.objects.get(kind="login")
    assert event.user == world.secretary_a and event.detail == "密码+动态码"


def test_a_wrong_code_is_refused_and_counted_by_the_throttle(world, settings):
    device, _ = enrol(world.secretary_a)
    client, _ = password_step(world.secretary_a)
    wrong = "123456" if code_of(device) != "123456" else "654321"
    response = client.post(reverse("login_verify"), {"code": wrong})
    assert "动态码不正确" in response.content.decode() and not signed_in(client)
    failure = SecurityEvent.objects.get(kind="login_failed")
    assert failure.detail == "动态码错误" and failure.username == world.secretary_a.username
    for _ in range(settings.AUTH_PAIR_FAILURE_LIMIT - 1):
        response = client.post(reverse("login_verify"), {"code": wrong})
    assert "锁定" in response.content.decode()
    # Locked: even the right code is refused now, and so is the password step.
    response = client.post(reverse("login_verify"), {"code": code_of(device)})
    assert "锁定" in response.content.decode() and not signed_in(client)
    assert "锁定" in password_step(world.secretary_a)[1].content.decode()


def test_a_recovery_code_works_once(world):
    _, codes = enrol(world.secretary_a)
    client, _ = password_step(world.secretary_a)
    response = client.post(reverse("login_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302 and signed_in(client)
    assert StaticToken.objects.filter(device__user=world.secretary_a).count() == 9
    client.post(reverse("logout"))
    client, _ = password_step(world.secretary_a)
    response = client.post(reverse("login_verify"), {"code": codes[0]})
    assert response.status_code == 200 and not signed_in(client)
    assert client.post(reverse("login_verify"), {"code": codes[1]}).status_code == 302


def test_the_code_step_expires_and_needs_the_password_step(world, client):
    enrol(world.secretary_a)
    response = client.get(reverse("login_verify"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_a_session_signed_in_another_way_must_verify(world, as_user):
    """Single sign-on signs the session in without our password step: the code is still due."""
    device, _ = enrol(world.secretary_a)
    client = as_user(world.secretary_a)
    response = client.get(reverse("org:person_list"))
    assert response["Location"].startswith(reverse("login_verify"))
    response = client.post(
        reverse("login_verify") + "?next=" + reverse("org:person_list"), {"code": code_of(device)}
    )
    assert response["Location"] == reverse("org:person_list")
    assert signed_in(client)


# --- the token endpoint ---------------------------------------------------------------------


def ask_token(user, **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": GOOD, **extra}, format="json"
    )


def test_token_endpoint_requires_the_code_of_a_user_with_a_device(world):
    device, _ = enrol(world.secretary_a)
    response = ask_token(world.secretary_a)
    assert response.status_code == 400 and "otp" in response.json()
    response = ask_token(world.secretary_a, otp="12345x")
    assert response.status_code == 400 and "otp" in response.json()
    assert SecurityEvent.objects.filter(kind="login_failed", detail="动态码错误").count() == 1
    response = ask_token(world.secretary_a, otp=code_of(device))
    assert response.status_code == 200 and response.json()["token"]


def test_token_endpoint_refuses_a_required_user_without_a_device(world):
    response = ask_token(world.org_officer)
    assert response.status_code == 400 and "启用双因素认证" in response.json()["otp"][0]


# --- the admin ------------------------------------------------------------------------------


def test_admin_needs_a_verified_session(world, as_user):
    device, _ = enrol(world.admin)
    client = as_user(world.admin)  # signed in, not verified
    assert client.get("/admin/")["Location"].startswith(reverse("login_verify"))
    client.post(reverse("login_verify"), {"code": code_of(device)})
    assert client.get("/admin/").status_code == 200


def test_admin_resets_a_users_second_factor(world):
    device, _ = enrol(world.admin)
    enrol(world.secretary_a)
    client, _ = password_step(world.admin)
    client.post(reverse("login_verify"), {"code": code_of(device)})
    response = client.post(
        "/admin/core/user/",
        {"action": "reset_second_factor", "_selected_action": [world.secretary_a.pk]},
    )
    assert response.status_code == 302
    assert not otp.has_device(world.secretary_a)
    assert SecurityEvent.objects.filter(kind="otp", detail__contains="管理员停用").exists()


# --- the user's own changes -----------------------------------------------------------------


def test_user_disables_with_password_only(world, as_user):
    device, _ = enrol(world.secretary_a)
    client, _ = password_step(world.secretary_a)
    client.post(reverse("login_verify"), {"code": code_of(device)})
    assert "已启用" in client.get(reverse("account")).content.decode()
    client.post(reverse("otp_disable"), {"password": "wrong"})
    assert otp.has_device(world.secretary_a)
    response = client.post(reverse("otp_disable"), {"password": GOOD})
    assert response["Location"] == reverse("account")
    assert not otp.has_device(world.secretary_a)
    assert not StaticToken.objects.filter(device__user=world.secretary_a).exists()
    assert signed_in(client)


def test_a_required_user_who_resets_enrols_again(world):
    device, _ = enrol(world.org_officer)
    client, _ = password_step(world.org_officer)
    client.post(reverse("login_verify"), {"code": code_of(device)})
    response = client.post(reverse("otp_disable"), {"password": GOOD})
    assert response["Location"] == reverse("otp_setup")
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp_setup"))


def test_new_recovery_codes_replace_the_old(world):
    device, old = enrol(world.secretary_a)
    client, _ = password_step(world.secretary_a)
    client.post(reverse("login_verify"), {"code": code_of(device)})
    response = client.post(reverse("otp_recovery_codes"), {"password": GOOD})
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    tokens = set(StaticToken.objects.values_list("token", flat=True))
    assert tokens == set(new)


def test_an_enrolled_user_cannot_rebind_without_the_password(world):
    device, _ = enrol(world.secretary_a)
    client, _ = password_step(world.secretary_a)
    client.post(reverse("login_verify"), {"code": code_of(device)})
    response = client.get(reverse("otp_setup"))
    assert response["Location"] == reverse("account")
    assert TOTPDevice.objects.filter(user=world.secretary_a).count() == 1


def test_a_signed_in_non_administrator_is_refused_by_the_admin(world, as_user):
    client = as_user(world.member_user)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_the_admin_does_not_show_second_factor_secrets(world):
    device, codes = enrol(world.admin)
    client, _ = password_step(world.admin)
    client.post(reverse("login_verify"), {"code": code_of(device)})
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404
    page = client.get(f"/admin/core/user/{world.admin.pk}/change/").content.decode()
    assert device.key not in page and codes[1] not in page
