from django.urls import path, re_path

from . import views, views_editor, views_glyphs

app_name = "layers"
_SLUG = r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)"
urlpatterns = [
    path("cartes/", views.map_list, name="map-list"),
    # before the viewer's pattern: « nouvelle » and « apercu » are never a map's slug
    path("cartes/nouvelle/", views_editor.new_map, name="new"),
    path("cartes/apercu/", views_editor.preview, name="preview"),
    re_path(rf"^cartes/{_SLUG}\.umap$", views.umap_export, name="umap"),
    re_path(rf"^cartes/{_SLUG}/$", views.viewer, name="viewer"),
    re_path(rf"^cartes/{_SLUG}/embed/$", views.embed, name="embed"),
    re_path(rf"^cartes/{_SLUG}/modifier/$", views_editor.edit_map, name="edit"),
    re_path(rf"^cartes/{_SLUG}/partager/$", views_editor.share, name="share"),
    re_path(rf"^cartes/{_SLUG}/valider/$", views_editor.validate, name="validate"),
    re_path(rf"^cartes/{_SLUG}/dupliquer/$", views_editor.duplicate, name="duplicate"),
    re_path(rf"^cartes/{_SLUG}/supprimer/$", views_editor.delete, name="delete"),
    path("oembed/", views.oembed, name="oembed"),
    path("glyphs/<str:fontstack>/<int:start>-<int:end>.pbf", views_glyphs.glyph_pbf, name="glyphs"),
]
