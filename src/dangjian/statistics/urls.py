from django.urls import path

from dangjian.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.statistics_page, name="page"),
    path("run/", views.statistics_run, name="run"),
    path("export.xlsx", views.statistics_export, name="export"),
]
