from rest_framework.routers import SimpleRouter

from dangjian.accounts.api import AccountBatchViewSet

router = SimpleRouter()
router.register("accounts/batches", AccountBatchViewSet, basename="account-batch")

urlpatterns = router.urls
