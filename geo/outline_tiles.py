"""The offline basemap as our own vector tiles: département and commune outlines in MVT.

One SQL statement per tile (``ST_AsMVT`` of each layer, concatenated: an MVT is a sequence of
layers), geometries simplified to about half a pixel of the zoom, clipped to the tile plus a
buffer. Layers: ``departements`` (every zoom: code, nom) and ``communes`` (from
:data:`COMMUNES_MIN_ZOOM`: insee, nom, for labels). The data only changes when the territories
are reloaded, so non-empty tiles are cached on disk under ``VAR_DIR/outline-tiles`` for good
and the cache is emptied by ``load_territories``; empty tiles (sea, or territories not loaded
yet) are cheap and never stored.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from .models import Commune, Departement

EXTENT = 4096
BUFFER = 64
MAX_ZOOM = 16
#: Communes appear from this zoom (below, a tile would hold thousands of them).
COMMUNES_MIN_ZOOM = 8
DEPARTEMENTS_LAYER = "departements"
COMMUNES_LAYER = "communes"


class TileRequestError(ValueError):
    """A z/x/y outside the grid; ``message`` names the parameter, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_tile(z: int, x: int, y: int) -> None:
    if not 0 <= z <= MAX_ZOOM:
        raise TileRequestError(
            _("Paramètre « z » : niveau de zoom entre 0 et %(max)d.") % {"max": MAX_ZOOM}
        )
    last = (1 << z) - 1
    for name, value in (("x", x), ("y", y)):
        if not 0 <= value <= last:
            raise TileRequestError(
                _("Paramètre « %(name)s » : entre 0 et %(last)d au zoom %(z)d.")
                % {"name": name, "last": last, "z": z}
            )


def tolerance(z: int) -> float:
    """Simplification tolerance in degrees: half a pixel of a 512-px tile at zoom ``z``."""
    return 360.0 / (1 << z) / 1024


_SQL = f"""
WITH t AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env,
                  ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s,
                                               margin => {BUFFER / EXTENT}), 4326) AS box)
SELECT COALESCE((
    SELECT ST_AsMVT(d, '{DEPARTEMENTS_LAYER}', {EXTENT}, 'geom') FROM (
        SELECT dep.code, dep.name AS nom,
               ST_AsMVTGeom(ST_Transform(ST_SimplifyPreserveTopology(dep.geom, %(tol)s), 3857),
                            t.env, {EXTENT}, {BUFFER}, true) AS geom
          FROM {Departement._meta.db_table} dep, t
         WHERE dep.geom && t.box) d
     WHERE d.geom IS NOT NULL), ''::bytea)
    || COALESCE((
    SELECT ST_AsMVT(c, '{COMMUNES_LAYER}', {EXTENT}, 'geom') FROM (
        SELECT com.insee, com.name AS nom,
               ST_AsMVTGeom(ST_Transform(ST_SimplifyPreserveTopology(com.geom, %(tol)s), 3857),
                            t.env, {EXTENT}, {BUFFER}, true) AS geom
          FROM {Commune._meta.db_table} com, t
         WHERE %(z)s >= {COMMUNES_MIN_ZOOM} AND com.type = 'COM' AND com.geom && t.box) c
     WHERE c.geom IS NOT NULL), ''::bytea)
"""


def render(z: int, x: int, y: int) -> bytes:
    """The MVT of tile z/x/y (empty bytes when no outline touches it)."""
    check_tile(z, x, y)
    with connection.cursor() as cursor:
        cursor.execute(_SQL, {"z": z, "x": x, "y": y, "tol": tolerance(z)})
        return bytes(cursor.fetchone()[0])


def cache_dir() -> Path:
    return Path(settings.SPASS["VAR_DIR"]) / "outline-tiles"


def cached(z: int, x: int, y: int) -> bytes:
    """The tile from the disk cache, rendered and stored (atomically) on first use."""
    check_tile(z, x, y)
    path = cache_dir() / str(z) / str(x) / f"{y}.pbf"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = render(z, x, y)
    if not data:
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)
    return data


def clear_cache() -> None:
    """Forget every cached outline tile (the territories were reloaded)."""
    shutil.rmtree(cache_dir(), ignore_errors=True)
