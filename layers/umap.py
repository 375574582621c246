"""A map as a uMap 3.7 map file (``.umap``): live remote layers on our OGC API, or inline data.

Shape of the file (uMap's own export/import format): ``{"type": "umap", "uri", "properties",
"geometry" (centre point), "layers": [FeatureCollection + "_umap_options"]}``. A live layer has
``remoteData = {"url", "format": "geojson", "dynamic": true}``; uMap replaces ``{bbox}`` in the
URL with the current view, so a layer only downloads what is on screen.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from basemaps.models import Basemap
from basemaps.services import default_basemap
from exports.services import rows
from observatoire.models import Resource

from .icons import icon_url
from .models import Layer, Map
from .services import extent_view, layer_q

UMAP_TYPES = {
    Layer.Style.MARKERS: "Default",
    Layer.Style.CATEGORIES: "Default",
    Layer.Style.CLUSTERS: "Cluster",
    Layer.Style.HEATMAP: "Heat",
    # uMap sizes its « Circles » by a numeric property; our circles count objects, as clusters do
    Layer.Style.CIRCLES: "Cluster",
}
#: Public tile services a uMap instance can load itself (MapProxy stays ours).
PUBLIC_TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
}


def is_public(carte: Map) -> bool:
    """Whether anyone sees the map without an account: the one rule, asked of the anonymous."""
    return Map.objects.visible_to(AnonymousUser()).filter(pk=carte.pk).exists()


def items_url(base_url: str, layer: Layer, key: str = "") -> str:
    """OGC API items of the layer's filter; ``{bbox}`` is left for uMap to fill in."""
    params = {"f": "json", "limit": "1000"}
    if cql := layer.cql:
        params["filter"] = cql
        params["filter-lang"] = "cql2-text"
    if key:
        params["key"] = key
    return f"{base_url}/ogc/collections/{layer.collection}/items?{urlencode(params)}&bbox={{bbox}}"


def _tilelayer(carte: Map) -> dict | None:
    basemap: Basemap | None = carte.basemap or default_basemap()
    if basemap is None or basemap.slug not in PUBLIC_TILES:
        return None
    url, attribution = PUBLIC_TILES[basemap.slug]
    return {
        "name": basemap.name,
        "url_template": url,
        "attribution": attribution,
        "minZoom": basemap.min_zoom,
        "maxZoom": basemap.max_zoom,
    }


def _inline_features(queryset: QuerySet, base_url: str) -> list[dict]:
    return [
        {
            "type": "Feature",
            "geometry": json.loads(row.geometry),
            "properties": {
                "name": row.properties["titre"],
                "title": row.properties["titre"],
                "id": row.properties["id"],
                "lien": row.properties["lien"],
                "type": row.properties["type"],
            },
        }
        for row in rows(queryset, base_url)
    ]


def needs_key(carte: Map, user, inline: bool) -> bool:
    """A live file of a map the anonymous do not see needs a feed key of its reader."""
    return not inline and user.is_authenticated and not is_public(carte)


def umap_document(carte: Map, user, base_url: str, inline: bool = False, key: str = "") -> dict:
    """The ``.umap`` document of ``carte`` as ``user`` sees it; its live layers carry
    ``key`` (the feed key its reader chose to embed, :mod:`layers.umap_keys`), if any."""
    key = key if needs_key(carte, user, inline) else ""
    center = [carte.center.x, carte.center.y] if carte.center else None
    zoom = round(carte.zoom) if center else 5
    if carte.extent:  # uMap knows a centre and a zoom: those that show the extent
        center, zoom = extent_view(carte.extent)
    properties = {
        "name": carte.title,
        "description": carte.description,
        "zoom": zoom,
        "displayPopupFooter": False,
        "licence": "",
        "captionBar": True,
    }
    tilelayer = _tilelayer(carte)
    if tilelayer:
        properties["tilelayer"] = tilelayer
    popup = _("# {title}\n[[%(base)s/ressources/{id}/|Voir la fiche]]") % {"base": base_url}
    layers = []
    for layer in carte.ordered_layers():
        options = {
            "name": layer.name,
            "type": UMAP_TYPES[layer.style],
            "color": layer.color,
            "displayOnLoad": True,
            "browsable": True,
            "inCaption": True,
            "popupContentTemplate": popup,
        }
        if layer.label_field == Layer.LabelField.TITLE:
            options.update(showLabel=True, labelKey="title")  # both channels name it « title »
        if icon := layer.drawn_icon:
            # uMap draws the image (any absolute address) inside its marker, coloured white
            options.update(iconClass="Default", iconUrl=base_url + icon_url(icon))
        features: list[dict] = []
        if inline:
            queryset = (
                Resource.objects.visible_to(user)
                .filter(geom__isnull=False)
                .filter(layer_q(layer))
                .order_by("id")
            )
            features = _inline_features(queryset, base_url)
            options["remoteData"] = {}
        else:
            options["remoteData"] = {
                "url": items_url(base_url, layer, key),
                "format": "geojson",
                "dynamic": True,
                "proxy": False,
            }
        layers.append({"type": "FeatureCollection", "features": features, "_umap_options": options})
    return {
        "type": "umap",
        "uri": f"{base_url}/cartes/{carte.slug}/",
        "properties": properties,
        "geometry": {
            "type": "Point",
            "coordinates": center or [2.5, 46.6],
        },
        "layers": layers,
    }
