from django.urls import path

from reciprocity.prompts import views

app_name = "prompts"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("practice/", views.practice_defaults, name="practice"),
]
