from django.urls import path

from reciprocity.checkins import views

app_name = "checkins"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:instrument_id>/new/", views.create, name="create"),
]
