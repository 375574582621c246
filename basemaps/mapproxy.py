"""MapProxy, in-process: its configuration generated from the catalogue, its cache under var/.

Each raster basemap becomes a MapProxy layer (``slug``) with a file cache on the web-mercator
grid, fed by XYZ tiles or a WMTS (KVP) — fetched on first use, then served from the cache. The
generated ``mapproxy.yaml`` is rewritten, and the WSGI app rebuilt, only when the catalogue
changes.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from urllib.parse import urlencode

import yaml
from django.conf import settings
from mapproxy.config.spec import validate_options
from mapproxy.config.validator import validate as validate_references
from mapproxy.wsgiapp import make_wsgi_app

from .models import Basemap

_lock = threading.Lock()
_app: dict[str, object] = {}


def basemaps_dir() -> Path:
    return Path(settings.SPASS["BASEMAPS_DIR"] or Path(settings.VAR_DIR) / "mapproxy")


def _source(basemap: Basemap) -> dict:
    if basemap.source_type == Basemap.SourceType.WMTS:
        query = urlencode(
            {
                "SERVICE": "WMTS",
                "REQUEST": "GetTile",
                "VERSION": "1.0.0",
                "LAYER": basemap.wmts_layer,
                "STYLE": "normal",
                "TILEMATRIXSET": "PM",
                "FORMAT": basemap.wmts_format or "image/png",
            }
        )
        url = f"{basemap.url}?{query}&TILEMATRIX=%(z)s&TILEROW=%(y)s&TILECOL=%(x)s"
    else:
        url = basemap.url.replace("{z}", "%(z)s").replace("{x}", "%(x)s").replace("{y}", "%(y)s")
    return {"type": "tile", "url": url, "grid": "GLOBAL_WEBMERCATOR"}


def raster_basemaps() -> list[Basemap]:
    return list(
        Basemap.objects.filter(enabled=True)
        .exclude(source_type=Basemap.SourceType.OUTLINES)
        .order_by("slug")
    )


def build_config(basemaps: list[Basemap]) -> dict:
    """The mapproxy.yaml document for these basemaps (WMTS RESTful + KVP and TMS services)."""
    root = basemaps_dir()
    config: dict = {
        "services": {
            "wmts": {"restful": True, "kvp": True, "md": {"title": "S-PASS Territoires"}},
            "tms": {"use_grid_names": True, "origin": "nw"},
        },
        "grids": {"webmercator": {"base": "GLOBAL_WEBMERCATOR"}},
        "globals": {
            "cache": {"base_dir": str(root / "cache"), "lock_dir": str(root / "locks")},
            "http": {"access_control_allow_origin": "*"},
        },
        "layers": [],
        "caches": {},
        "sources": {},
    }
    for basemap in basemaps:
        name = basemap.slug.replace("-", "_")
        config["layers"].append(
            {"name": basemap.slug, "title": basemap.name, "sources": [f"{name}_cache"]}
        )
        config["caches"][f"{name}_cache"] = {
            "grids": ["webmercator"],
            "sources": [f"{name}_source"],
            "format": "image/png",
            "cache": {"type": "file", "directory_layout": "tms"},
        }
        config["sources"][f"{name}_source"] = _source(basemap)
    if not basemaps:  # MapProxy needs one layer with a source: its local debug source
        config["layers"].append({"name": "vide", "title": "Vide", "sources": ["vide_source"]})
        config["sources"]["vide_source"] = {"type": "debug"}
    return config


def catalogue_errors(basemaps: list[Basemap]) -> list[str]:
    """What MapProxy cannot see: a source address without its placeholders or layer."""
    errors = []
    for basemap in basemaps:
        if basemap.source_type == Basemap.SourceType.TILES and not all(
            part in basemap.url for part in ("{z}", "{x}", "{y}")
        ):
            errors.append(
                f"« {basemap.slug} » : l'adresse des tuiles doit contenir {{z}}, {{x}} et {{y}}."
            )
        if basemap.source_type == Basemap.SourceType.WMTS and not (
            basemap.url and basemap.wmts_layer
        ):
            errors.append(f"« {basemap.slug} » : service WMTS sans adresse ou sans couche.")
    return errors


def config_errors(config: dict) -> list[str]:
    """MapProxy's own validation: option types, then references between parts."""
    errors, _informal = validate_options(config)
    return list(errors) + validate_references(config)


def wsgi_app():
    """The MapProxy WSGI app of the current catalogue (rebuilt when the catalogue changes)."""
    config = build_config(raster_basemaps())
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()
    with _lock:
        if digest not in _app:
            path = basemaps_dir() / "mapproxy.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
            _app.clear()
            _app[digest] = make_wsgi_app(str(path))
        return _app[digest]
