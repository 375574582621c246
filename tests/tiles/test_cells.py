"""Cluster cells: the counts the triggers keep are the rows' counts, after any kind of write,
and they are only used when the visibility rule and the filters can be read on them."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString, Point, Polygon
from django.db import connection
from django.db.models import Sum
from django.http import QueryDict
from django.utils import timezone

from observatoire.catalogue import COLLECTIONS
from observatoire.models import Resource
from observatoire.summaries import CELL_ZOOMS, ClusterCell
from tiles.params import TileParams
from tiles.render import _cells_sql, _clusters_sql
from workgroups.roles import Level

from ..factories import ResourceFactory
from .conftest import LILLE, PARIS, decode, tile_of

ZOOMS = (0, 3, 5, 6, 8, 9)


def _clusters(sql_and_params) -> list[tuple[int, str]]:
    sql, params = sql_and_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        data = cursor.fetchone()[0]
    layer = decode(bytes(data) if data else b"").get("clusters", {"features": []})
    return sorted((f["properties"]["count"], f["properties"]["kind"]) for f in layer["features"])


def _params(query: str = "") -> TileParams:
    return TileParams.from_query(QueryDict(query))


def _assert_cells_match_rows(user, query: str = "") -> None:
    collection, params = COLLECTIONS["observatoire"], _params(query)
    for place in (LILLE, PARIS):
        for z in ZOOMS:
            tile = tile_of(place.x, place.y, z)[1:]
            assert _clusters(_cells_sql(user, collection, params, z, *tile)) == _clusters(
                _clusters_sql(user, collection, params, z, *tile)
            ), (z, tile)


def _public(**fields) -> Resource:
    return ResourceFactory(level=Level.PUBLIC, validated_at=timezone.now(), **fields)


@pytest.mark.django_db
def test_cells_follow_every_kind_of_write(cast):
    """Creates, moves, unsharing, validation, deletion, queryset updates and bulk creates:
    afterwards the clusters summed from the cells equal the clusters counted from the rows,
    and each cell zoom counts every located resource once."""
    anonymous = cast["anonymous"]
    moved = _public(geom=Point(3.06, 50.63, srid=4326), kind="projet")
    unshared = _public(geom=Point(2.35, 48.85, srid=4326))
    gone = _public(geom=Point(2.36, 48.86, srid=4326))
    pending = ResourceFactory(level=Level.PUBLIC, geom=Point(3.07, 50.64, srid=4326))
    _public(geom=LineString((3.05, 50.62), (3.07, 50.64), srid=4326), kind="projet")
    _public(geom=Polygon.from_bbox((2.3, 48.8, 2.4, 48.9)))
    _public(geom=None)
    ResourceFactory(level=Level.UTILISATEUR, group=cast.group, author=cast["author"])
    _assert_cells_match_rows(anonymous)

    moved.geom = Point(2.34, 48.84, srid=4326)
    moved.save()
    unshared.level = Level.UTILISATEUR
    unshared.save()
    pending.validated_at = timezone.now()
    pending.save()
    gone.delete()
    Resource.objects.filter(kind="projet").update(kind="realisation")
    Resource.objects.bulk_create(
        [
            Resource(
                base="observatoire",
                kind="action",
                title=f"Lot {i}",
                geom=Point(3.0 + i / 100, 50.6, srid=4326),
                group=cast.group,
                author=cast["author"],
                level=Level.PUBLIC,
                validated_at=timezone.now(),
            )
            for i in range(20)
        ]
    )
    _assert_cells_match_rows(anonymous)
    _assert_cells_match_rows(anonymous, "kind=action,marqueur")
    located = Resource.objects.exclude(geom=None).count()
    for zoom in CELL_ZOOMS:
        total = ClusterCell.objects.filter(zoom=zoom).aggregate(n=Sum("count"))["n"]
        assert total == located


@pytest.mark.django_db
def test_cells_only_answer_what_they_can_read(cast):
    """Anonymous visitors with base/kind filters are answered from the cells; a member (the
    rule reads author and group) or a group, date or title filter is answered from the rows."""
    collection = COLLECTIONS["observatoire"]
    z, x, y = tile_of(LILLE.x, LILLE.y, 6)
    assert _cells_sql(cast["anonymous"], collection, _params("kind=projet"), z, x, y)
    assert _cells_sql(cast["lecteur"], collection, _params(), z, x, y) is None
    for query in ("group=groupe-matrice", "date_from=2020-01-01", "filter=title LIKE 'B%'"):
        assert _cells_sql(cast["anonymous"], collection, _params(query), z, x, y) is None
