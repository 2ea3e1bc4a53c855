from django.urls import path

from dangjian.orglife import views

app_name = "orglife"

urlpatterns = [
    # meetings
    path("", views.meeting_list, name="meeting_list"),
    path("export/", views.meeting_export, name="meeting_export"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("plan/", views.meeting_plan, name="meeting_plan"),
    path("calendar/", views.meeting_calendar, name="calendar"),
    path("signin/<str:token>/", views.signin, name="signin"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/delete/", views.MeetingDelete.as_view(), name="meeting_delete"),
    path("<int:pk>/signin-qr/", views.signin_qr, name="signin_qr"),
    path("<int:pk>/files/new/", views.MeetingFileAdd.as_view(), name="meeting_file_add"),
    path("files/<int:pk>/delete/", views.MeetingFileRemove.as_view(), name="meeting_file_delete"),
    path("<int:pk>/signin-qr/code/", views.signin_qr_code, name="signin_qr_code"),
    path(
        "<int:pk>/leave/<int:leave_pk>/",
        views.LeaveDecide.as_view(),
        name="leave_decide",
    ),
    # frequency rules and compliance
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/xlsx/", views.compliance_xlsx, name="compliance_xlsx"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/<int:pk>/edit/", views.RuleEdit.as_view(), name="rule_edit"),
    # activity record book
    path("record-book/", views.record_book, name="record_book"),
    path("record-book/xlsx/", views.record_book_xlsx, name="record_book_xlsx"),
    # trainings, hours
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.TrainingForm.as_view(), name="training_create"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", views.TrainingForm.as_view(), name="training_edit"),
    path("trainings/<int:pk>/delete/", views.TrainingDelete.as_view(), name="training_delete"),
    path("hours/", views.hours, name="hours"),
    path("hours/xlsx/", views.hours_xlsx, name="hours_xlsx"),
    path("hours/new/", views.StudyRecordCreate.as_view(), name="study_record_create"),
    path("hours/<int:pk>/delete/", views.StudyRecordDelete.as_view(), name="study_record_delete"),
    path("secretaries/", views.secretary_training, name="secretary_training"),
    # the member's own pages
    path("my/", views.my_meetings, name="my_meetings"),
    path("my/hours/", views.my_hours, name="my_hours"),
    path("my/<int:pk>/", views.my_meeting, name="my_meeting"),
]
