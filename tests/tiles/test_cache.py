"""The disk cache of anonymous tiles, and its invalidation on every write."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from observatoire import services
from tiles import cache
from workgroups.roles import Level

from ..factories import ResourceFactory
from .conftest import LILLE, PARIS, cluster_total, ids_in, tile_of

ZOOMS = (5, 14)


def _url(z, x, y):
    return f"/tiles/observatoire/{z}/{x}/{y}.pbf"


def _cached(var_dir):
    return sorted(var_dir.glob("tiles/**/*.pbf"))


@pytest.fixture
def shared(cast):
    """A public validated resource of the cast's author, in Lille."""
    return services.create_resource(
        cast["animateur"], cast.group, level=Level.PUBLIC, base="observatoire",
        kind="marqueur", title="Beffroi", geom=Point(LILLE.x, LILLE.y, srid=4326),
    )


def test_anonymous_tiles_are_cached_on_disk(client, shared, tiles_var_dir):
    """The first anonymous request writes the tile under VAR_DIR; the next one is read from
    it (same bytes, same ETag), with a public Cache-Control."""
    tile = tile_of(LILLE.x, LILLE.y, 14)
    first = client.get(_url(*tile))
    assert _cached(tiles_var_dir) and _cached(tiles_var_dir)[0].read_bytes() == first.content
    second = client.get(_url(*tile))
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "public, max-age=60"


def test_moved_resource_leaves_its_old_cached_tiles(
    client, cast, shared, tiles_var_dir, django_capture_on_commit_callbacks
):
    """Moving a resource from Lille to Paris invalidates the cached tiles of both places:
    it disappears from Lille's tiles and appears in Paris's, at feature and cluster zooms."""
    lille = {z: tile_of(LILLE.x, LILLE.y, z) for z in ZOOMS}
    paris = {z: tile_of(PARIS.x, PARIS.y, z) for z in ZOOMS}
    assert ids_in(client.get(_url(*lille[14])).content) == {shared.pk}
    assert cluster_total(client.get(_url(*lille[5])).content) == 1
    for z in ZOOMS:
        assert client.get(_url(*paris[z])).status_code == 204
    assert len(_cached(tiles_var_dir)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.update_resource(cast["animateur"], shared, geom=Point(PARIS.x, PARIS.y, srid=4326))
    for z in ZOOMS:
        assert client.get(_url(*lille[z])).status_code == 204
    assert ids_in(client.get(_url(*paris[14])).content) == {shared.pk}
    assert cluster_total(client.get(_url(*paris[5])).content) == 1


def test_unshared_resource_disappears_from_cached_tiles(client, cast, tiles_var_dir):
    """When its author takes a resource back into the group, the cached anonymous tiles
    holding it are dropped: the next anonymous tile no longer shows nor counts it."""
    resource = services.create_resource(
        cast["author"], cast.group, base="observatoire", kind="marqueur", title="Halle",
        geom=Point(LILLE.x, LILLE.y, srid=4326),
    )
    services.share(cast["author"], resource, Level.PUBLIC)
    services.validate(cast["animateur"], resource)
    tiles = {z: tile_of(LILLE.x, LILLE.y, z) for z in ZOOMS}
    assert ids_in(client.get(_url(*tiles[14])).content) == {resource.pk}
    assert cluster_total(client.get(_url(*tiles[5])).content) == 1
    services.share(cast["author"], resource, Level.GROUPE)
    assert not _cached(tiles_var_dir)
    for z in ZOOMS:
        assert client.get(_url(*tiles[z])).status_code == 204


def test_deleted_resource_disappears(client, cast, shared, tiles_var_dir):
    """Deleting a resource drops the cached tiles that held it."""
    tile = tile_of(LILLE.x, LILLE.y, 14)
    client.get(_url(*tile))
    services.delete_resource(cast["animateur"], shared)
    assert client.get(_url(*tile)).status_code == 204


def test_invalidation_spares_tiles_elsewhere(client, cast, shared, tiles_var_dir):
    """A write in Lille leaves Paris's cached tiles alone (the cache stays useful)."""
    ResourceFactory(level=Level.PUBLIC, validated_at=timezone.now(), geom=PARIS.clone())
    client.get(_url(*tile_of(PARIS.x, PARIS.y, 14)))
    client.get(_url(*tile_of(LILLE.x, LILLE.y, 14)))
    services.update_resource(cast["animateur"], shared, title="Beffroi de Lille")
    (left,) = _cached(tiles_var_dir)
    assert left.parent.name == str(tile_of(PARIS.x, PARIS.y, 14)[1])


def test_bulk_invalidation_functions(client, shared, tiles_var_dir):
    """Importers that write in bulk (no signals) call invalidate_bbox or invalidate_all."""
    for z in (3, 5, 10, 14):
        client.get(_url(*tile_of(LILLE.x, LILLE.y, z)))
    client.get(_url(*tile_of(PARIS.x, PARIS.y, 14)))
    assert len(_cached(tiles_var_dir)) == 5
    assert cache.invalidate_bbox((3.0, 50.6, 3.1, 50.7)) == 4
    assert len(_cached(tiles_var_dir)) == 1
    cache.invalidate_all()
    assert not _cached(tiles_var_dir)


def test_filtered_tiles_are_cached_apart(client, shared, tiles_var_dir):
    """Each filter set has its own cache variant: a filtered tile never answers an
    unfiltered request."""
    tile = tile_of(LILLE.x, LILLE.y, 14)
    assert client.get(_url(*tile) + "?kind=projet").status_code == 204
    assert ids_in(client.get(_url(*tile)).content) == {shared.pk}
    assert len(_cached(tiles_var_dir)) == 2
