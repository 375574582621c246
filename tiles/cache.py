"""Disk cache of anonymous tiles, under ``VAR_DIR/tiles/<collection>/<variant>/<z>/<x>/<y>.pbf``.

Only anonymous tiles are stored (what they show is the same for every visitor). A write to a
resource removes the cached tiles its old and new geometry touch; importers doing bulk writes
call :func:`invalidate_bbox` or :func:`invalidate_all` themselves.

Every invalidation first bumps a generation stamp; a tile rendered while the generation changed
(its rows may predate the write) is served but not stored.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry

from .conf import cache_dir, cache_root
from .grid import BUFFER, EXTENT, Bounds, tile_range, tile_size, to_mercator


def tile_file(collection: str, variant: str, z: int, x: int, y: int) -> str:
    """Where a tile is stored, as a string: the fast path reads it without building a
    ``Path`` (six joins cost a cached tile a tenth of its time, bench/tiles)."""
    return f"{cache_root()}/{collection}/{variant}/{z}/{x}/{y}.pbf"


def tile_path(collection: str, variant: str, z: int, x: int, y: int) -> Path:
    return Path(tile_file(collection, variant, z, x, y))


def read(path: Path | str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _stamp() -> Path:
    return cache_dir() / "generation"


def generation() -> str:
    """Read before rendering a tile, passed to :func:`write`."""
    try:
        return _stamp().read_text()
    except FileNotFoundError:
        return ""


def _bump() -> None:
    _write_file(_stamp(), f"{time.time_ns()}-{os.getpid()}".encode())


def _write_file(path: Path, data: bytes) -> None:
    """Write atomically: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def write(path: Path, data: bytes, rendered_at: str) -> bool:
    """Store a tile (an empty one too) unless an invalidation happened since ``rendered_at``
    (the generation read before rendering); True when stored."""
    if generation() != rendered_at:
        return False
    _write_file(path, data)
    return True


def get_or_render(path: Path, render: Callable[[], bytes]) -> bytes:
    """The cached tile at ``path``, or ``render()`` stored there for the next visitor."""
    data = read(path)
    if data is None:
        rendered_at = generation()
        data = render()
        write(path, data, rendered_at)
    return data


def invalidate_all() -> None:
    """Forget every cached tile (after a bulk import, a group renamed…)."""
    _bump()
    for child in cache_dir().iterdir():
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)


def _int_entries(folder: Path, low: int, high: int, suffix: str = "") -> Iterable[Path]:
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        stem = name[: -len(suffix)] if suffix and name.endswith(suffix) else name
        if stem.isdigit() and low <= int(stem) <= high and (not suffix or name.endswith(suffix)):
            yield folder / name


def invalidate_bbox(lonlat: Bounds, removed_files: list[Path] | None = None) -> int:
    """Remove the cached tiles, of every collection, variant and zoom, that a lon/lat
    rectangle touches (with the tile buffer); returns how many were removed (their files
    appended to ``removed_files``, for the CDN purge). The work is proportional to the cached
    tiles, not to the tiles the rectangle covers."""
    root = cache_dir()
    _bump()
    xmin, ymin = to_mercator(lonlat[0], lonlat[1])
    xmax, ymax = to_mercator(lonlat[2], lonlat[3])
    removed = 0
    for zoom_dir in root.glob("*/*/*"):
        if not zoom_dir.name.isdigit():
            continue
        z = int(zoom_dir.name)
        margin = tile_size(z) * BUFFER / EXTENT
        grown = (xmin - margin, ymin - margin, xmax + margin, ymax + margin)
        tx0, ty0, tx1, ty1 = tile_range(z, grown)
        for x_dir in _int_entries(zoom_dir, tx0, tx1):
            for tile in _int_entries(x_dir, ty0, ty1, ".pbf"):
                tile.unlink(missing_ok=True)
                removed += 1
                if removed_files is not None:
                    removed_files.append(tile)
    return removed


def invalidate_geometries(
    geometries: Iterable[GEOSGeometry | None], removed_files: list[Path] | None = None
) -> int:
    """Remove the cached tiles touched by these geometries (lon/lat, EPSG:4326)."""
    removed = 0
    for geom in geometries:
        if geom is not None and not geom.empty:
            removed += invalidate_bbox(geom.extent, removed_files)
    return removed
