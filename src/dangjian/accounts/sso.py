"""Single sign-on with the campus identity system: CAS (django-cas-ng) and OpenID Connect
(mozilla-django-oidc). Both match the identity's 工号/学号 to a registered person with an
active login; nobody else is let in and no account is ever created here."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django_cas_ng.backends import CASBackend
from django_cas_ng.utils import get_cas_client
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from dangjian.core import authguard
from dangjian.core.web import client_address

NO_PERSON = "统一身份认证账号（工号/学号 {}）未对应本系统登记的人员，或尚未开通账号。"
INACTIVE = "您的账号已停用（不在册或已转出），如有疑问请联系党委组织部。"
NO_IDENTITY = "统一身份认证未返回工号/学号，无法登录。"


def refuse(request, protocol: str, reason: str, username: str = "") -> None:
    """Remember why for the refusal page; count and record the failure in the one sign-in
    throttle (core.authguard), under the identity when known, else under the address."""
    if request is not None:
        request.sso_refusal = reason
    authguard.failed(request, username or throttle_name(request), detail=f"{protocol}：{reason}")


def throttle_name(request) -> str:
    """The name an SSO attempt counts under before the identity is known: per address, so
    failures from one address never lock out anyone else."""
    return f"sso@{client_address(request) if request is not None else ''}"


def user_for_staff_number(request, protocol: str, staff_number: str):
    """The active login of the person with this 工号/学号, or None (refusal recorded)."""
    staff_number = (staff_number or "").strip()
    if not staff_number:
        refuse(request, protocol, NO_IDENTITY)
        return None
    user = (
        get_user_model()
        .objects.select_related("person")
        .filter(person__staff_number=staff_number, person__is_active=True)
        .first()
    )
    if user is None:
        refuse(request, protocol, NO_PERSON.format(staff_number), staff_number)
        return None
    if not user.is_active:
        refuse(request, protocol, INACTIVE, user.get_username())
        return None
    return user


def signed_in(request, protocol: str, user) -> None:
    """The sign-in is recorded (LOGIN) by the user_logged_in signal, with the protocol."""
    if request is not None:
        request.login_detail = protocol


class CasBackend(CASBackend):
    """CAS: the ticket is validated with the CAS server (serviceValidate); the CAS user is the
    工号/学号."""

    def authenticate(self, request, ticket=None, service=None, **kwargs):
        if not ticket or not service or not settings.CAS_SERVER_URL:
            return None
        client = get_cas_client(service_url=service, request=request)
        try:
            username, _attributes, _pgtiou = client.verify_ticket(ticket)
        except Exception:  # network or XML errors of the CAS server
            username = None
        if not username:
            refuse(request, "CAS", "统一身份认证票据无效或已过期，请重新登录。")
            return None
        user = user_for_staff_number(request, "CAS", self.clean_username(username))
        if user is not None:
            signed_in(request, "CAS", user)
        return user

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)


class OidcBackend(OIDCAuthenticationBackend):
    """OpenID Connect: code flow, RS256 id_token checked against the provider's JWK set, state
    and nonce checked by mozilla-django-oidc; the claim OIDC_STAFF_NUMBER_CLAIM is the
    工号/学号."""

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_RP_CLIENT_ID:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except Exception as exc:  # token endpoint errors, bad signatures, replayed nonces
            refuse(request, "OIDC", f"统一身份认证未通过校验，请重新登录。（{type(exc).__name__}）")
            return None

    def verify_token(self, token, **kwargs):
        """Signature and nonce by mozilla-django-oidc; then the token must be meant for us
        (aud), from our provider (iss, when OIDC_OP_ISSUER is set) and carry an expiry."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id_token audience mismatch")
        issuer = settings.OIDC_OP_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("id_token issuer mismatch")
        if "exp" not in payload:
            raise SuspiciousOperation("id_token without expiry")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The signed id_token's claims, completed by the userinfo endpoint when configured."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            claims.update(super().get_userinfo(access_token, id_token, payload))
        return claims

    def verify_claims(self, claims):
        return True

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        staff_number = str(claims.get(settings.OIDC_STAFF_NUMBER_CLAIM) or "")
        user = user_for_staff_number(self.request, "OIDC", staff_number)
        if user is not None:
            signed_in(self.request, "OIDC", user)
        return user
