from django.contrib.auth.decorators import login_required
from django.urls import path

from dangjian.elections import views
from dangjian.elections.views import ELECTIONS

app_name = "elections"
r = ELECTIONS
urlpatterns = [
    path("", views.term_list, name="term_list"),
    path("terms.xlsx", views.term_export, name="term_export"),
    path("election/", login_required(r.list_view), name="election_list"),
    path("election/export.xlsx", login_required(r.export_view), name="election_export"),
    path("election/new/", r.form_view().as_view(), name="election_create"),
    path("election/<int:pk>/", views.election_detail, name="election_detail"),
    path("election/<int:pk>/edit/", r.form_view().as_view(), name="election_edit"),
    path("election/<int:pk>/delete/", r.delete_view().as_view(), name="election_delete"),
    path("election/<int:pk>/submit/", views.Submit.as_view(), name="election_submit"),
    path("election/<int:pk>/approve-plan/", views.ApprovePlan.as_view(), name="approve_plan"),
    path("election/<int:pk>/return-plan/", views.ReturnPlan.as_view(), name="return_plan"),
    path("election/<int:pk>/candidates/", views.CandidateAdd.as_view(), name="candidate_add"),
    path(
        "election/<int:pk>/candidates/<int:candidate>/remove/",
        views.CandidateRemove.as_view(),
        name="candidate_remove",
    ),
    path("election/<int:pk>/ballot/", views.Ballot.as_view(), name="ballot"),
    path("election/<int:pk>/approve-result/", views.ApproveResult.as_view(), name="approve_result"),
    path("election/<int:pk>/appoint/", views.Appoint.as_view(), name="appoint"),
    path("election/<int:pk>/print/", views.election_print, name="election_print"),
]
