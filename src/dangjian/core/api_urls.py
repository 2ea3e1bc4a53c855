from django.urls import path
from rest_framework.routers import SimpleRouter

from dangjian.core.api_auth import ApiTokenViewSet, TokenObtainView

router = SimpleRouter()
router.register("tokens", ApiTokenViewSet, basename="api-tokens")

urlpatterns = [path("token/", TokenObtainView.as_view(), name="api-token"), *router.urls]
