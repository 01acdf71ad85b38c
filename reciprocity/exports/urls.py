from django.urls import path

from reciprocity.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.index, name="index"),
    path("all.zip", views.account, name="account"),
    path("<slug:name>.<slug:kind>", views.table, name="table"),
]
