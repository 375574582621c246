"""``/api/v1/``: the REST API of every app, its OpenAPI document and its Swagger UI."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("observatoire.api.urls")),
    path("", include("workgroups.api.urls")),
    path("", include("importers.api.urls")),
    path("", include("pins.api.urls")),
    path("", include("actualites.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("workgroups.api.keys")),
    path("", include("layers.api.urls")),
    path("", include("participation.api_urls")),
    path("", include("history.api.urls")),
    path("", include("discussion.api.urls")),
    path("", include("actors.api.urls")),
    path("", include("publications.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
