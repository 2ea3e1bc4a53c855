from rest_framework.routers import SimpleRouter

from dangjian.org.api import OrganisationViewSet, PersonViewSet, PositionViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")
router.register("positions", PositionViewSet, basename="position")

urlpatterns = router.urls
