from django.urls import path

from dangjian.core.documents import document_paths
from dangjian.reports import cockpit_views, file_views, views

app_name = "reports"

urlpatterns = [
    *document_paths("people/<int:pk>/file/", file_views.person_file_page, "person_file"),
    *document_paths("organisations/<int:pk>/file/", file_views.branch_file_page, "branch_file"),
    path("cockpit/", cockpit_views.cockpit_page, name="cockpit"),
    path("cockpit.xlsx", cockpit_views.cockpit_export, name="cockpit_export"),
    path("cockpit/tree-status/", cockpit_views.tree_status, name="tree_status"),
    path("", views.report_list, name="report_list"),
    path("generate/", views.report_generate, name="report_generate"),
    path("summary.xlsx", views.summary_export, name="summary_export"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/refresh/", views.ReportRefresh.as_view(), name="report_refresh"),
    path("<int:pk>/submit/", views.ReportSubmit.as_view(), name="report_submit"),
    path("<int:pk>/accept/", views.ReportAccept.as_view(), name="report_accept"),
    path("<int:pk>/return/", views.ReportReturn.as_view(), name="report_return"),
    *document_paths("<int:pk>/print/", views.report_print, "report_print"),
    path("<int:pk>/export.xlsx", views.report_export, name="report_export"),
]
