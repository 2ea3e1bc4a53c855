from django.urls import path

from dangjian.assessment import views
from dangjian.core.documents import document_paths

app_name = "assessment"

urlpatterns = [
    # rounds (考核) and their results
    path("", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/export/", views.round_export, name="round_export"),
    path("rounds/<int:pk>/funding/", views.funding, name="funding"),
    path("rounds/<int:pk>/funding/export/", views.funding_export, name="funding_export"),
    path("rounds/<int:pk>/secretaries/", views.secretary_grades, name="secretary_grades"),
    path("rounds/<int:pk>/secretaries/export/", views.secretary_export, name="secretary_export"),
    # one branch's assessment
    path("branches/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("branches/<int:pk>/scores/", views.scores_save, name="scores_save"),
    path("branches/<int:pk>/submit/", views.submit_self, name="submit"),
    path("branches/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("branches/<int:pk>/score/", views.finish_scoring, name="score"),
    path("branches/<int:pk>/claims/", views.claim_create, name="claim_create"),
    path("branches/<int:pk>/veto/", views.veto, name="veto"),
    path("branches/<int:pk>/notify/", views.notify, name="notify"),
    path("branches/<int:pk>/appeal/", views.appeal, name="appeal"),
    path("branches/<int:pk>/answer/", views.answer, name="answer"),
    *document_paths("branches/<int:pk>/print/", views.sheet_print, "sheet_print"),
    path("branches/<int:pk>/export/", views.sheet_export, name="sheet_export"),
    path("claims/<int:pk>/delete/", views.claim_delete, name="claim_delete"),
    path("claims/<int:pk>/review/", views.claim_review, name="claim_review"),
    # score-sheet templates
    path("templates/", views.template_list, name="template_list"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("templates/<int:pk>/copy/", views.template_copy, name="template_copy"),
    *document_paths("templates/<int:pk>/print/", views.template_print, "template_print"),
    path("templates/items/<int:pk>/edit/", views.item_edit, name="item_edit"),
]
