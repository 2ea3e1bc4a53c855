from rest_framework.routers import SimpleRouter

from dangjian.honours.api import NominationViewSet, RoundViewSet, UnitViewSet

router = SimpleRouter()
router.register("honours/rounds", RoundViewSet, basename="honours-round")
router.register("honours/nominations", NominationViewSet, basename="honours-nomination")
router.register("honours/units", UnitViewSet, basename="honours-unit")

urlpatterns = router.urls
