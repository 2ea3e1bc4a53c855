from django.urls import path

from dangjian.notices import views
from dangjian.notices.views import NOTICES

app_name = "notices"
urlpatterns = [
    *NOTICES.urls(),
    path("notice/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notice/<int:pk>/publish/", views.PublishView.as_view(), name="notice_publish"),
    path("notice/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="notice_withdraw"),
    path("notice/<int:pk>/unread/", views.not_read_list, name="notice_unread"),
    path("notice/<int:pk>/unread.xlsx", views.not_read_export, name="notice_unread_export"),
    path(
        "notice/<int:pk>/attachments/new/",
        views.AttachmentAddView.as_view(),
        name="attachment_add",
    ),
    path(
        "attachment/<int:pk>/delete/",
        views.AttachmentRemoveView.as_view(),
        name="attachment_delete",
    ),
    path("mine/", views.my_notices, name="mine"),
    path("mine/<int:pk>/", views.read_notice, name="read"),
    path("mine/<int:pk>/confirm/", views.confirm_notice, name="confirm"),
    path("centre/", views.centre, name="centre"),
    path("centre/read-all/", views.mark_all_read, name="read_all"),
    path("centre/digest/", views.digest_preference, name="digest"),
    path("bell/", views.bell, name="bell"),
]
