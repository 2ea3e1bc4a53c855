from rest_framework.routers import SimpleRouter

from dangjian.orglife.api import (
    ComplianceViewSet,
    FrequencyRuleViewSet,
    HoursSummaryViewSet,
    MeetingViewSet,
    MyMeetingViewSet,
    StudyRecordViewSet,
    TrainingViewSet,
)

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("my-meetings", MyMeetingViewSet, basename="my-meeting")
router.register("frequency-rules", FrequencyRuleViewSet, basename="frequency-rule")
router.register("compliance", ComplianceViewSet, basename="compliance")
router.register("trainings", TrainingViewSet, basename="training")
router.register("study-records", StudyRecordViewSet, basename="study-record")
router.register("hours-summary", HoursSummaryViewSet, basename="hours-summary")

urlpatterns = router.urls
