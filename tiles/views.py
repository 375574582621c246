"""Vector tiles and TileJSON: thin views over :mod:`tiles.render` and :mod:`tiles.cache`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from observatoire.catalogue import COLLECTIONS, Collection
from observatoire.fields import tile_properties
from observatoire.summaries import CELL_ZOOMS
from workgroups.edge import Person, Unauthorized, error_response, person

from . import cache
from .conf import tiles_setting
from .errors import TileError
from .params import CLUSTER_FIELDS, TileParams, tile_index
from .render import CLUSTERS_LAYER, FEATURES_LAYER, render_tile, visible_bounds
from .responses import MVT_TYPE, cache_headers, etag


def _error(exc: TileError | Unauthorized) -> HttpResponse:
    if isinstance(exc, Unauthorized):
        return exc.response
    return error_response(exc.status, exc.message, exc.code)


def _collection(name: str) -> Collection:
    try:
        return COLLECTIONS[name]
    except KeyError:
        raise TileError(
            _("Collection inconnue : « %(name)s » (possibles : %(names)s).")
            % {"name": name, "names": ", ".join(COLLECTIONS)},
            status=404,
            code="NotFound",
        ) from None


def _cache_headers(response: HttpResponse, personal: bool) -> HttpResponse:
    for name, value in cache_headers(personal).items():
        response[name] = value
    return response


def _tile_response(request: HttpRequest, data: bytes, personal: bool) -> HttpResponse:
    tag = etag(data)
    if request.headers.get("If-None-Match") == tag:
        response = HttpResponse(status=304)
    elif data:
        response = HttpResponse(data, content_type=MVT_TYPE)
    else:
        response = HttpResponse(status=204)
    response["ETag"] = tag
    return _cache_headers(response, personal)


@require_GET
def tile(request: HttpRequest, collection: str, z: str, x: str, y: str) -> HttpResponse:
    """``/tiles/<collection>/<z>/<x>/<y>.pbf``: what the list shows this person, as a tile."""
    try:
        coll = _collection(collection)
        z_, x_, y_ = tile_index(z, x, y)
        params = TileParams.from_query(request.GET)
        who: Person = person(request)
        user, personal = who.user, who.personal
        shared = not personal and tiles_setting("TILES_CACHE")
        if shared and (not params.filters or tiles_setting("TILES_CACHE_FILTERED")):
            data = cache.get_or_render(
                cache.tile_path(collection, params.key, z_, x_, y_),
                lambda: render_tile(user, coll, params, z_, x_, y_),
            )
        else:
            data = render_tile(user, coll, params, z_, x_, y_)
    except (TileError, Unauthorized) as exc:
        return _error(exc)
    return _tile_response(request, data, personal)


def _vector_layers(properties: tuple[str, ...], maxzoom: int) -> list[dict]:
    below = int(tiles_setting("TILES_CLUSTER_BELOW_ZOOM"))
    layers = [
        {
            "id": FEATURES_LAYER,
            "description": _("Ressources visibles"),
            "fields": {name: tile_properties()[name].type for name in properties},
            "minzoom": min(below, maxzoom),
            "maxzoom": maxzoom,
        }
    ]
    # clusters below ``below``, and up to the finest cluster cells in tiles too dense to draw
    last = below - 1
    if tiles_setting("TILES_MAX_FEATURES"):
        last = max(last, max(CELL_ZOOMS) - 1)
    if last >= 0:
        layers.append(
            {
                "id": CLUSTERS_LAYER,
                "description": _("Regroupements : nombre de ressources et type dominant"),
                "fields": dict(CLUSTER_FIELDS),
                "minzoom": 0,
                "maxzoom": min(last, maxzoom),
            }
        )
    return layers


@require_GET
def tilejson(request: HttpRequest, collection: str) -> HttpResponse:
    """``/tiles/<collection>.json``: TileJSON 3.0 for MapLibre, QGIS and the like."""
    try:
        coll = _collection(collection)
        params = TileParams.from_query(request.GET)
        who = person(request)
        user, personal = who.user, who.personal
        bounds = visible_bounds(user, coll, params)
    except (TileError, Unauthorized) as exc:
        return _error(exc)
    query = params.query_string(feed_key=request.GET.get("key", ""))
    template = request.build_absolute_uri(f"/tiles/{collection}/") + "{z}/{x}/{y}.pbf"
    maxzoom = int(tiles_setting("TILES_MAXZOOM"))
    document = {
        "tilejson": "3.0.0",
        "name": coll.title["fr"],
        "description": _("Tuiles vectorielles S-PASS Territoires : %(title)s")
        % {"title": coll.title["fr"]},
        "attribution": "S-PASS Territoires",
        "scheme": "xyz",
        "tiles": [template + (f"?{query}" if query else "")],
        "minzoom": 0,
        "maxzoom": maxzoom,
        "bounds": bounds,
        "center": [
            round((bounds[0] + bounds[2]) / 2, 6),
            round((bounds[1] + bounds[3]) / 2, 6),
            min(6, maxzoom),
        ],
        "vector_layers": _vector_layers(params.properties, maxzoom),
    }
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    return _cache_headers(response, personal)


@require_GET
def preview(request: HttpRequest, collection: str) -> HttpResponse:
    """A MapLibre page showing a collection, served from the project's own assets."""
    try:
        coll = _collection(collection)
    except TileError as exc:
        return _error(exc)
    return render(
        request,
        "tiles/preview.html",
        {
            "collection": collection,
            "title": coll.title["fr"],
            "features_layer": FEATURES_LAYER,
            "clusters_layer": CLUSTERS_LAYER,
            "query": request.GET.urlencode(),
        },
    )
