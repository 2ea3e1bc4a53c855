from rest_framework.routers import SimpleRouter

from dangjian.targets import api

router = SimpleRouter()
router.register("goals", api.GoalViewSet, basename="goal")
router.register("plans", api.PlanViewSet, basename="plan")
router.register("work-items", api.WorkItemViewSet, basename="work-item")
router.register("opinions", api.OpinionViewSet, basename="opinion")
router.register("decisions", api.DecisionViewSet, basename="decision")
router.register("tasks", api.TaskViewSet, basename="task")
router.register("evaluations", api.EvaluationViewSet, basename="evaluation")

urlpatterns = router.urls
