"""The second factor (双因素认证): a TOTP authenticator app, with ten single-use recovery codes.

Who must have one: core.rules.otp_required (administrators, staff, the organisation department,
and every officer when OTP_REQUIRED_FOR_OFFICERS is on). Enforcement (core.middleware) is on
unless OTP_ENFORCE is off (the test settings turn it off; tests of the second factor on)."""

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.core import rules, security_log
from dangjian.core.models import SecurityEvent
from dangjian.core.scoping import scope_for

RECOVERY_CODES = 10
SESSION_HAS_DEVICE = "otp_has_device"


def required(user) -> bool:
    if not user.is_authenticated:
        return False
    officers = settings.OTP_REQUIRED_FOR_OFFICERS
    return rules.otp_required(
        is_superuser=user.is_superuser,
        is_staff=user.is_staff,
        is_org_officer=user.is_org_officer,
        is_officer=officers and scope_for(user).is_officer,
        officers=officers,
    )


def has_device(user) -> bool:
    """Whether the user has enrolled an authenticator (recovery codes alone do not count)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (a new secret when none is pending)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as base32 in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (made here: no image leaves the server)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


def _clean(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()[:32]


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def enrol_confirm(*, user, device: TOTPDevice, code: str, request=None) -> list[str] | None:
    """Confirm the authenticator with a code from it: other authenticators are removed and ten
    recovery codes are made. Returns the codes (to show once), or None when the code is wrong."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(_clean(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(user)
    security_log.record(SecurityEvent.Kind.OTP, request=request, user=user, detail="启用双因素认证")
    return codes


def verify(user, code: str):
    """The device that accepts `code` (an authenticator code or a recovery code, each recovery
    code good once), or None."""
    code = _clean(code)
    if not code:
        return None
    with transaction.atomic():
        devices = [
            *TOTPDevice.objects.filter(user=user, confirmed=True).select_for_update(),
            *StaticDevice.objects.filter(user=user, confirmed=True).select_for_update(),
        ]
        for device in devices:
            if isinstance(device, TOTPDevice) and not code.isdigit():
                continue
            if isinstance(device, StaticDevice) and code.isdigit():
                continue
            if device.verify_token(code):
                return device
    return None


@transaction.atomic
def recovery_codes_reset(*, user, request=None) -> list[str]:
    codes = _new_recovery_codes(user)
    security_log.record(SecurityEvent.Kind.OTP, request=request, user=user, detail="重新生成恢复码")
    return codes


@transaction.atomic
def disable(*, user, actor, request=None) -> None:
    """Remove every authenticator and recovery code of `user` (by the user, or an administrator
    resetting a lost phone); a user who must have a second factor enrols again at next request."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    who = "本人" if actor is not None and actor.pk == user.pk else "管理员"
    security_log.record(
        SecurityEvent.Kind.OTP,
        request=request,
        user=actor,
        username=user.get_username() if who == "本人" else "",
        detail=f"{who}停用 {user.get_username()} 的双因素认证",
    )
