from django.urls import path
from rest_framework.routers import SimpleRouter

from dangjian.public.api import (
    PublicBoardView,
    PublicSuggestionCreateView,
    PublicTrackView,
    SuggestionViewSet,
)

router = SimpleRouter()
router.register("suggestions", SuggestionViewSet, basename="suggestion")

urlpatterns = [
    path("public/boards/<str:code>/", PublicBoardView.as_view(), name="public-board"),
    path("public/suggestions/", PublicSuggestionCreateView.as_view(), name="public-suggest"),
    path("public/track/<str:code>/", PublicTrackView.as_view(), name="public-track"),
    *router.urls,
]
