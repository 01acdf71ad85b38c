from django.urls import path

from reciprocity.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.start, name="start"),
    path("map/", views.map_titles, name="map"),
    path("preview/", views.preview, name="preview"),
]
