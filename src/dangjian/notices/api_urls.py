from rest_framework.routers import SimpleRouter

from dangjian.notices.api import MyNoticeViewSet, NoticeViewSet

router = SimpleRouter()
router.register("notices/notices", NoticeViewSet, basename="notices-notice")
router.register("notices/mine", MyNoticeViewSet, basename="notices-mine")

urlpatterns = router.urls
