"""The second factor in Chromium: the organisation department signs in, is sent to enrol an
authenticator (QR code drawn server-side), keeps the recovery codes, and signs in again with a
code — on a desk and on a phone. The screenshots (test-results/screenshots/account-otp-*.png)
are the ones in docs/screenshots/."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 860}


def code_of(device) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def password_step(page, live_server, user):
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.parametrize(("label", "viewport"), [("desktop", DESK), ("phone", PHONE)])
def test_enrol_then_sign_in_with_a_code(
    world, live_server, browser, shot, settings, label, viewport
):
    settings.OTP_ENFORCE = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = world.org_officer
    user.set_password(PASSWORD)
    user.save()
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    password_step(page, live_server, user)
    page.wait_for_url("**/account/otp/setup/**")
    page.wait_for_selector("svg")
    shot(page, f"account-otp-setup-{label}")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.fill("#id_code", code_of(device))
    page.click("button:has-text('验证并启用')")
    page.wait_for_selector("text=双因素认证已启用")
    assert page.locator(".dj-recovery-codes li").count() == 10
    shot(page, f"account-otp-codes-{label}")
    page.click("text=我已保存，继续")
    page.wait_for_url(live_server.url + "/")

    page.click(".dropdown-toggle")
    page.click("button:has-text('退出登录')")
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the next time step has come
    password_step(page, live_server, user)
    page.wait_for_url("**/login/verify/")
    shot(page, f"account-otp-verify-{label}")
    page.fill("#id_code", "000000" if code_of(device) != "000000" else "111111")
    page.click("button[type=submit]")
    page.wait_for_selector("text=动态码不正确")
    page.fill("#id_code", code_of(device))
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/account/")
    page.wait_for_selector("text=已启用")
    shot(page, f"account-page-{label}")
    assert not errors
