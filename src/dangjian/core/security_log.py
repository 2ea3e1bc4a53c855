"""The security audit (安全审计): one call per event, from every interface.

security_log.record(SecurityEvent.Kind.EXPORT, request=request, detail="人员名册", rows=120)
"""

from django.http import HttpRequest

from dangjian.core.models import SecurityEvent
from dangjian.core.web import client_address


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user=None,
    username: str = "",
    detail: str = "",
    rows: int | None = None,
) -> SecurityEvent:
    """Write one security event. `user` defaults to the request's signed-in user; `username`
    to that user's name (a failed sign-in passes the name as typed)."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if not username and user is not None:
        username = user.get_username()
    ip = (client_address(request) or None) if request is not None else None
    path = request.get_full_path()[:300] if request is not None else ""
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        ip=ip,
        path=path,
        detail=detail[:500],
        rows=rows,
    )
