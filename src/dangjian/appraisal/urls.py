from django.urls import path

from dangjian.appraisal import views
from dangjian.core.documents import document_paths

app_name = "appraisal"

urlpatterns = [
    # the member's own pages (phone)
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/report/", views.self_report, name="self_report"),
    # cycles
    path("", views.cycle_list, name="cycle_list"),
    path("new/", views.CycleCreate.as_view(), name="cycle_create"),
    path("<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("<int:pk>/progress.xlsx", views.cycle_progress_xlsx, name="cycle_progress_xlsx"),
    path("<int:pk>/compute/", views.cycle_compute, name="cycle_compute"),
    path("<int:pk>/publish/", views.cycle_publish, name="cycle_publish"),
    path("<int:pk>/evaluate-posts/", views.cycle_evaluate_posts, name="cycle_evaluate_posts"),
    path("<int:pk>/rate/", views.rating, name="rating"),
    path("<int:pk>/results/", views.cycle_results, name="cycle_results"),
    *document_paths("<int:pk>/results/print/", views.cycle_print, "cycle_print"),
    path("<int:pk>/results/xlsx/", views.cycle_xlsx, name="cycle_xlsx"),
    # results and honours
    path("results/<int:pk>/", views.result_detail, name="result_detail"),
    path("results/<int:pk>/honour/", views.HonourAward.as_view(), name="honour_award"),
    path("honours/", views.honour_list, name="honour_list"),
    path("honours/export/", views.honour_export, name="honour_export"),
    path("honours/<int:pk>/revoke/", views.HonourRevoke.as_view(), name="honour_revoke"),
    # rectification
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path(
        "rectifications/<int:pk>/explain/",
        views.rectification_explain,
        name="rectification_explain",
    ),
    path(
        "rectifications/<int:pk>/complete/",
        views.rectification_complete,
        name="rectification_complete",
    ),
    path(
        "rectifications/<int:pk>/verify/",
        views.rectification_verify,
        name="rectification_verify",
    ),
]
