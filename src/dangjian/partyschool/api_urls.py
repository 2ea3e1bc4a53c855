from rest_framework.routers import SimpleRouter

from dangjian.partyschool.api import ClassViewSet, SessionViewSet
from dangjian.partyschool.views import RESULTS

router = SimpleRouter()
router.register("partyschool/classes", ClassViewSet, basename="partyschool-class")
router.register("partyschool/sessions", SessionViewSet, basename="partyschool-session")
router.register("partyschool/results", RESULTS.viewset(), basename="partyschool-result")

urlpatterns = router.urls
