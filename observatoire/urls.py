from django.urls import path

from . import views, views_bulk, views_space

app_name = "observatoire"
urlpatterns = [
    path("mon-espace/", views_space.my_space, name="my-space"),
    path("mon-espace/adhesions/", views_space.join_requests_page, name="join-requests"),
    path("mon-espace/actions/", views_bulk.run, name="bulk-run"),
    path("mon-espace/actions/<int:pk>/", views_bulk.page, name="bulk"),
    path("mon-espace/actions/<int:pk>/etat.json", views_bulk.page_json, name="bulk-json"),
    path("mon-espace/<slug:slug>/", views_space.section_page, name="section"),
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
