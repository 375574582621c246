"""Root URLs: each app mounts its own under its prefix."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("accueil.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("geo/", include("geo.urls")),
    path("", include("activite.urls")),
    path("", include("workgroups.urls")),
    # before observatoire's /mon-espace/<section>/
    path("", include("notifications.urls")),
    path("", include("participation.urls")),
    path("", include("history.urls")),
    path("", include("discussion.urls")),
    path("", include("observatoire.urls")),
    path("recherche/", include("search.urls")),
    path("api/v1/", include("config.api_urls")),
    path("exports/", include("exports.urls")),
    path("", include("layers.urls")),
    path("basemaps/", include("basemaps.urls")),
    path("tiles/", include("tiles.urls")),
    path("ogc", include("ogc.urls")),
    path("imports/", include("importers.urls")),
    path("", include("pins.urls")),
    path("", include("actors.urls")),
    # before the portal pages: the news, agenda and feed paths under /portails/<slug>/
    path("portails/", include("actualites.urls")),
    path("portails/", include("portals.urls")),
    path("publications/", include("publications.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
