from django.urls import path

from reciprocity.repertoire import views

app_name = "repertoire"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/tried/", views.trial_create, name="trial-create"),
    path("tried/<int:pk>/delete/", views.trial_delete, name="trial-delete"),
]
