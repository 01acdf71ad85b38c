from django.contrib import admin
from django.urls import include, path

from reciprocity.measures import views as measures_views

urlpatterns = [
    path("", include("reciprocity.therapy.urls")),
    path("accounts/", include("reciprocity.practice.urls")),
    path("clients/", include("reciprocity.clients.urls")),
    path("dashboard/", include("reciprocity.insights.urls")),
    path("measures/", include("reciprocity.measures.urls")),
    path("checkins/", include("reciprocity.checkins.urls")),
    path("q/<str:token>/", measures_views.client_link, name="client-link"),
    path("admin/", admin.site.urls),
]

handler400 = "reciprocity.config.errors.bad_request"
handler403 = "reciprocity.config.errors.permission_denied"
handler404 = "reciprocity.config.errors.page_not_found"
handler500 = "reciprocity.config.errors.server_error"
