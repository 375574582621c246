"""Downloads hold exactly the filtered, visible features, in every format, read back by GDAL."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pyogrio
import pytest

from tests.conftest import ACTORS
from tests.layers.maps_fixtures import SEES_RESOURCES, client_for

pytestmark = pytest.mark.django_db
FILE_FORMATS = {"gpkg": ".gpkg", "kml": ".kml"}


def _titles_geojson(response) -> set[str]:
    data = json.loads(b"".join(response.streaming_content))
    return {f["properties"]["titre"] for f in data["features"]}


def _titles_csv(response) -> set[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["titre"] for row in csv.DictReader(io.StringIO(text))}


def _read_file(tmp_path, content: bytes, suffix: str):
    path = tmp_path / f"export{suffix}"
    path.write_bytes(content)
    return pyogrio.read_dataframe(path)


def _every_format(client, query: dict, tmp_path) -> dict[str, set[str]]:
    """Titles of each download (GeoJSON, CSV, GPKG, KML, zipped SHP), read back by GDAL."""
    got = {}
    response = client.get("/exports/observatoire.geojson", query)
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    got["geojson"] = _titles_geojson(response)
    got["csv"] = _titles_csv(client.get("/exports/observatoire-marqueur.csv", query))
    for fmt, suffix in FILE_FORMATS.items():
        response = client.get(f"/exports/observatoire.{fmt}", query)
        assert response.status_code == 200, fmt
        frame = _read_file(tmp_path, response.content, suffix)
        column = "titre" if "titre" in frame else "Name"
        got[fmt] = set(frame[column])
    archive = zipfile.ZipFile(
        io.BytesIO(client.get("/exports/observatoire.shp.zip", query).content)
    )
    archive.extractall(tmp_path / "shp")
    got["shp"] = set(pyogrio.read_dataframe(tmp_path / "shp" / "observatoire_points.shp")["titre"])
    return got


@pytest.mark.parametrize("actor", ACTORS)
def test_every_format_leak_matrix(client, world, actor, tmp_path):
    """GeoJSON, CSV, GPKG, KML and zipped SHP give each actor exactly what they may see."""
    client = client_for(client, world.cast[actor])
    expected = SEES_RESOURCES[actor]
    assert _every_format(client, {}, tmp_path) == dict.fromkeys(FORMATS, expected)


FORMATS = ("geojson", "csv", *FILE_FORMATS, "shp")


@pytest.mark.parametrize("actor", ACTORS)
def test_every_format_leak_matrix_by_feed_key(client, world, actor, tmp_path):
    """The same downloads through the actor's feed key (``?key=``, no session): exactly what
    the actor may see, in private caches; anonymous (no key) gets the public resource only."""
    from workgroups.auth import create_feed_key

    person = world.cast[actor]
    query = {"key": create_feed_key(person).key} if person.is_authenticated else {}
    expected = SEES_RESOURCES[actor]
    assert "Ressource publique" in expected  # positive control
    assert ("Ressource privée" in expected) == (actor == "author")  # negative control
    assert _every_format(client, query, tmp_path) == dict.fromkeys(FORMATS, expected)
    response = client.get("/exports/observatoire.geojson", query)
    assert response.get("Cache-Control", "").startswith("private") is bool(query)


def test_filter_and_french_attributes(client, world, tmp_path):
    """?filter narrows the download; attributes have French names; errors are 400/404."""
    client.force_login(world.cast["author"])
    response = client.get("/exports/observatoire.geojson", {"filter": "level = 'groupe'"})
    assert _titles_geojson(response) == {"Ressource du groupe"}
    frame = _read_file(
        tmp_path,
        client.get("/exports/observatoire.gpkg", {"filter": "level = 'public'"}).content,
        ".gpkg",
    )
    assert set(frame["titre"]) == {"Ressource publique", "Ressource publique non validée"}
    for name in ("titre", "type", "resume", "date_debut", "groupe", "partage", "lien"):
        assert name in frame.columns
    bad = client.get("/exports/observatoire.csv", {"filter": "nope = 1"})
    assert bad.status_code == 400 and "filter" in bad.json()["description"]
    assert client.get("/exports/inconnue.geojson").status_code == 404
    assert client.get("/exports/observatoire.kml", {"crs": "2154"}).status_code == 400
    assert client.get("/exports/observatoire.gpkg", {"crs": "3857"}).status_code == 400


def test_lambert93_geopackage(client, world, tmp_path):
    """crs=2154 writes Lambert-93 coordinates, with the CRS declared in the file."""
    frame = _read_file(
        tmp_path, client.get("/exports/observatoire.gpkg", {"crs": "2154"}).content, ".gpkg"
    )
    assert frame.crs.to_epsg() == 2154
    x, y = frame.geometry.iloc[0].x, frame.geometry.iloc[0].y
    assert 600_000 < x < 800_000 and 6_900_000 < y < 7_100_000


def test_file_formats_capped_413(client, world, settings):
    """Written formats refuse more than EXPORT_MAX_FILE_FEATURES with 413, streamed do not."""
    settings.SPASS = {**settings.SPASS, "EXPORT_MAX_FILE_FEATURES": 0}
    response = client.get("/exports/observatoire.gpkg")
    assert response.status_code == 413 and "filter" in response.json()["description"]
    assert client.get("/exports/observatoire.geojson").status_code == 200


def test_bad_feed_key_is_401(client, world):
    """A wrong feed key is refused, not treated as anonymous."""
    assert client.get("/exports/observatoire.geojson", {"key": "faux"}).status_code == 401
