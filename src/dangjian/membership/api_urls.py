from rest_framework.routers import SimpleRouter

from dangjian.membership.api import TransferViewSet
from dangjian.membership.views import AWAY, CONTACTS

router = SimpleRouter()
router.register("membership/away", AWAY.viewset(), basename="membership-away")
router.register("membership/contacts", CONTACTS.viewset(), basename="membership-contact")
router.register("membership/transfers", TransferViewSet, basename="membership-transfer")

urlpatterns = router.urls
