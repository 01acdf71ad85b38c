from django.urls import path

from reciprocity.therapy import views

app_name = "therapy"
urlpatterns = [
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/techniques/", views.techniques, name="techniques"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session-delete"),
    path("reflections/", views.reflection_list, name="reflection-list"),
    path("reflections/new/", views.reflection_create, name="reflection-create"),
    path("reflections/<int:pk>/", views.reflection_detail, name="reflection-detail"),
    path("reflections/<int:pk>/edit/", views.reflection_edit, name="reflection-edit"),
    path("reflections/<int:pk>/delete/", views.reflection_delete, name="reflection-delete"),
]
