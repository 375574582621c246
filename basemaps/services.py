"""Basemaps as MapLibre styles: the offline outlines, or a raster served by our MapProxy."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Basemap

OUTLINES_STYLE_LAYERS = [
    {"id": "fond", "type": "background", "paint": {"background-color": "#f4f1ea"}},
    {"id": "contours-surface", "type": "fill", "source": "contours",
     "paint": {"fill-color": "#ffffff", "fill-opacity": 0.8}},
    {"id": "contours-limites", "type": "line", "source": "contours",
     "paint": {"line-color": "#8a8577", "line-width": 0.8}},
]


def default_basemap() -> Basemap | None:
    return Basemap.objects.filter(enabled=True, is_default=True).first()


def tile_url(basemap: Basemap) -> str:
    """The MapProxy tile URL of a raster basemap (WMTS RESTful, web mercator, XYZ order)."""
    return f"/basemaps/wmts/{basemap.slug}/webmercator/{{z}}/{{x}}/{{y}}.png"


def maplibre_style(basemap: Basemap | None) -> dict:
    """A MapLibre style (version 8) for ``basemap``; the offline outlines when there is none."""
    basemap = basemap or default_basemap()
    if basemap is None or basemap.is_offline:
        return {
            "version": 8,
            "name": _("Contours des départements"),
            "sources": {"contours": {
                "type": "geojson", "data": reverse("geo:basemap-outlines"),
                "attribution": _("Contours : référentiel territorial du projet"),
            }},
            "layers": OUTLINES_STYLE_LAYERS,
        }
    return {
        "version": 8,
        "name": basemap.name,
        "sources": {"fond": {
            "type": "raster", "tiles": [tile_url(basemap)], "tileSize": 256,
            "minzoom": basemap.min_zoom, "maxzoom": basemap.max_zoom,
            "attribution": basemap.attribution,
        }},
        "layers": [{"id": "fond", "type": "raster", "source": "fond"}],
    }
