from django.urls import path

from dangjian.accounts import views

app_name = "accounts"

urlpatterns = [
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/reissue/", views.BatchReissue.as_view(), name="batch_reissue"),
    path("batches/<int:pk>/sheet/", views.batch_sheet, name="batch_sheet"),
    path("batches/<int:pk>/xlsx/", views.batch_xlsx, name="batch_xlsx"),
    path("activate/<str:token>/", views.activate, name="activate"),
    path("first-password/", views.first_password, name="first_password"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("cas/login/", views.CasLoginView.as_view(), name="cas_login"),
    path("oidc/login/", views.OidcLoginView.as_view(), name="oidc_login"),
    path("oidc/callback/", views.OidcCallbackView.as_view(), name="oidc_callback"),
]
