from django.urls import path

from dangjian.org import excel_views, picker_views, views

app_name = "org"

urlpatterns = [
    path("tree/", views.org_tree, name="org_tree"),
    path("tree/more/", views.org_roots, name="org_roots"),
    path("tree/<int:pk>/children/", views.org_children, name="org_children"),
    path("new/", views.OrgCreate.as_view(), name="org_create_root"),
    path("<int:pk>/", views.org_detail, name="org_detail"),
    path("<int:parent_pk>/new/", views.OrgCreate.as_view(), name="org_create"),
    path("<int:pk>/edit/", views.OrgEdit.as_view(), name="org_edit"),
    path("<int:pk>/move/", views.OrgMove.as_view(), name="org_move"),
    path("<int:pk>/dissolve/", views.OrgDissolve.as_view(), name="org_dissolve"),
    path("<int:pk>/positions/new/", views.PositionCreate.as_view(), name="position_create"),
    path("positions/<int:pk>/end/", views.PositionEnd.as_view(), name="position_end"),
    path("<int:pk>/terms/new/", views.TermCreate.as_view(), name="term_create"),
    path(
        "<int:pk>/leading-groups/new/",
        views.LeadingGroupCreate.as_view(),
        name="leading_group_create",
    ),
    path(
        "leading-groups/<int:pk>/edit/", views.LeadingGroupEdit.as_view(), name="leading_group_edit"
    ),
    path(
        "leading-groups/<int:pk>/members/new/",
        views.LeadingGroupMemberAdd.as_view(),
        name="leading_group_member_add",
    ),
    path(
        "leading-groups/members/<int:pk>/remove/",
        views.LeadingGroupMemberRemove.as_view(),
        name="leading_group_member_remove",
    ),
    path("pick/organisations/", picker_views.pick_organisations, name="pick_organisations"),
    path("pick/people/", picker_views.pick_people, name="pick_people"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.UnitCreate.as_view(), name="unit_create"),
    path("units/<int:pk>/edit/", views.UnitEdit.as_view(), name="unit_edit"),
    path("units/<int:pk>/dissolve/", views.UnitDissolve.as_view(), name="unit_dissolve"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.PersonCreate.as_view(), name="person_create"),
    path("people/export.xlsx", excel_views.person_export, name="person_export"),
    path("people/import/", excel_views.person_import, name="person_import"),
    path("people/import/template.xlsx", excel_views.import_template, name="import_template"),
    path("people/import/<int:pk>/", excel_views.import_job, name="import_job"),
    path("people/import/<int:pk>/step/", excel_views.import_step, name="import_step"),
    path("people/import/<int:pk>/progress/", excel_views.import_progress, name="import_progress"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEdit.as_view(), name="person_edit"),
    path("people/<int:pk>/status/", views.PersonStatus.as_view(), name="person_status"),
    path("people/<int:pk>/leave/", views.PersonLeave.as_view(), name="person_leave"),
    path("people/<int:pk>/restore/", views.PersonRestore.as_view(), name="person_restore"),
]
