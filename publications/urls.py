"""``/publications/``: list, new, reading, editor, embed, oEmbed, PDF, zip, uploads."""

from django.urls import path, re_path

from . import views

app_name = "publications"
_SLUG = r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)"

urlpatterns = [
    path("", views.carnet_list, name="list"),
    # before the carnet's pattern: « nouvelle » and « oembed » are never a carnet's slug
    path("nouvelle/", views.new, name="new"),
    path("oembed/", views.oembed, name="oembed"),
    re_path(rf"^{_SLUG}\.pdf$", views.pdf, name="pdf"),
    re_path(rf"^{_SLUG}\.zip$", views.offline, name="zip"),
    re_path(rf"^{_SLUG}/$", views.detail, name="detail"),
    re_path(rf"^{_SLUG}/modifier/$", views.edit, name="edit"),
    re_path(rf"^{_SLUG}/integrer/$", views.embed, name="embed"),
    re_path(rf"^{_SLUG}/valider/$", views.validate, name="validate"),
    re_path(rf"^{_SLUG}/supprimer/$", views.delete, name="delete"),
    re_path(rf"^{_SLUG}/medias/(?P<pk>[0-9]{{1,18}})/$", views.media_file, name="media"),
]
