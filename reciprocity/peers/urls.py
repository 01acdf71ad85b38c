from django.urls import path

from reciprocity.peers import views

app_name = "peers"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.group, name="group"),
    path("<int:pk>/posts/<int:post_pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/members/", views.add_member, name="add-member"),
    path("<int:pk>/leave/", views.leave, name="leave"),
]
