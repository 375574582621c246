"""Reference geodata served by the project itself (the offline base layer)."""

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import outline_tiles
from .territories import departements_geojson, suggest

#: Outline tiles only change when the territories are reloaded: cache them a month.
TILE_MAX_AGE = 30 * 86400


@require_GET
@cache_control(public=True, max_age=86400)
def basemap_outlines(request: HttpRequest) -> HttpResponse:
    """Outlines of the départements as GeoJSON, for map widgets that must work offline."""
    return HttpResponse(departements_geojson(), content_type="application/geo+json")


@require_GET
def outline_tile(request: HttpRequest, z: int, x: int, y: int) -> HttpResponse:
    """Département and commune outlines as a vector tile (204 when the tile is empty)."""
    try:
        data = outline_tiles.cached(z, x, y)
    except outline_tiles.TileRequestError as exc:
        return JsonResponse({"detail": exc.message}, status=400)
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        if data:
            response = HttpResponse(data, content_type="application/vnd.mapbox-vector-tile")
        else:
            response = HttpResponse(status=204)
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=TILE_MAX_AGE)
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def territory_suggestions(request: HttpRequest) -> JsonResponse:
    """Communes, EPCI and départements matching ``?q=`` (name or code): the suggestions of
    the territory fields (maps' filter panel, activity report). Public reference data."""
    text = request.GET.get("q", "")[:100]
    return JsonResponse({"results": suggest(text) if len(text.strip()) >= 2 else []})
