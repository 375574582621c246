from django.urls import path

from . import views

app_name = "discussion"

THING = "discussion/<str:label>/<int:pk>/"

urlpatterns = [
    path(f"{THING}commenter/", views.comment, name="comment"),
    path(f"{THING}suivre/", views.follow, name="follow"),
    path(f"{THING}<int:comment_id>/modifier/", views.edit, name="edit"),
    path(f"{THING}<int:comment_id>/supprimer/", views.delete, name="delete"),
    path(f"{THING}<int:comment_id>/masquer/", views.hide, name="hide"),
]
