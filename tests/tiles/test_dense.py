"""Dense tiles: above the cluster zoom, a tile holding more visible features than
``TILES_MAX_FEATURES`` is drawn as clusters whose counts add up to what the visitor may see;
lighter tiles, personal tiles and tiles at the finest cell zoom and above keep their features."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from workgroups.roles import Level

from ..factories import ResourceFactory
from .conftest import LILLE, cluster_total, ids_in, tile_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(cast, settings):
    """Eight public validated resources and two private ones within 50 m of Lille's belfry,
    one public resource in Paris; a tile is dense above five features."""
    settings.SPASS = {**settings.SPASS, "TILES_MAX_FEATURES": 5}
    now = timezone.now()
    public = [
        ResourceFactory(
            level=Level.PUBLIC,
            validated_at=now,
            geom=Point(LILLE.x + i * 0.0001, LILLE.y, srid=4326),
            group=cast.group,
            author=cast["author"],
        )
        for i in range(8)
    ]
    private = [
        ResourceFactory(
            level=Level.UTILISATEUR,
            geom=Point(LILLE.x, LILLE.y + i * 0.0001, srid=4326),
            group=cast.group,
            author=cast["author"],
        )
        for i in range(2)
    ]
    lone = ResourceFactory(
        level=Level.PUBLIC, validated_at=now, geom=Point(2.3522, 48.8566, srid=4326)
    )
    return public, private, lone


def _tile(client, z: int, lon: float = LILLE.x, lat: float = LILLE.y) -> bytes:
    response = client.get("/tiles/observatoire/{}/{}/{}.pbf".format(*tile_of(lon, lat, z)))
    assert response.status_code in (200, 204)
    return response.content


@pytest.mark.parametrize("z", [10, 11, 12, 13])
def test_a_dense_tile_is_drawn_as_clusters_that_count_only_the_visible(client, crowd, z):
    """From the cells at z10 (16 per side), from the rows above: either way eight, never the
    two private resources."""
    body = _tile(client, z)
    assert ids_in(body) == set()
    assert cluster_total(body) == 8


def test_light_tiles_and_the_finest_zoom_keep_their_features(client, crowd):
    public, _, lone = crowd
    assert ids_in(_tile(client, 12, 2.3522, 48.8566)) == {lone.pk}
    assert ids_in(_tile(client, 14)) == {r.pk for r in public}


def test_a_personal_tile_is_never_counted_from_the_cells(client, cast, crowd):
    """The author sees her private resources as features: the cells cannot apply her rule."""
    public, private, _ = crowd
    client.force_login(cast["author"])
    assert ids_in(_tile(client, 12)) == {r.pk for r in public + private}


def test_zero_turns_dense_clusters_off(client, crowd, settings):
    settings.SPASS = {**settings.SPASS, "TILES_MAX_FEATURES": 0}
    public, _, _ = crowd
    assert ids_in(_tile(client, 12)) == {r.pk for r in public}
