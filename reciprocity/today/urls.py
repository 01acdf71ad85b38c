from django.urls import path

from reciprocity.today import views

app_name = "today"
urlpatterns = [
    path("", views.today, name="today"),
    path("more/", views.more, name="more"),
    path("reflected/", views.reflected, name="reflected"),
]
