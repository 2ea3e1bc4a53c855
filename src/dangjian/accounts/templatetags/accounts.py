from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sso_enabled() -> dict:
    """Which single sign-on protocols are switched on (for the login page's buttons)."""
    return {"cas": bool(settings.CAS_SERVER_URL), "oidc": bool(settings.OIDC_RP_CLIENT_ID)}
