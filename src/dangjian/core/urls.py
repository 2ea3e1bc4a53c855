from django.contrib.auth import views as auth_views
from django.urls import path

from dangjian.core import auth_views as account_views
from dangjian.core import import_views, job_views, views

urlpatterns = [
    path("media/<path:path>", views.media_file, name="media_file"),
    path("jobs/", job_views.job_list, name="job_list"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", job_views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/file/", job_views.job_file, name="job_file"),
    path("imports/", import_views.import_index, name="import_index"),
    path("imports/job/<int:pk>/", import_views.import_job, name="import_job"),
    path("imports/job/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("imports/job/<int:pk>/commit/", import_views.import_commit, name="import_commit"),
    path("imports/<slug:kind>/", import_views.import_upload, name="import_upload"),
    path("imports/<slug:kind>/template/", import_views.import_template, name="import_template"),
    path("reminders/<int:pk>/dismiss/", views.reminder_dismiss, name="reminder_dismiss"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("login/verify/", account_views.login_verify, name="login_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="core/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="core/password_change_done.html"),
        name="password_change_done",
    ),
    path("account/", account_views.account, name="account"),
    path("account/otp/setup/", account_views.otp_setup, name="otp_setup"),
    path("account/otp/disable/", account_views.otp_disable, name="otp_disable"),
    path("account/otp/recovery/", account_views.otp_recovery_codes, name="otp_recovery_codes"),
    path("account/tokens/new/", account_views.token_create, name="token_create"),
    path("account/tokens/<int:pk>/revoke/", account_views.token_revoke, name="token_revoke"),
]
