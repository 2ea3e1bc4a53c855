from django.urls import path

from dangjian.surveys import views

app_name = "surveys"

urlpatterns = [
    # officers (民意测评, 满意度测评)
    path("", views.survey_list, name="survey_list"),
    path("export/", views.survey_export, name="survey_export"),
    path("new/", views.survey_create, name="survey_create"),
    path("new/subjects/", views.subject_choices, name="subject_choices"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:pk>/issue/", views.survey_issue, name="survey_issue"),
    path("<int:pk>/close/", views.survey_close, name="survey_close"),
    path("<int:pk>/result.xlsx", views.result_export, name="result_export"),
    path("<int:pk>/batches/<int:batch>/print/", views.batch_print, name="batch_print"),
    path("<int:pk>/batches/<int:batch>/links.xlsx", views.batch_export, name="batch_export"),
    # the public answer page: no login
    path("t/<str:token>/", views.answer, name="answer"),
    path("t/<str:token>/done/", views.answer_done, name="answer_done"),
]
