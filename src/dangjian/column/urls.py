from django.urls import path

from dangjian.column import views
from dangjian.column.views import ARTICLES

app_name = "column"
urlpatterns = [
    *ARTICLES.urls(),
    path("article/<int:pk>/", views.article_detail, name="article_detail"),
    path("article/<int:pk>/print/", views.article_print, name="article_print"),
    path("article/<int:pk>/submit/", views.SubmitView.as_view(), name="article_submit"),
    path("article/<int:pk>/approve/", views.ApproveView.as_view(), name="article_approve"),
    path("article/<int:pk>/return/", views.ReturnView.as_view(), name="article_return"),
    path("article/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="article_withdraw"),
    path("article/<int:pk>/photos/new/", views.PhotoAddView.as_view(), name="photo_add"),
    path(
        "article/<int:pk>/attachments/new/",
        views.AttachmentAddView.as_view(),
        name="attachment_add",
    ),
    path("photo/<int:pk>/delete/", views.PhotoRemoveView.as_view(), name="photo_delete"),
    path(
        "attachment/<int:pk>/delete/",
        views.AttachmentRemoveView.as_view(),
        name="attachment_delete",
    ),
    path("review/", views.review_list, name="review_list"),
    path("from-summary/", views.FromSummaryView.as_view(), name="from_summary"),
]
