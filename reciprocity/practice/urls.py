from django.contrib.auth import views as auth_views
from django.urls import path

from reciprocity.practice import erasure_views, views

app_name = "practice"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("settings/", views.settings_page, name="settings"),
    path("tokens/", views.api_tokens, name="tokens"),
    path("delete/", erasure_views.delete_account, name="delete-account"),
]
