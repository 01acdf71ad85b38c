from django.urls import path

from reciprocity.development import views

app_name = "development"
urlpatterns = [
    path("", views.index, name="index"),
    path("goals/", views.goal_create, name="goal-create"),
    path("goals/<int:pk>/progress/", views.goal_progress, name="goal-progress"),
    path("<slug:kind>/<int:pk>/delete/", views.delete, name="delete"),
    path("support/", views.support, name="support"),
]
