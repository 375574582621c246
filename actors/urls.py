from django.urls import path

from . import views

app_name = "actors"
urlpatterns = [
    path("acteurs/", views.directory_page, name="directory"),
    path("acteurs/nouveau/", views.create, name="create"),
    path("acteurs/experiences.geojson", views.experiences_geojson, name="experiences-geojson"),
    path("acteurs/territoires.json", views.territory_suggestions, name="territory-suggestions"),
    path("acteurs/credits/<int:resource_id>/", views.add_credit, name="credit-add"),
    path(
        "acteurs/credits/carnets/<int:carnet_id>/",
        views.add_carnet_credit,
        name="credit-add-carnet",
    ),
    path("acteurs/credits/retirer/<int:credit_id>/", views.remove_credit, name="credit-remove"),
    path("acteurs/<slug:slug>.vcf", views.vcard_download, name="vcard"),
    path("acteurs/<slug:slug>/", views.detail, name="detail"),
    path("acteurs/<slug:slug>/modifier/", views.edit, name="edit"),
    path("acteurs/<slug:slug>/supprimer/", views.delete, name="delete"),
]
