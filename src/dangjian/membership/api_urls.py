from rest_framework.routers import SimpleRouter

from dangjian.membership.views import AWAY

router = SimpleRouter()
router.register("membership/away", AWAY.viewset(), basename="membership-away")

urlpatterns = router.urls
