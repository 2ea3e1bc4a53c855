from django.urls import path

from dangjian.core.documents import document_paths
from dangjian.targets import views

app_name = "targets"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("plans/new/", views.PlanCreate.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanEdit.as_view(), name="plan_edit"),
    path("goals/", views.goal_list, name="goal_list"),
    path("goals/new/", views.GoalCreate.as_view(), name="goal_create"),
    path("goals/<int:pk>/edit/", views.GoalEdit.as_view(), name="goal_edit"),
    path("goals/<int:pk>/achieve/", views.GoalAchieve.as_view(), name="goal_achieve"),
    path("goals/<int:pk>/delete/", views.GoalDelete.as_view(), name="goal_delete"),
    path("items/", views.workitem_list, name="workitem_list"),
    path("items/new/", views.WorkItemCreate.as_view(), name="workitem_create"),
    path("items/<int:pk>/", views.workitem_detail, name="workitem_detail"),
    path("items/<int:pk>/edit/", views.WorkItemEdit.as_view(), name="workitem_edit"),
    path("items/<int:pk>/close-step/", views.workitem_close_step, name="workitem_close_step"),
    path("items/<int:pk>/opinions/new/", views.OpinionCreate.as_view(), name="opinion_create"),
    path("items/<int:pk>/decisions/new/", views.DecisionCreate.as_view(), name="decision_create"),
    path("items/<int:pk>/tasks/new/", views.TaskCreate.as_view(), name="task_create"),
    path("items/<int:pk>/evaluation/", views.EvaluationEdit.as_view(), name="evaluation_edit"),
    path(
        "items/<int:pk>/evaluation/publish/",
        views.EvaluationPublish.as_view(),
        name="evaluation_publish",
    ),
    path("items/<int:pk>/letters/", views.workitem_letters, name="workitem_letters"),
    path("opinions/<int:pk>/edit/", views.OpinionEdit.as_view(), name="opinion_edit"),
    path("decisions/<int:pk>/edit/", views.DecisionEdit.as_view(), name="decision_edit"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/export.xlsx", views.task_export, name="task_export"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskEdit.as_view(), name="task_edit"),
    path("tasks/<int:pk>/publish/", views.TaskPublish.as_view(), name="task_publish"),
    path("tasks/<int:pk>/progress/", views.ProgressReport.as_view(), name="task_progress"),
    path("my-tasks/", views.my_tasks, name="my_tasks"),
    path("letters/", views.org_letters, name="org_letters"),
    *document_paths("annex1/", views.annex1, "annex1"),
    path("annex1.xlsx", views.annex1_export, name="annex1_export"),
]
