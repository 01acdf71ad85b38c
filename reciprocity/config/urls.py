from django.contrib import admin
from django.urls import include, path

from reciprocity.measures import views as measures_views


def api_urls():
    """The API answers for itself (401 JSON), so the site's sign-in redirect does not apply to it."""
    from django.contrib.auth.decorators import login_not_required

    from reciprocity.config.api import api

    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("", include("reciprocity.today.urls")),
    path("", include("reciprocity.therapy.urls")),
    path("", include("reciprocity.offline.urls")),
    path("accounts/", include("reciprocity.practice.urls")),
    path("clients/", include("reciprocity.clients.urls")),
    path("dashboard/", include("reciprocity.insights.urls")),
    path("measures/", include("reciprocity.measures.urls")),
    path("checkins/", include("reciprocity.checkins.urls")),
    path("export/", include("reciprocity.exports.urls")),
    path("import/", include("reciprocity.imports.urls")),
    path("calendar/", include("reciprocity.calendars.urls")),
    path("repertoire/", include("reciprocity.repertoire.urls")),
    path("search/", include("reciprocity.recall.urls")),
    path("supervision/", include("reciprocity.sharing.urls")),
    path("development/", include("reciprocity.development.urls")),
    path("groups/", include("reciprocity.peers.urls")),
    path("reports/", include("reciprocity.reports.urls")),
    path("audit/", include("reciprocity.audit.urls")),
    path("reminders/", include("reciprocity.reminders.urls")),
    path("prompts/", include("reciprocity.prompts.urls")),
    path("voice/", include("reciprocity.voice.urls")),
    path("q/<str:token>/", measures_views.client_link, name="client-link"),
    path("admin/", admin.site.urls),
    path("api/v1/", api_urls()),
]

handler400 = "reciprocity.config.errors.bad_request"
handler403 = "reciprocity.config.errors.permission_denied"
handler404 = "reciprocity.config.errors.page_not_found"
handler500 = "reciprocity.config.errors.server_error"
