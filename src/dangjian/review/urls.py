from django.urls import path

from dangjian.review import views
from dangjian.review.views import ROUNDS

app_name = "review"
urlpatterns = [
    *ROUNDS.urls(),
    path("round/<int:pk>/", views.round_detail, name="round_detail"),
    path("round/<int:pk>/publish/", views.PublishView.as_view(), name="round_publish"),
    path("round/<int:pk>/results.xlsx", views.round_export, name="round_results_export"),
    path("round/<int:pk>/print/", views.round_print, name="round_print"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/submit/", views.SubmitView.as_view(), name="report_submit"),
    path("reports/<int:pk>/rating/", views.RatingView.as_view(), name="report_rating"),
    path("reports/<int:pk>/review/", views.ReviewView.as_view(), name="report_review"),
    path("reports/<int:pk>/print/", views.report_print, name="report_print"),
]
