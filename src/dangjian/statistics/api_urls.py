from rest_framework.routers import SimpleRouter

from dangjian.statistics.api import StatisticsRunViewSet

router = SimpleRouter()
router.register("statistics", StatisticsRunViewSet, basename="statistics-run")

urlpatterns = router.urls
