from django.urls import path

from dangjian.partyschool import views
from dangjian.partyschool.views import RESULTS, SESSIONS

app_name = "partyschool"

urlpatterns = [
    path("", views.class_list, name="class_list"),
    path("mine/", views.my_results, name="my_results"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/print/", views.class_print, name="class_print"),
    path("classes/<int:pk>/export.xlsx", views.class_export, name="class_export"),
    path("classes/<int:pk>/sessions/new/", views.SessionCreate.as_view(), name="class_session"),
    path("classes/<int:pk>/results/new/", views.ResultCreate.as_view(), name="class_result"),
    path("session/<int:pk>/attendance/", views.Attendance.as_view(), name="attendance"),
    *SESSIONS.urls(),
    *RESULTS.urls(),
]
