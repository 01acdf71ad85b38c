from django.urls import path

from reciprocity.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.activity, name="activity"),
]
