from rest_framework.routers import SimpleRouter

from dangjian.reports.api import QuarterlyReportViewSet

router = SimpleRouter()
router.register("quarterly-reports", QuarterlyReportViewSet, basename="quarterly-report")

urlpatterns = router.urls
