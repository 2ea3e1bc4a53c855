from rest_framework.routers import SimpleRouter

from dangjian.outreach.api import (
    ComplianceViewSet,
    ContactViewSet,
    LeaderPointViewSet,
    LinkViewSet,
    VisitViewSet,
)

router = SimpleRouter()
router.register("outreach/contacts", ContactViewSet, basename="outreach-contact")
router.register("outreach/links", LinkViewSet, basename="outreach-link")
router.register("outreach/visits", VisitViewSet, basename="outreach-visit")
router.register("outreach/compliance", ComplianceViewSet, basename="outreach-compliance")
router.register("outreach/leader-points", LeaderPointViewSet, basename="outreach-leader-point")

urlpatterns = router.urls
