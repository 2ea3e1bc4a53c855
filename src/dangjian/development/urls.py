from django.urls import path

from dangjian.core.documents import document_paths
from dangjian.development import views

app_name = "development"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("export.xlsx", views.case_export, name="case_export"),
    path("new/", views.CaseCreate.as_view(), name="case_create"),
    path("mine/", views.my_case, name="my_case"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    *document_paths("cases/<int:pk>/print/", views.case_print, "case_print"),
    path("cases/<int:pk>/<slug:verb>/", views.case_act, name="case_act"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/objections/", views.ObjectionAdd.as_view(), name="objection_add"),
    path(
        "objections/<int:pk>/resolve/", views.ObjectionResolve.as_view(), name="objection_resolve"
    ),
    path("stages/", views.stage_list, name="stage_list"),
    path("stages/<int:pk>/edit/", views.StageEdit.as_view(), name="stage_edit"),
]
