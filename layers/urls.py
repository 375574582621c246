from django.urls import path, re_path

from . import views

app_name = "layers"
_SLUG = r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)"
urlpatterns = [
    path("cartes/", views.map_list, name="map-list"),
    re_path(rf"^cartes/{_SLUG}\.umap$", views.umap_export, name="umap"),
    re_path(rf"^cartes/{_SLUG}/$", views.viewer, name="viewer"),
    re_path(rf"^cartes/{_SLUG}/embed/$", views.embed, name="embed"),
    path("oembed/", views.oembed, name="oembed"),
]
