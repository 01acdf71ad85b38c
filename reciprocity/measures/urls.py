from django.urls import path

from reciprocity.measures import views

app_name = "measures"
urlpatterns = [
    path("", views.instrument_list, name="instrument-list"),
    path("instruments/<slug:instrument_id>/", views.instrument_detail, name="instrument-detail"),
    path("instruments/<slug:instrument_id>/fhir/", views.instrument_fhir, name="instrument-fhir"),
    path("caseload/", views.caseload, name="caseload"),
    path("clients/<code:code>/", views.client_measures, name="client"),
    path("clients/<code:code>/answers/", views.choose_instrument, name="choose-instrument"),
    path(
        "clients/<code:code>/answers/<slug:instrument_id>/", views.administration_create, name="administration-create"
    ),
    path("clients/<code:code>/links/", views.link_create, name="link-create"),
    path("clients/<code:code>/import/", views.fhir_import, name="fhir-import"),
    path("answers/<int:pk>/", views.administration_detail, name="administration-detail"),
    path("answers/<int:pk>/acknowledge/", views.administration_acknowledge, name="administration-acknowledge"),
    path("answers/<int:pk>/fhir/", views.administration_fhir, name="administration-fhir"),
]
