from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("reciprocity.therapy.urls")),
    path("accounts/", include("reciprocity.practice.urls")),
    path("clients/", include("reciprocity.clients.urls")),
    path("dashboard/", include("reciprocity.insights.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "reciprocity.config.errors.bad_request"
handler403 = "reciprocity.config.errors.permission_denied"
handler404 = "reciprocity.config.errors.page_not_found"
handler500 = "reciprocity.config.errors.server_error"
