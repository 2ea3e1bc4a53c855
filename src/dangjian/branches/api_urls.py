from rest_framework.routers import SimpleRouter

from dangjian.branches.api import (
    GradingViewSet,
    GradingYearViewSet,
    RectificationItemViewSet,
    RectificationPlanViewSet,
    StandardViewSet,
    SummaryViewSet,
)

router = SimpleRouter()
router.register("branches/standards", StandardViewSet, basename="branches-standard")
router.register("branches/grading-years", GradingYearViewSet, basename="branches-grading-year")
router.register("branches/gradings", GradingViewSet, basename="branches-grading")
router.register("branches/rectification-plans", RectificationPlanViewSet, basename="branches-plan")
router.register("branches/rectification-items", RectificationItemViewSet, basename="branches-item")
router.register("branches/summary", SummaryViewSet, basename="branches-summary")

urlpatterns = router.urls
