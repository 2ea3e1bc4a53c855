"""Holds a user who signed in with an initial password on the page that replaces it."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_PREFIXES = ("/static/", "/accounts/activate/", "/accounts/password-reset/")


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            target = reverse("accounts:first_password")
            allowed = (target, reverse("logout"))
            path = request.path
            if path not in allowed and not path.startswith(ALLOWED_PREFIXES):
                if path.startswith("/api/"):
                    return JsonResponse({"detail": "请先修改初始密码后再使用。"}, status=403)
                return redirect(target)
        return self.get_response(request)
