"""DRF authentication by our own hashed, expiring API tokens (core.tokens)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from dangjian.core.tokens import token_authenticate


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token dj_…` (or `Bearer dj_…`)."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("令牌格式不正确。")
        try:
            raw = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("令牌格式不正确。") from None
        token = token_authenticate(raw)
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已被吊销。")
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "dangjian.core.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <令牌>，在“我的账号”页面或 POST /api/v1/auth/token/ 获取。",
        }
