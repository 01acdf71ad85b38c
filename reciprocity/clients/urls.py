from django.urls import path

from reciprocity.clients import views

app_name = "clients"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("concerns/", views.concerns, name="concerns"),
    path("<code:code>/", views.detail, name="detail"),
    path("<code:code>/edit/", views.edit, name="edit"),
]
