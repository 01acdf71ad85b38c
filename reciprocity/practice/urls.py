from django.urls import path

from reciprocity.practice import erasure_views, views

app_name = "practice"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.two_factor_verify, name="two-factor-verify"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("settings/", views.settings_page, name="settings"),
    path("tokens/", views.api_tokens, name="tokens"),
    path("delete/", erasure_views.delete_account, name="delete-account"),
]
