"""Helpers of the tile tests: an isolated cache directory and a decoder of real MVT bytes."""

from __future__ import annotations

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from tiles.grid import HALF_WORLD, tile_size, to_mercator

from ..factories import ResourceFactory

LEVELS = ("utilisateur", "groupe", "communaute", "public")


@pytest.fixture(autouse=True)
def tiles_var_dir(settings, tmp_path):
    """Each test gets its own ``VAR_DIR`` so that cached tiles never leak between tests."""
    settings.SPASS = {**settings.SPASS, "VAR_DIR": tmp_path}
    return tmp_path


def decode(content: bytes) -> dict:
    """Layers of a tile as decoded by mapbox-vector-tile (an independent reader)."""
    return mapbox_vector_tile.decode(content) if content else {}


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """(z, x, y) of the XYZ tile holding a point."""
    mx, my = to_mercator(lon, lat)
    size = tile_size(z)
    return z, int((mx + HALF_WORLD) // size), int((HALF_WORLD - my) // size)


def ids_in(content: bytes) -> set[int]:
    """Resource ids of the ``resources`` layer of a tile."""
    layer = decode(content).get("resources", {"features": []})
    return {f["properties"]["id"] for f in layer["features"]}


def cluster_total(content: bytes) -> int:
    layer = decode(content).get("clusters", {"features": []})
    return sum(f["properties"]["count"] for f in layer["features"])


LILLE = Point(3.0573, 50.6292, srid=4326)
PARIS = Point(2.3522, 48.8566, srid=4326)


@pytest.fixture
def matrix(cast):
    """One resource per (level, validated), a few metres apart around Lille's belfry."""
    resources = {}
    for i, level in enumerate(LEVELS):
        for j, validated in enumerate((False, True)):
            resources[(level, validated)] = ResourceFactory(
                group=cast.group,
                author=cast["author"],
                level=level,
                validated_at=timezone.now() if validated else None,
                geom=Point(3.0573 + 0.0001 * i, 50.6292 + 0.0001 * j, srid=4326),
            )
    return resources
