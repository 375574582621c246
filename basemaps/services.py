"""Basemaps as MapLibre styles: the offline outlines, or a raster served by our MapProxy."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from geo.outline_tiles import COMMUNES_LAYER, COMMUNES_MIN_ZOOM, DEPARTEMENTS_LAYER

from .models import Basemap

#: The outline tiles are simplified data: MapLibre over-zooms them past this zoom.
OUTLINES_SOURCE_MAX_ZOOM = 12
OUTLINES_STYLE_LAYERS = [
    {"id": "fond", "type": "background", "paint": {"background-color": "#f4f1ea"}},
    {
        "id": "departements-surface",
        "type": "fill",
        "source": "contours",
        "source-layer": DEPARTEMENTS_LAYER,
        "paint": {"fill-color": "#ffffff", "fill-opacity": 0.8},
    },
    {
        "id": "communes-limites",
        "type": "line",
        "source": "contours",
        "source-layer": COMMUNES_LAYER,
        "minzoom": COMMUNES_MIN_ZOOM,
        "paint": {"line-color": "#c9c4b8", "line-width": 0.5},
    },
    {
        "id": "departements-limites",
        "type": "line",
        "source": "contours",
        "source-layer": DEPARTEMENTS_LAYER,
        "paint": {"line-color": "#8a8577", "line-width": 0.8},
    },
]
#: Commune names, drawn only when the site serves its own glyphs (``SPASS["BASEMAP_GLYPHS"]``).
COMMUNE_LABELS = {
    "id": "communes-noms",
    "type": "symbol",
    "source": "contours",
    "source-layer": COMMUNES_LAYER,
    "minzoom": 10,
    "layout": {"text-field": ["get", "nom"], "text-size": 11, "text-font": ["Noto Sans Regular"]},
    "paint": {"text-color": "#5b574d", "text-halo-color": "#ffffff", "text-halo-width": 1},
}


def local_glyphs() -> str:
    """The site's own glyphs URL template, or "" — never a remote one (the basemap must work
    offline and must not call third parties)."""
    url = settings.SPASS["BASEMAP_GLYPHS"]
    return url if url.startswith("/") and not url.startswith("//") else ""


def outlines_style() -> dict:
    """The offline basemap: our département and commune outline tiles (``/geo/tuiles/``)."""
    tiles = reverse("geo:outline-tile", kwargs={"z": 0, "x": 0, "y": 0})
    style = {
        "version": 8,
        "name": _("Contours des départements et communes"),
        "sources": {
            "contours": {
                "type": "vector",
                "tiles": [tiles.removesuffix("0/0/0.pbf") + "{z}/{x}/{y}.pbf"],
                "minzoom": 0,
                "maxzoom": OUTLINES_SOURCE_MAX_ZOOM,
                "attribution": _("Contours : référentiel territorial du projet"),
            }
        },
        "layers": list(OUTLINES_STYLE_LAYERS),
    }
    glyphs = local_glyphs()
    if glyphs:
        style["glyphs"] = glyphs
        style["layers"].append(COMMUNE_LABELS)
    return style


def default_basemap() -> Basemap | None:
    return Basemap.objects.filter(enabled=True, is_default=True).first()


def tile_url(basemap: Basemap) -> str:
    """The MapProxy tile URL of a raster basemap (WMTS RESTful, web mercator, XYZ order)."""
    return f"/basemaps/wmts/{basemap.slug}/webmercator/{{z}}/{{x}}/{{y}}.png"


def maplibre_style(basemap: Basemap | None) -> dict:
    """A MapLibre style (version 8) for ``basemap``; the offline outlines when there is none."""
    basemap = basemap or default_basemap()
    if basemap is None or basemap.is_offline:
        return outlines_style()
    return {
        "version": 8,
        "name": basemap.name,
        "sources": {
            "fond": {
                "type": "raster",
                "tiles": [tile_url(basemap)],
                "tileSize": 256,
                "minzoom": basemap.min_zoom,
                "maxzoom": basemap.max_zoom,
                "attribution": basemap.attribution,
            }
        },
        "layers": [{"id": "fond", "type": "raster", "source": "fond"}],
    }
