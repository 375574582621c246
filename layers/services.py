"""What a map shows to someone: its features (the one visibility rule, the layers' filters and
the viewer's filter), the list alternative, the legend and the viewer's MapLibre configuration."""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.gis.db.models.functions import PointOnSurface
from django.db.models import Q, QuerySet
from django.urls import reverse

from basemaps.services import maplibre_style
from exports.services import RESOURCE_PAGE, collection_q
from observatoire.cql import apply_filter, cql2_to_q
from observatoire.kinds import KINDS_OF_BASE, Base, Kind
from observatoire.models import Resource

from .filters import combine
from .icons import icon_url
from .models import Layer, Map

#: Colour of each kind (markers, categories and their legend).
KIND_COLORS: dict[str, str] = dict(
    zip(
        Kind.values,
        [
            "#c0392b",
            "#d35400",
            "#8e44ad",
            "#27ae60",
            "#2c3e50",
            "#16a085",
            "#2980b9",
            "#7f8c8d",
            "#f39c12",
            "#e84393",
            "#6d4c41",
            "#00838f",
            "#5d4037",
            "#1565c0",
            "#558b2f",
            "#ad1457",
            "#4527a0",
        ],
        strict=True,
    )
)
BASE_COLORS: dict[str, str] = {
    "observatoire": "#c0392b",
    "mediatheque": "#2980b9",
    "activite": "#27ae60",
}
#: Rows per page of the list alternative under a map.
LIST_PAGE = 50


def layer_q(layer: Layer) -> Q:
    q = collection_q(layer.collection)
    if cql := layer.cql:
        q &= cql2_to_q(cql)
    return q


def layers_features(layers: list[Layer], user, extra: str = "") -> QuerySet:
    """Resources ``layers`` show to ``user``: visible, in one of the layers, matching ``extra``
    (the viewer's CQL2 filter). Raises :class:`observatoire.cql.FilterError` on a bad filter."""
    queryset = Resource.objects.visible_to(user).filter(geom__isnull=False)
    if layers:
        either = Q(pk__in=[])
        for layer in layers:
            either |= layer_q(layer)
        queryset = queryset.filter(either)
    else:
        queryset = queryset.none()
    return apply_filter(queryset, extra)


def map_features(carte: Map, user, extra: str = "") -> QuerySet:
    """Resources the map shows to ``user`` (:func:`layers_features` of its layers)."""
    return layers_features(carte.ordered_layers(), user, extra)


@dataclass
class ListRow:
    id: int
    title: str
    kind: str
    group: str
    date: object
    lon: float
    lat: float
    url: str


def list_records(queryset: QuerySet) -> QuerySet:
    """The list alternative's rows (title order), each with a point to fly to; paginated."""
    return (
        queryset.annotate(point=PointOnSurface("geom"))
        .order_by("title", "id")
        .values_list("id", "title", "kind", "group__name", "date_start", "point")
    )


def list_rows(records) -> list[ListRow]:
    """One ``ListRow`` per record of a page of ``list_records``."""
    return [
        ListRow(
            pk,
            title,
            Kind(kind).label,
            group,
            start,
            round(point.x, 6),
            round(point.y, 6),
            RESOURCE_PAGE.format(id=pk),
        )
        for pk, title, kind, group, start, point in records
    ]


def _tiles_installed() -> bool:
    return apps.is_installed("tiles")


