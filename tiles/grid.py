"""The XYZ Web Mercator tile grid (EPSG:3857), computed in Python so that SQL gets plain
numbers and the spatial index gets a lon/lat rectangle."""

from __future__ import annotations

import math

#: Half the width of the Web Mercator square, in metres.
HALF_WORLD = 20037508.342789244
#: The latitude where the Web Mercator square ends.
MAX_LATITUDE = 85.0511287798066
EXTENT = 4096
BUFFER = 64

Bounds = tuple[float, float, float, float]


def tile_size(z: int) -> float:
    return 2 * HALF_WORLD / (1 << z)


def tile_bounds(z: int, x: int, y: int) -> Bounds:
    """(xmin, ymin, xmax, ymax) of a tile in EPSG:3857 (y counted from the north)."""
    size = tile_size(z)
    xmin = -HALF_WORLD + x * size
    ymax = HALF_WORLD - y * size
    return xmin, ymax - size, xmin + size, ymax


def to_lonlat(mx: float, my: float) -> tuple[float, float]:
    lon = math.degrees(mx / 6378137.0)
    lat = math.degrees(2 * math.atan(math.exp(my / 6378137.0)) - math.pi / 2)
    return lon, lat


def to_mercator(lon: float, lat: float) -> tuple[float, float]:
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    mx = math.radians(lon) * 6378137.0
    my = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * 6378137.0
    return mx, my


def lonlat_bounds(bounds: Bounds, margin: float = 0.0) -> Bounds:
    """A 3857 rectangle grown by ``margin`` metres, as a lon/lat rectangle (same shape: the
    projection keeps meridians and parallels straight)."""
    xmin, ymin, xmax, ymax = bounds
    xmin, ymin = to_lonlat(max(xmin - margin, -HALF_WORLD), max(ymin - margin, -HALF_WORLD))
    xmax, ymax = to_lonlat(min(xmax + margin, HALF_WORLD), min(ymax + margin, HALF_WORLD))
    return xmin, ymin, xmax, ymax


def tile_range(z: int, bounds: Bounds) -> tuple[int, int, int, int]:
    """(xmin, ymin, xmax, ymax) tile indices at ``z`` covering a 3857 rectangle, clamped."""
    size = tile_size(z)
    last = (1 << z) - 1

    def clamp(value: float) -> int:
        return max(0, min(last, math.floor(value)))

    xmin, ymin, xmax, ymax = bounds
    return (
        clamp((xmin + HALF_WORLD) / size),
        clamp((HALF_WORLD - ymax) / size),
        clamp((xmax + HALF_WORLD) / size),
        clamp((HALF_WORLD - ymin) / size),
    )
