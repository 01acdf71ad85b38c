from django.urls import path

from reciprocity.voice import views

app_name = "voice"
urlpatterns = [
    path("transcribe/", views.transcribe, name="transcribe"),
]
