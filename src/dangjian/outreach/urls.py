from django.urls import path

from dangjian.outreach import views

app_name = "outreach"

urlpatterns = [
    # contacts with the masses (《基层组织建设实施意见》§四(二)4(2))
    path("", views.contact_list, name="contact_list"),
    path("contacts/export/", views.contact_export, name="contact_export"),
    path("contacts/mine/", views.my_contacts, name="my_contacts"),
    path("contacts/add/<int:member_pk>/", views.ContactAdd.as_view(), name="contact_add"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/end/", views.ContactEnd.as_view(), name="contact_end"),
    # links of 三联二访 (《基层组织建设实施意见》§四(四)1)
    path("links/", views.link_list, name="link_list"),
    path("links/new/", views.LinkCreate.as_view(), name="link_create"),
    path("links/<int:pk>/", views.link_detail, name="link_detail"),
    path("links/<int:pk>/end/", views.LinkEnd.as_view(), name="link_end"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/export/", views.compliance_export, name="compliance_export"),
    # visits (三联二访, 两访两创)
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/export/", views.visit_export, name="visit_export"),
    path("visits/mine/", views.my_visits, name="my_visits"),
    path("visits/new/", views.VisitCreate.as_view(), name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.VisitEdit.as_view(), name="visit_edit"),
    path("visits/<int:pk>/delete/", views.VisitDelete.as_view(), name="visit_delete"),
    path("summary/", views.interview_summary, name="interview_summary"),
    path("leader-points/", views.leader_points, name="leader_points"),
    path("leader-points/export/", views.leader_points_export, name="leader_points_export"),
]
