"""API sign-in: POST /api/v1/auth/token/ issues a token (once); GET/DELETE /api/v1/auth/tokens/
lists and revokes the caller's own tokens."""

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.core import authguard, otp, tokens
from dangjian.core.models import ApiToken


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(
        label="密码", max_length=128, write_only=True, trim_whitespace=False
    )
    otp = serializers.CharField(
        label="动态码", max_length=32, required=False, allow_blank=True, default=""
    )
    name = serializers.CharField(
        label="令牌名称", max_length=100, required=False, allow_blank=True, default=""
    )


class TokenIssuedSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="令牌本身，只返回这一次。")
    prefix = serializers.CharField()
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
            "status",
        ]
        read_only_fields = fields


ERROR = inline_serializer("AuthError", {"detail": serializers.CharField()})


class TokenObtainView(APIView):
    """Issue an API token for a user name and password (and the authenticator's code when the
    user has one). Every attempt passes the sign-in throttle."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenIssuedSerializer,
            400: OpenApiResponse(description="用户名、密码或动态码不正确"),
            429: OpenApiResponse(ERROR, description="登录失败次数过多，已临时锁定"),
        },
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        http = request._request
        username = data["username"].strip()
        refusal = authguard.check(http, username)
        if refusal is not None:
            return _locked(refusal)
        user = authenticate(http, username=username, password=data["password"])
        if user is None:
            refusal = authguard.failed(http, username)
            if refusal is not None:
                return _locked(refusal)
            raise serializers.ValidationError({"non_field_errors": ["用户名或密码不正确。"]})
        if otp.has_device(user):
            if not data["otp"]:
                raise serializers.ValidationError(
                    {"otp": ["该账号已启用双因素认证，请填写动态码。"]}
                )
            if otp.verify(user, data["otp"]) is None:
                refusal = authguard.failed(http, username, detail="动态码错误")
                if refusal is not None:
                    return _locked(refusal)
                raise serializers.ValidationError({"otp": ["动态码不正确或已使用。"]})
        elif settings.OTP_ENFORCE and otp.required(user):
            raise serializers.ValidationError(
                {"otp": ["您的账号须先在网页“我的账号”中启用双因素认证，才能获取接口令牌。"]}
            )
        token, raw = tokens.token_issue(user=user, name=data["name"], request=http)
        if getattr(user, "must_change_password", False):
            # an initial password (账号开通) is replaced on the web page before anything else
            raise serializers.ValidationError(
                {"password": ["请先在网页上登录并设置自己的密码，再获取接口令牌。"]}
            )
        authguard.succeeded(http, user, detail="获取接口令牌")
        body = {"token": raw, "prefix": token.prefix, "name": token.name}
        body["expires_at"] = token.expires_at
        response = Response(TokenIssuedSerializer(body).data)
        response["Cache-Control"] = "no-store"
        return response


def _locked(refusal: authguard.Refusal) -> Response:
    return Response(
        {"detail": refusal.message},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(refusal.minutes * 60)},
    )


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's own API tokens; DELETE revokes one (the row stays, marked revoked)."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user)

    def perform_destroy(self, instance):
        tokens.token_revoke(token=instance, actor=self.request.user, request=self.request._request)
