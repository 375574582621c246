"""TileJSON 3.0 of a collection, and GDAL's MVT driver reading one of our tiles."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from tiles.grid import to_mercator
from workgroups.auth import create_feed_key
from workgroups.roles import Level

from ..factories import ResourceFactory, UserFactory
from .conftest import LILLE, PARIS, tile_of


def public(**fields):
    return ResourceFactory(level=Level.PUBLIC, validated_at=timezone.now(), **fields)


@pytest.mark.django_db
def test_tilejson_fields(client):
    """TileJSON 3.0: XYZ template, zooms, bounds of what is visible, and both vector layers
    with their field types, the cluster layer ending where the feature layer starts."""
    public(geom=LILLE.clone())
    public(geom=PARIS.clone())
    response = client.get("/tiles/observatoire-marqueur.json?kind=marqueur")
    assert response.status_code == 200
    doc = response.json()
    assert doc["tilejson"] == "3.0.0"
    assert doc["name"] == "Observatoire : Marqueur"
    assert doc["tiles"] == [
        "http://testserver/tiles/observatoire-marqueur/{z}/{x}/{y}.pbf?kind=marqueur"
    ]
    assert (doc["minzoom"], doc["maxzoom"]) == (0, 22)
    assert doc["bounds"] == [PARIS.x, PARIS.y, LILLE.x, LILLE.y]
    assert len(doc["center"]) == 3
    layers = {layer["id"]: layer for layer in doc["vector_layers"]}
    assert layers["resources"]["fields"] == {
        "id": "Number",
        "base": "String",
        "kind": "String",
        "group": "String",
        "title": "String",
        "date": "String",
    }
    assert layers["clusters"]["fields"] == {"count": "Number", "kind": "String"}
    # features from z10, clusters below it and, in tiles too dense to draw, up to z13
    assert (layers["resources"]["minzoom"], layers["clusters"]["maxzoom"]) == (10, 13)


@pytest.mark.django_db
def test_tilejson_bounds_never_reveal_private_resources(client):
    """The bounds come from what the visitor sees: a private resource far away does not
    stretch them; the owner's feed key is carried into the tiles URL for QGIS."""
    public(geom=LILLE.clone())
    owner = UserFactory(username="proprio")
    ResourceFactory(author=owner, level=Level.UTILISATEUR, geom=Point(-61.5, 16.2, srid=4326))
    assert client.get("/tiles/observatoire.json").json()["bounds"] == [
        LILLE.x,
        LILLE.y,
        LILLE.x,
        LILLE.y,
    ]
    key = create_feed_key(owner).key
    doc = client.get(f"/tiles/observatoire.json?key={key}&properties=id,title").json()
    assert doc["bounds"][0] == -61.5
    assert doc["tiles"][0].endswith(f"?properties=id%2Ctitle&key={key}")
    assert set(doc["vector_layers"][0]["fields"]) == {"id", "title"}


@pytest.mark.django_db
def test_gdal_mvt_driver_reads_a_tile(client, tmp_path):
    """ogrinfo (GDAL's MVT driver) opens a saved z/x/y.pbf and finds our feature, with its
    properties, placed back in Lille."""
    resource = public(title="Beffroi de Lille")
    z, x, y = tile_of(LILLE.x, LILLE.y, 14)
    path = tmp_path / str(z) / str(x) / f"{y}.pbf"
    path.parent.mkdir(parents=True)
    path.write_bytes(client.get(f"/tiles/observatoire/{z}/{x}/{y}.pbf").content)
    result = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", str(path)], capture_output=True, text=True, check=True
    )
    out = result.stdout
    assert "Layer name: resources" in out
    assert re.search(rf"\bid \(Integer(64)?\) = {resource.pk}\b", out), out
    assert "title (String) = Beffroi de Lille" in out
    point = next(line for line in out.splitlines() if "POINT" in line)
    mx, my = (float(v) for v in point.split("(")[1].rstrip(")").split())
    expected_x, expected_y = to_mercator(LILLE.x, LILLE.y)
    assert abs(mx - expected_x) < 5 and abs(my - expected_y) < 5, point
