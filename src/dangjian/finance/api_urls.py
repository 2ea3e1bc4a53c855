from django.urls import path
from rest_framework.routers import SimpleRouter

from dangjian.finance import api
from dangjian.finance.views import FUND

router = SimpleRouter()
router.register("finance/standards", api.DuesStandardViewSet, basename="finance-standards")
router.register("finance/payments", api.DuesPaymentViewSet, basename="finance-payments")
router.register("finance/fund", FUND.viewset(), basename="finance-fund")

urlpatterns = [
    path("finance/payments/batch/", api.PaymentBatchView.as_view(), name="finance-payments-batch"),
    path("finance/statistics/", api.StatisticsView.as_view(), name="finance-statistics"),
    *router.urls,
]
