from django.urls import path
from rest_framework.routers import SimpleRouter

from dangjian.surveys.api import PublicBallotView, PublicFormView, SurveyViewSet

router = SimpleRouter()
router.register("surveys", SurveyViewSet, basename="survey")

urlpatterns = [
    # public, no login (one-time links)
    path("surveys/ballots/", PublicBallotView.as_view(), name="survey-ballot"),
    path("surveys/forms/<str:token>/", PublicFormView.as_view(), name="survey-form"),
    *router.urls,
]
