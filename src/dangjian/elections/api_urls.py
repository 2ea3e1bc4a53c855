from rest_framework.routers import SimpleRouter

from dangjian.elections.api import ElectionViewSet

router = SimpleRouter()
router.register("elections", ElectionViewSet, basename="elections-election")

urlpatterns = router.urls
