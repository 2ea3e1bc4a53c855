from django.urls import path
from rest_framework.routers import SimpleRouter

from dangjian.column.api import ArticleViewSet, PublicColumnDetail, PublicColumnList

router = SimpleRouter()
router.register("column/articles", ArticleViewSet, basename="column-article")

urlpatterns = [
    path("public/column/", PublicColumnList.as_view(), name="public-column"),
    path("public/column/<int:pk>/", PublicColumnDetail.as_view(), name="public-column-article"),
    *router.urls,
]
