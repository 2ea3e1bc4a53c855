from rest_framework.routers import SimpleRouter

from dangjian.development.api import (
    CaseViewSet,
    NoticeViewSet,
    ProbationReportViewSet,
    StageViewSet,
    VoteViewSet,
)

router = SimpleRouter()
router.register("development/cases", CaseViewSet, basename="development-case")
router.register("development/notices", NoticeViewSet, basename="development-notice")
router.register("development/votes", VoteViewSet, basename="development-vote")
router.register(
    "development/probation-reports", ProbationReportViewSet, basename="development-probation-report"
)
router.register("development/stages", StageViewSet, basename="development-stage")

urlpatterns = router.urls
