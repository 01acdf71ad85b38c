from django.urls import path

from reciprocity.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("flywheel/", views.flywheel_page, name="flywheel"),
    path("flywheel/alerts/", views.alert_respond, name="alert-respond"),
    path("practice/", views.practice_view, name="practice"),
]
