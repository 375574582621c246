"""Reference geodata served by the project itself (the offline base layer)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .territories import departements_geojson


@require_GET
@cache_control(public=True, max_age=86400)
def basemap_outlines(request: HttpRequest) -> HttpResponse:
    """Outlines of the départements as GeoJSON, for map widgets that must work offline."""
    return HttpResponse(departements_geojson(), content_type="application/geo+json")
