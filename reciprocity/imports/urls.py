from django.urls import path

from reciprocity.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("map/", views.map_columns, name="map"),
]
