from django.urls import path

from dangjian.manual.api import ManualChapterView, ManualListView

urlpatterns = [
    path("manual/", ManualListView.as_view(), name="api-manual-list"),
    path("manual/<slug:slug>/", ManualChapterView.as_view(), name="api-manual-chapter"),
]
