from django.urls import path

from reciprocity.recall import views

app_name = "recall"
urlpatterns = [path("", views.index, name="index")]
