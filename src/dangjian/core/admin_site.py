from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse


class DangjianAdminSite(admin.AdminSite):
    """The admin site, signing in through the platform's login (one throttle, one audit, the
    second factor) and open only to sessions verified by a second factor."""

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in but not allowed here: our login would send them straight back.
            raise PermissionDenied("您没有访问管理后台的权限。")
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('login')}?{urlencode({'next': target})}")

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        if not settings.OTP_ENFORCE:
            return True
        is_verified = getattr(request.user, "is_verified", None)
        return bool(is_verified and is_verified())
