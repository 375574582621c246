"""The offline basemap's vector tiles (/geo/tuiles/{z}/{x}/{y}.pbf): département outlines at
every zoom, commune outlines with their names from zoom 8, one SQL statement per tile, a disk
cache under var/, long HTTP caching with an ETag, 204 for an empty tile, 400/404 for a tile
outside the grid."""

from __future__ import annotations

import mapbox_vector_tile
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geo import outline_tiles

pytestmark = pytest.mark.django_db

# Lille (59350) is in tiles 7/65/43, 8/130/86 and 10/520/344; the north of France in 5/16/10.
NORTH = "/geo/tuiles/5/16/10.pbf"
LILLE_Z8 = "/geo/tuiles/8/130/86.pbf"
LILLE_Z10 = "/geo/tuiles/10/520/344.pbf"


@pytest.fixture(autouse=True)
def own_cache(settings, tmp_path, monkeypatch):
    """Each test gets its own tile cache directory."""
    monkeypatch.setitem(settings.SPASS, "VAR_DIR", tmp_path)
    return tmp_path / "outline-tiles"


def _decode(response) -> dict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.content)


def test_low_zoom_has_departements_only(client, territories):
    """At zoom 5 the tile holds the départements with code and name, no commune."""
    layers = _decode(client.get(NORTH))
    assert set(layers) == {"departements"}
    names = {
        f["properties"]["code"]: f["properties"]["nom"] for f in layers["departements"]["features"]
    }
    assert names["59"] == "Nord" and names["62"] == "Pas-de-Calais" and len(names) >= 15
    assert layers["departements"]["extent"] == 4096


def test_communes_from_zoom_8_with_names(client, territories):
    """From zoom 8 the communes layer appears, with INSEE code and name for labels."""
    layers = _decode(client.get(LILLE_Z8))
    assert {"departements", "communes"} <= set(layers)
    communes = {
        f["properties"]["insee"]: f["properties"]["nom"] for f in layers["communes"]["features"]
    }
    assert communes["59350"] == "Lille"
    assert all(
        f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in layers["communes"]["features"]
    )
    assert "communes" not in _decode(client.get("/geo/tuiles/7/65/43.pbf"))


def test_simplified_per_zoom(client, territories):
    """The same commune outline has fewer vertices at zoom 8 than at zoom 10 (relative to
    the tile), so low zooms stay light."""

    def vertices(url: str) -> int:
        layer = _decode(client.get(url))["communes"]
        [lille] = [f for f in layer["features"] if f["properties"]["insee"] == "59350"]
        geometry = lille["geometry"]
        rings = (
            geometry["coordinates"]
            if geometry["type"] == "Polygon"
            else [ring for polygon in geometry["coordinates"] for ring in polygon]
        )
        return sum(len(ring) for ring in rings)

    assert vertices(LILLE_Z8) < vertices(LILLE_Z10)
    assert outline_tiles.tolerance(8) == 4 * outline_tiles.tolerance(10)


def test_one_statement_then_disk_cache(client, territories, own_cache):
    """A tile is one SQL statement the first time, then read from var/ with no query."""
    with CaptureQueriesContext(connection) as first:
        body = client.get(LILLE_Z8).content
    assert len([q for q in first.captured_queries if "ST_AsMVT" in q["sql"]]) == 1
    assert (own_cache / "8" / "130" / "86.pbf").read_bytes() == body
    with CaptureQueriesContext(connection) as second:
        assert client.get(LILLE_Z8).content == body
    assert not [q for q in second.captured_queries if "geo_" in q["sql"]]


def test_http_caching_headers_and_etag(client, territories):
    """Static data: public, a month of max-age, an ETag, and 304 when the client has it."""
    response = client.get(NORTH)
    assert "public" in response["Cache-Control"] and "max-age=2592000" in response["Cache-Control"]
    etag = response["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    again = client.get(NORTH, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content


def test_empty_tile_is_204_and_not_stored(client, territories, own_cache):
    """A tile in the middle of the Pacific holds nothing: 204, no body, nothing cached."""
    response = client.get("/geo/tuiles/6/2/30.pbf")
    assert response.status_code == 204 and response.content == b""
    assert not own_cache.exists() or not any(own_cache.rglob("*.pbf"))


@pytest.mark.parametrize(
    ("url", "status", "word"),
    [
        ("/geo/tuiles/17/0/0.pbf", 400, "« z »"),
        ("/geo/tuiles/3/8/0.pbf", 400, "« x »"),
        ("/geo/tuiles/3/0/8.pbf", 400, "« y »"),
        ("/geo/tuiles/3/a/0.pbf", 404, ""),
        ("/geo/tuiles/-1/0/0.pbf", 404, ""),
        ("/geo/tuiles/3/0/0.png", 404, ""),
    ],
)
def test_bad_tile_addresses(client, url, status, word):
    """Outside the grid: 400 naming the parameter, in French; not a tile address: 404."""
    response = client.get(url)
    assert response.status_code == status
    if word:
        assert word in response.json()["detail"]


def test_cache_emptied_when_territories_reloaded(client, territories, own_cache):
    """``load_territories`` forgets the cached outline tiles (the data changed)."""
    client.get(NORTH)
    assert any(own_cache.rglob("*.pbf"))
    call_command("load_territories", verbosity=0)
    assert not own_cache.exists()
    assert client.get(NORTH).status_code == 200
