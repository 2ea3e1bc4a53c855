from rest_framework.routers import SimpleRouter

from dangjian.review.api import ReportViewSet, RoundViewSet

router = SimpleRouter()
router.register("review/rounds", RoundViewSet, basename="review-round")
router.register("review/reports", ReportViewSet, basename="review-report")

urlpatterns = router.urls
