from rest_framework.routers import SimpleRouter

from dangjian.appraisal.api import (
    CycleViewSet,
    HonourViewSet,
    RatingViewSet,
    RectificationViewSet,
    ResultViewSet,
    SelfReportViewSet,
)

router = SimpleRouter()
router.register("appraisal/cycles", CycleViewSet, basename="appraisal-cycle")
router.register("appraisal/results", ResultViewSet, basename="appraisal-result")
router.register("appraisal/self-reports", SelfReportViewSet, basename="appraisal-self-report")
router.register("appraisal/ratings", RatingViewSet, basename="appraisal-rating")
router.register("appraisal/honours", HonourViewSet, basename="appraisal-honour")
router.register(
    "appraisal/rectifications", RectificationViewSet, basename="appraisal-rectification"
)

urlpatterns = router.urls
