from django.urls import path, register_converter

from reciprocity.clients import views
from reciprocity.clients.codes import URL_PATTERN


class ClientCodeConverter:
    regex = URL_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ClientCodeConverter, "code")

app_name = "clients"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("concerns/", views.concerns, name="concerns"),
    path("<code:code>/", views.detail, name="detail"),
    path("<code:code>/edit/", views.edit, name="edit"),
]
