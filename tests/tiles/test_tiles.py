"""The tile contract: features and properties, clusters that add up, filters, errors."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.contrib.gis.geos import LineString, Point, Polygon
from django.utils import timezone
from rest_framework.authtoken.models import Token

from observatoire.models import Resource
from tiles.grid import EXTENT, tile_bounds, tile_size, to_mercator
from workgroups.auth import create_feed_key
from workgroups.roles import Level

from ..factories import GroupFactory, ResourceFactory, UserFactory
from .conftest import LILLE, PARIS, cluster_total, decode, ids_in, tile_of


def public(**fields) -> Resource:
    return ResourceFactory(level=Level.PUBLIC, validated_at=timezone.now(), **fields)


def url(collection: str, z: int, x: int, y: int, query: str = "") -> str:
    return f"/tiles/{collection}/{z}/{x}/{y}.pbf" + (f"?{query}" if query else "")


@pytest.mark.django_db
def test_feature_tile_carries_small_properties(client):
    """A z14 tile is an MVT whose features carry id, base, kind, group slug, title, date."""
    group = GroupFactory(slug="caue-59")
    resource = public(group=group, title="Beffroi de Lille", date_start=dt.date(2021, 5, 3))
    response = client.get(url("observatoire", *tile_of(LILLE.x, LILLE.y, 14)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    (feature,) = decode(response.content)["resources"]["features"]
    assert feature["id"] == resource.pk
    assert feature["properties"] == {
        "id": resource.pk,
        "base": "observatoire",
        "kind": "marqueur",
        "group": "caue-59",
        "title": "Beffroi de Lille",
        "date": "2021-05-03",
    }


def pixel(lon: float, lat: float, z: int, x: int, y: int) -> tuple[int, int]:
    """Where a point falls in tile z/x/y, in tile units (y up, as the decoder gives it)."""
    mx, my = to_mercator(lon, lat)
    xmin, _, _, ymax = tile_bounds(z, x, y)
    size = tile_size(z)
    return round((mx - xmin) / size * EXTENT), EXTENT - round((ymax - my) / size * EXTENT)


@pytest.mark.django_db
def test_features_are_drawn_where_they_are_and_follow_a_move(client, settings):
    """Tiles draw the Web Mercator geometry PostgreSQL keeps beside the lon/lat one: it is
    where the point is, and it follows the point when the resource moves."""
    settings.SPASS = {**settings.SPASS, "TILES_CACHE": False}
    resource = public(geom=Point(3.0573, 50.6292, srid=4326))
    for lon, lat in ((3.0573, 50.6292), (3.0581, 50.6287)):
        if (lon, lat) != (3.0573, 50.6292):
            resource.geom = Point(lon, lat, srid=4326)
            resource.save()
        tile = tile_of(lon, lat, 16)
        (feature,) = decode(client.get(url("observatoire", *tile)).content)["resources"]["features"]
        got = feature["geometry"]["coordinates"]
        expected = pixel(lon, lat, *tile)
        assert abs(got[0] - expected[0]) <= 1 and abs(got[1] - expected[1]) <= 1


@pytest.mark.django_db
def test_properties_option_limits_the_properties(client):
    """``properties=id,title`` keeps only those; an unknown name is a 400 naming it."""
    public(title="Beffroi")
    tile = tile_of(LILLE.x, LILLE.y, 14)
    (feature,) = decode(client.get(url("observatoire", *tile, "properties=id,title")).content)[
        "resources"
    ]["features"]
    assert set(feature["properties"]) == {"id", "title"}
    response = client.get(url("observatoire", *tile, "properties=id,secret"))
    assert response.status_code == 400
    assert "« secret »" in response.json()["description"]


@pytest.mark.django_db
def test_lines_and_polygons_are_drawn(client):
    """Non-point geometries are clipped into the tile, not dropped."""
    line = public(geom=LineString((3.05, 50.62), (3.07, 50.64), srid=4326))
    area = public(geom=Polygon.from_bbox((3.05, 50.62, 3.07, 50.64)))
    area.geom.srid = 4326
    content = client.get(url("observatoire", *tile_of(3.06, 50.63, 14))).content
    types = {f["id"]: f["geometry"]["type"] for f in decode(content)["resources"]["features"]}
    assert types == {line.pk: "LineString", area.pk: "Polygon"}


@pytest.mark.django_db
def test_empty_tile_is_204(client):
    """Nothing visible in the tile: 204 No Content, no body."""
    public()
    response = client.get(url("observatoire", *tile_of(PARIS.x, PARIS.y, 14)))
    assert response.status_code == 204
    assert response.content == b""


@pytest.mark.django_db
def test_clusters_add_up_over_every_tile_of_a_zoom(client):
    """Below the cluster zoom, the counts of all the tiles of a zoom add up to the number of
    visible features — points on tile edges included, none counted twice, none truncated."""
    points = [(2.35 + i * 0.01, 48.85 + (i % 7) * 0.01) for i in range(40)]
    points += [(0.0, 0.0), (0.0, 48.0), (90.0, 0.0), (-5.625, 45.0), (3.0573, 50.6292)]
    for lon, lat in points:
        public(geom=Point(lon, lat, srid=4326))
    for z in (0, 1, 2, 3):
        total = 0
        for x in range(1 << z):
            for y in range(1 << z):
                response = client.get(url("observatoire", z, x, y))
                assert response.status_code in (200, 204)
                total += cluster_total(response.content)
        assert total == len(points), z


@pytest.mark.django_db
def test_cluster_carries_count_and_dominant_kind(client):
    """A cluster reports how many resources it holds and the most frequent kind."""
    for kind in ("projet", "projet", "marqueur"):
        public(kind=kind)
    (cluster,) = decode(client.get(url("observatoire", *tile_of(LILLE.x, LILLE.y, 5))).content)[
        "clusters"
    ]["features"]
    assert cluster["properties"] == {"count": 3, "kind": "projet"}


@pytest.mark.django_db
def test_cluster_zoom_is_configurable(client, settings):
    """``TILES_CLUSTER_BELOW_ZOOM`` moves the switch from clusters to features."""
    resource = public()
    settings.SPASS = {**settings.SPASS, "TILES_CLUSTER_BELOW_ZOOM": 5}
    assert ids_in(client.get(url("observatoire", *tile_of(LILLE.x, LILLE.y, 5))).content) == {
        resource.pk
    }
    assert cluster_total(client.get(url("observatoire", *tile_of(LILLE.x, LILLE.y, 4))).content)


@pytest.mark.django_db
def test_filters_show_exactly_what_the_list_shows(client):
    """``filter`` (CQL2), ``kind``, ``group``, dates and per-kind collections select the same
    resources as the queryset the list uses."""
    g1, g2 = GroupFactory(slug="g-un"), GroupFactory(slug="g-deux")
    a = public(group=g1, kind="marqueur", title="Beffroi", date_start=dt.date(2020, 1, 1))
    b = public(group=g2, kind="projet", title="Gare", date_start=dt.date(2023, 6, 1))
    c = public(
        group=g1,
        kind="projet",
        title="Halle",
        date_start=dt.date(2019, 1, 1),
        date_end=dt.date(2022, 1, 1),
    )
    tile = tile_of(LILLE.x, LILLE.y, 14)
    cases = {
        "": {a.pk, b.pk, c.pk},
        "kind=projet": {b.pk, c.pk},
        "group=g-un": {a.pk, c.pk},
        "filter=title LIKE 'B%'": {a.pk},
        "filter=kind = 'projet' AND group = 'g-deux'": {b.pk},
        "date_from=2021-01-01": {b.pk, c.pk},
        "date_to=2020-06-01": {a.pk, c.pk},
        "base=mediatheque": set(),
    }
    for query, expected in cases.items():
        response = client.get(url("observatoire", *tile, query))
        assert ids_in(response.content) == expected, query
    assert ids_in(client.get(url("observatoire-projet", *tile)).content) == {b.pk, c.pk}
    assert client.get(url("mediatheque", *tile)).status_code == 204


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "fragment"),
    [
        ("/tiles/observatoire/a/0/0.pbf", 400, "« z »"),
        ("/tiles/observatoire/3/1.5/0.pbf", 400, "« x »"),
        ("/tiles/observatoire/3/0/-1.pbf", 400, "« y »"),
        ("/tiles/observatoire/3/8/0.pbf", 404, "« x » hors de la grille"),
        ("/tiles/observatoire/3/0/8.pbf", 404, "« y » hors de la grille"),
        ("/tiles/observatoire/40/0/0.pbf", 404, "zoom"),
        ("/tiles/inconnue/3/0/0.pbf", 404, "Collection inconnue"),
        ("/tiles/inconnue.json", 404, "Collection inconnue"),
        ("/tiles/observatoire/3/0/0.pbf?filter=titre%20%3D%20'x'", 400, "« filter »"),
        ("/tiles/observatoire/3/0/0.pbf?filter=%3D%3D", 400, "« filter »"),
        ("/tiles/observatoire.json?filter=%3D%3D", 400, "« filter »"),
        ("/tiles/observatoire/3/0/0.pbf?date_from=hier", 400, "« date_from »"),
    ],
)
def test_bad_requests_get_a_french_message(client, path, status, fragment):
    """Bad z/x/y, unknown collection, bad filter: 400/404 with a message naming the culprit."""
    response = client.get(path)
    assert response.status_code == status
    assert fragment in response.json()["description"]


@pytest.mark.django_db
def test_gis_clients_authenticate_with_basic_token_or_feed_key(client):
    """Basic, Token and ``?key=`` see the person's private resource; wrong ones get 401."""
    person = UserFactory(username="sig", password="mot-de-passe-test")
    mine = ResourceFactory(author=person, level=Level.UTILISATEUR)
    token = Token.objects.create(user=person)
    feed_key = create_feed_key(person)
    tile = url("observatoire", *tile_of(LILLE.x, LILLE.y, 14))
    basic = "Basic " + base64.b64encode(b"sig:mot-de-passe-test").decode()
    for kwargs in (
        {"HTTP_AUTHORIZATION": basic},
        {"HTTP_AUTHORIZATION": f"Token {token.key}"},
        {"data": {"key": feed_key.key}},
    ):
        response = client.get(tile, kwargs.pop("data", {}), **kwargs)
        assert ids_in(response.content) == {mine.pk}
        assert response["Cache-Control"].startswith("private")
    assert client.get(tile).status_code == 204
    for kwargs in ({"HTTP_AUTHORIZATION": "Token faux"}, {"data": {"key": "fausse"}}):
        response = client.get(tile, kwargs.pop("data", {}), **kwargs)
        assert response.status_code == 401
        assert response.json()["description"]


@pytest.mark.django_db
def test_etag_answers_304(client):
    """The ETag of a tile lets a client revalidate it for free."""
    public()
    tile = url("observatoire", *tile_of(LILLE.x, LILLE.y, 12))
    first = client.get(tile)
    assert first["ETag"]
    again = client.get(tile, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
