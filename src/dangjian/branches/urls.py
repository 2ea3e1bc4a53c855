from django.urls import path

from dangjian.branches import views
from dangjian.core.documents import document_paths

app_name = "branches"

urlpatterns = [
    # grading years (基层组织建设年, 《组织建设年实施方案》附件1 二)
    path("", views.year_list, name="year_list"),
    path("years/new/", views.YearCreate.as_view(), name="year_create"),
    path("years/<int:pk>/", views.year_detail, name="year_detail"),
    path("years/<int:pk>/edit/", views.YearEdit.as_view(), name="year_edit"),
    path("years/<int:pk>/export/", views.year_export, name="year_export"),
    path("years/<int:pk>/start/", views.year_start, name="year_start"),
    # annex 5 党支部分类定级汇总表, annex 6 党支部整改汇总表
    *document_paths("years/<int:pk>/summary/", views.summary_print, "year_summary"),
    path("years/<int:pk>/summary.xlsx", views.summary_xlsx, name="year_summary_xlsx"),
    *document_paths(
        "years/<int:pk>/rectification/", views.rectification_print, "year_rectification"
    ),
    path(
        "years/<int:pk>/rectification.xlsx",
        views.rectification_xlsx,
        name="year_rectification_xlsx",
    ),
    # gradings (调查摸底与分类定级, annex 4)
    path("gradings/new/", views.grading_create, name="grading_create"),
    path("gradings/<int:pk>/", views.grading_detail, name="grading_detail"),
    path("gradings/<int:pk>/decide/", views.grading_decide, name="grading_decide"),
    path("gradings/<int:pk>/reopen/", views.grading_reopen, name="grading_reopen"),
    *document_paths("gradings/<int:pk>/print/", views.grading_print, "grading_print"),
    path("gradings/<int:pk>/form.xlsx", views.grading_xlsx, name="grading_xlsx"),
    path("history/<int:pk>/", views.branch_history, name="branch_history"),
    # rectification (整改提高方案, 整改事项)
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/discuss/", views.plan_discuss, name="plan_discuss"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:plan_pk>/items/new/", views.item_create, name="item_create"),
    path("items/", views.item_list, name="item_list"),
    path("items/export/", views.item_export, name="item_export"),
    path("items/verify/", views.item_batch_verify, name="item_batch_verify"),
    path("items/mine/", views.my_items, name="my_items"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:pk>/done/", views.item_done, name="item_done"),
    path("items/<int:pk>/verify/", views.item_verify, name="item_verify"),
    # grading standards (《组织建设年实施方案》附件2、3)
    path("standards/", views.standard_list, name="standard_list"),
    path("standards/<int:pk>/edit/", views.standard_edit, name="standard_edit"),
]
