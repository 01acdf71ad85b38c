"""A URL configuration with views that fail, to see the error pages a person would see."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import include, path


def crash(request):
    raise RuntimeError("a bug with a secret detail: N-0007")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("tampered")


urlpatterns = [
    path("crash/", crash),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("", include("reciprocity.config.urls")),
]
handler400 = "reciprocity.config.errors.bad_request"
handler403 = "reciprocity.config.errors.permission_denied"
handler404 = "reciprocity.config.errors.page_not_found"
handler500 = "reciprocity.config.errors.server_error"