def layer_source(layer: Layer, extra: str, key: str = "") -> dict:
    """Where the viewer reads a layer: our vector tiles when the tiles app is there (TileJSON;
    features in ``resources``, server clusters with ``count`` in ``clusters`` at low zoom),
    else the GeoJSON download of the same filter. Property names differ between the two."""
    params = {}
    cql = combine(layer.cql, extra)
    if cql:
        params["filter"] = cql
    if key:
        params["key"] = key
    query = ("?" + urlencode(params)) if params else ""
    if _tiles_installed():
        return {
            "type": "vector",
            "url": f"/tiles/{layer.collection}.json{query}",
            "layer": "resources",
            "clusterLayer": "clusters",
            "props": {
                "title": "title",
                "kind": "kind",
                "base": "base",
                "id": "id",
                "count": "count",
                "group": "group",
                "date": "date",
            },
        }
    return {
        "type": "geojson",
        "url": reverse("exports:export", args=[layer.collection, "geojson"]) + query,
        "props": {
            "title": "titre",
            "kind": "type",
            "base": "base",
            "id": "id",
            "count": "point_count",
            "group": "groupe",
            "date": "date_debut",
        },
    }


def legend(layer: Layer) -> list[dict]:
    """Legend entries of a layer: one per kind for markers/categories, one otherwise."""
    if layer.style == Layer.Style.CATEGORIES and layer.category_property == "base":
        return [
            {"label": str(Base(b).label), "color": BASE_COLORS[b], "value": b} for b in Base.values
        ]
    if layer.style in (Layer.Style.MARKERS, Layer.Style.CATEGORIES):
        kinds = layer.kinds or list(KINDS_OF_BASE[layer.base])
        return [{"label": str(Kind(k).label), "color": KIND_COLORS[k], "value": k} for k in kinds]
    return [{"label": layer.name, "color": layer.color, "value": ""}]


def layer_config(layer: Layer, extra: str = "", key: str = "", layer_id: str = "") -> dict:
    """One layer as the MapLibre viewer draws it (``layers/carte.js``): its source, legend and
    style values. ``layer_id`` names a layer not saved yet (the editor's preview)."""
    return {
        "id": layer_id or f"couche-{layer.pk}",
        "name": layer.name,
        "style": layer.style,
        "color": layer.color,
        "radius": layer.radius,
        "opacity": layer.opacity,
        "strokeWidth": layer.stroke_width,
        "popup": [
            {"field": name, "label": str(Layer.PopupField(name).label)}
            for name in layer.popup_fields
        ],
        "label": layer.label_field,
        "icon": {"name": name, "url": icon_url(name)} if (name := layer.drawn_icon) else None,
        "legend": legend(layer),
        "category": "base" if layer.category_property == "base" else "kind",
        "source": layer_source(layer, extra, key),
    }


def extent_view(extent: list[float], width: int = 1000, height: int = 600) -> tuple[list, int]:
    """The centre and the whole zoom that show ``extent`` in a ``width`` × ``height`` pixels
    view (256-pixel Web Mercator tiles), for clients that know no extent (uMap)."""
    west, south, east, north = extent

    def mercator_y(lat: float) -> float:
        lat = max(min(lat, 85.0511), -85.0511)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    top, bottom = mercator_y(north), mercator_y(south)
    span_x = max((east - west) / 360, 1e-9)
    span_y = max((top - bottom) / (2 * math.pi), 1e-9)
    zoom = math.floor(math.log2(min(width / (256 * span_x), height / (256 * span_y))))
    middle = math.degrees(math.atan(math.sinh((top + bottom) / 2)))
    return [(west + east) / 2, middle], max(0, min(zoom, 18))


def viewer_config(carte: Map, extra: str, key: str = "", layers: list[Layer] | None = None) -> dict:
    """Everything the MapLibre viewer needs, as JSON-ready data. ``layers``: those of a map
    being edited, not saved yet (default: the map's own)."""
    center = carte.center
    if layers is None:
        drawn = [layer_config(layer, extra, key) for layer in carte.ordered_layers()]
    else:
        drawn = [
            layer_config(layer, extra, key, f"couche-apercu-{i}") for i, layer in enumerate(layers)
        ]
    return {
        "center": [center.x, center.y] if center else [2.5, 46.6],
        "zoom": carte.zoom if center else 5,
        # west, south, east, north: fitted on any screen (it wins over center and zoom)
        "extent": carte.extent,
        "style": maplibre_style(carte.basemap),
        "layers": drawn,
    }
