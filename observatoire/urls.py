from django.urls import path

from . import views, views_space

app_name = "observatoire"
urlpatterns = [
    path("mon-espace/", views_space.my_space, name="my-space"),
    path("ressources/ajouter/", views.create, name="create"),
    path("ressources/<int:pk>/", views.detail, name="detail"),
    path("ressources/<int:pk>/modifier/", views.edit, name="edit"),
    path("ressources/<int:pk>/supprimer/", views.delete, name="delete"),
    path("ressources/<int:pk>/valider/", views.validate, name="validate"),
    path("ressources/<int:pk>/relire/", views.review, name="review"),
    path("ressources/<int:pk>/fichiers/<int:attachment_id>/", views.attachment_file, name="file"),
    path(
        "ressources/<int:pk>/fichiers/<int:attachment_id>/retirer/",
        views.delete_attachment,
        name="file-delete",
    ),
]
