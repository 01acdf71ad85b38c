from django.urls import path, register_converter

from reciprocity.reports import views


class Format:
    regex = "pdf|html"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Format, "fmt")

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("monthly.<fmt:fmt>", views.monthly, name="monthly"),
    path("supervision/<int:pk>.<fmt:fmt>", views.packet, name="packet"),
    path("clients/<code:code>.<fmt:fmt>", views.client, name="client"),
    path("caseload.<fmt:fmt>", views.caseload, name="caseload"),
]
