from django.urls import path

from dangjian.honours import views
from dangjian.honours.views import UNITS

app_name = "honours"

urlpatterns = [
    # 两优一先 (《基层组织建设实施意见》§四(五)3; 《组织建设年实施方案》§四(五))
    path("", views.round_list, name="round_list"),
    path("new/", views.RoundCreate.as_view(), name="round_create"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/quota/", views.QuotaSet.as_view(), name="quota_set"),
    path("<int:pk>/nominate/", views.NominationCreate.as_view(), name="nominate"),
    path("<int:pk>/notice/", views.NoticePost.as_view(), name="notice_post"),
    path("<int:pk>/decide/", views.RoundDecide.as_view(), name="decide"),
    path("<int:pk>/publish/", views.RoundPublish.as_view(), name="publish"),
    path("<int:pk>/export.xlsx", views.round_export, name="round_export"),
    path("<int:pk>/print/", views.round_print, name="round_print"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/review/", views.NominationReview.as_view(), name="review"),
    path("nominations/<int:pk>/withdraw/", views.NominationWithdraw.as_view(), name="withdraw"),
    path("nominations/<int:pk>/objection/", views.ObjectionRecord.as_view(), name="objection"),
    path("nominations/<int:pk>/print/", views.nomination_print, name="nomination_print"),
    path("objections/<int:pk>/resolve/", views.ObjectionResolve.as_view(), name="resolve"),
    # 典型培育 (《168模式实施意见》§六2; 《延伸提升168机制意见》§三)
    *UNITS.urls(),
    path("unit/<int:pk>/check/", views.UnitCheckAdd.as_view(), name="unit_check"),
    path("unit/<int:pk>/review/", views.UnitReview.as_view(), name="unit_review"),
    path("unit/<int:pk>/print/", views.unit_print, name="unit_print"),
    path("unit/counts/", views.unit_counts, name="unit_counts"),
]
