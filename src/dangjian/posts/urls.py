from django.urls import path

from dangjian.core.documents import document_paths
from dangjian.posts import views

app_name = "posts"

urlpatterns = [
    # member home
    path("my/", views.my_posts, name="my_posts"),
    # catalogue
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.PostTypeCreate.as_view(), name="post_type_create"),
    path("catalogue/<int:pk>/edit/", views.PostTypeEdit.as_view(), name="post_type_edit"),
    path(
        "catalogue/<int:pk>/toggle/",
        views.PostTypeToggle.as_view(),
        name="post_type_toggle",
    ),
    # posts and their six steps
    path("", views.post_list, name="post_list"),
    path("new/", views.PostCreate.as_view(), name="post_create"),
    path("batch/", views.post_batch, name="post_batch"),
    path("rollover/", views.PostRollover.as_view(), name="post_rollover"),
    path("<int:pk>/", views.post_detail, name="post_detail"),
    path("<int:pk>/edit/", views.PostEdit.as_view(), name="post_edit"),
    path("<int:pk>/assign/", views.PostAssign.as_view(), name="post_assign"),
    path("<int:pk>/evaluate/", views.PostEvaluate.as_view(), name="post_evaluate"),
    path("<int:pk>/do/<slug:action>/", views.PostAction.as_view(), name="post_action"),
    # forms of the seeds
    *document_paths("registration/", views.registration, "registration"),
    path("registration/xlsx/", views.registration_xlsx, name="registration_xlsx"),
    *document_paths("annex2/", views.annex2, "annex2"),
    path("annex2/xlsx/", views.annex2_xlsx, name="annex2_xlsx"),
    # commitments
    path("commitments/", views.commitment_list, name="commitment_list"),
    path("commitments/mine/", views.CommitmentMine.as_view(), name="commitment_mine"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/edit/", views.CommitmentEdit.as_view(), name="commitment_edit"),
    path(
        "commitments/<int:pk>/publish/",
        views.CommitmentPublish.as_view(),
        name="commitment_publish",
    ),
    *document_paths("commitments/<int:pk>/print/", views.commitment_print, "commitment_print"),
    # duty records
    path("duty/", views.duty_record_list, name="duty_record_list"),
    path("duty/export/", views.duty_record_export, name="duty_record_export"),
    path("duty/mine/", views.duty_record_mine, name="duty_record_mine"),
    path("duty/new/", views.DutyRecordCreate.as_view(), name="duty_record_create"),
    path("duty/<int:pk>/edit/", views.DutyRecordEdit.as_view(), name="duty_record_edit"),
    path("duty/<int:pk>/delete/", views.DutyRecordDelete.as_view(), name="duty_record_delete"),
    # checks
    path("checks/", views.duty_check_list, name="duty_check_list"),
    path("checks/monthly/new/", views.DutyCheckCreate.as_view(), name="duty_check_create"),
    path("checks/quarterly/new/", views.DutyCheckQuarterly.as_view(), name="duty_check_quarterly"),
    path(
        "checks/<int:pk>/circulate/",
        views.DutyCheckCirculate.as_view(),
        name="duty_check_circulate",
    ),
    # summaries
    path("summaries/", views.summary_list, name="summary_list"),
    path("summaries/mine/", views.SummaryMine.as_view(), name="summary_mine"),
    path("summaries/org/new/", views.SummaryOrgCreate.as_view(), name="summary_org_create"),
    path("summaries/<int:pk>/", views.summary_detail, name="summary_detail"),
]
