from django.urls import path

from dangjian.manual.api import ManualChapterView, ManualListView

urlpatterns = [
    path("manual/", ManualListView.as_view(), name="api-manual-list"),
    # str, not slug: an unknown name must reach the view and answer a JSON 404.
    path("manual/<str:slug>/", ManualChapterView.as_view(), name="api-manual-chapter"),
]
