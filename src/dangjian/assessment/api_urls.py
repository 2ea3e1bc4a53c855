from rest_framework.routers import SimpleRouter

from dangjian.assessment.api import BranchAssessmentViewSet, RoundViewSet, TemplateViewSet

router = SimpleRouter()
router.register("assessment/templates", TemplateViewSet, basename="assessment-template")
router.register("assessment/rounds", RoundViewSet, basename="assessment-round")
router.register(
    "assessment/branch-assessments", BranchAssessmentViewSet, basename="assessment-branch"
)

urlpatterns = router.urls
