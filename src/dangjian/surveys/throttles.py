"""One throttle for everything a survey link opens without a login: the answer page
(`/surveys/t/<token>/`, GET and POST) and its API (`forms/<token>/`, `ballots/`). Both count
in the same place — per visitor address, in the Django cache (Redis in production, shared by
every worker) — so switching between page and API gives no extra budget."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from dangjian.core.web import client_address

DEFAULT_PUBLIC_RATE = "60/min"


class SurveyPublicThrottle(AnonRateThrottle):
    """Per address, rate from settings.SURVEY_PUBLIC_RATE (default 60/min)."""

    scope = "survey_public"

    def get_rate(self):
        return settings.SURVEY_PUBLIC_RATE

    def get_cache_key(self, request, view):
        # Per address even for a signed-in visitor (the answer page runs the session
        # middleware; the API reads no credentials at all).
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def get_ident(self, request):
        # The visitor's address as the rest of the platform sees it (behind the proxy: the
        # entry the proxy appended), not a forwarded header a client could vary at will.
        return client_address(request) or super().get_ident(request)


def wait_text(seconds: float | None) -> str:
    """“30秒后”, “2分钟后” — when to come back, rounded up; “稍后” when unknown."""
    if not seconds or seconds <= 0:
        return "稍后"
    seconds = int(seconds + 0.999)
    if seconds < 60:
        return f"{seconds}秒后"
    return f"{(seconds + 59) // 60}分钟后"


def page_throttle(request) -> float | None:
    """None when the visitor may go on; else the seconds to wait (at least 1)."""
    throttle = SurveyPublicThrottle()
    if throttle.allow_request(request, None):
        return None
    return max(throttle.wait() or 1, 1)
