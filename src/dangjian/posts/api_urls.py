from rest_framework.routers import SimpleRouter

from dangjian.posts.api import (
    CommitmentViewSet,
    DutyCheckViewSet,
    DutyRecordViewSet,
    PostTypeViewSet,
    PostViewSet,
)

router = SimpleRouter()
router.register("post-types", PostTypeViewSet, basename="post-type")
router.register("posts", PostViewSet, basename="post")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("duty-records", DutyRecordViewSet, basename="duty-record")
router.register("duty-checks", DutyCheckViewSet, basename="duty-check")

urlpatterns = router.urls
