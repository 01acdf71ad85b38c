from django.urls import path

from reciprocity.sharing import views

app_name = "sharing"
urlpatterns = [
    path("", views.index, name="index"),
    path("invite/", views.invite, name="invite"),
    path("invite-link/", views.invite_link, name="invite-link"),
    path("join/<str:token>/", views.join, name="join"),
    path("<int:pk>/", views.supervision, name="supervision"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/consent/", views.consent, name="consent"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("shares/<int:pk>/", views.share_detail, name="share"),
    path("shares/<int:pk>/comment/", views.share_comment, name="share-comment"),
    path("shares/<int:pk>/revoke/", views.share_revoke, name="share-revoke"),
    path("reflections/<int:pk>/share/", views.share_reflection, name="share-reflection"),
]
