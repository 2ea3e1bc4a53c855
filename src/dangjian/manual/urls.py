from django.urls import path

from dangjian.manual import views

app_name = "manual"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.chapter, name="chapter"),
]
