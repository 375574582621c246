"""One field table drives every channel: a field added in one place shows in OGC API
queryables and properties, CQL2, downloads and vector tiles; its SQL says what its lookup says."""

from __future__ import annotations

import csv
import io
import json

import mapbox_vector_tile
import pytest
from django.db import connection
from django.utils import timezone

from observatoire import fields
from observatoire.api.serializers import WRITABLE
from observatoire.fields import FIELDS, JOINS, Field
from observatoire.models import Resource
from observatoire.services import EDITABLE_FIELDS
from tests.factories import ResourceFactory
from tiles.grid import HALF_WORLD, tile_size, to_mercator
from workgroups.roles import Level

pytestmark = pytest.mark.django_db

#: The one field the test adds: a cheap property over ``source_id`` under another name.
REF = Field(
    "ref",
    "source_id",
    "r.source_id",
    {"type": "string", "title": "Référence"},
    export="ref",
    tile="ref",
)


@pytest.fixture
def var_dir(settings, tmp_path):
    """Tiles are cached on disk: a fresh directory per test."""
    settings.SPASS = {**settings.SPASS, "VAR_DIR": tmp_path}


@pytest.fixture
def with_ref(monkeypatch):
    """The field table with REF added, and nothing else changed."""
    monkeypatch.setattr(fields, "FIELDS", (*fields.FIELDS, REF))
    fields.cache_clear()
    yield REF
    fields.cache_clear()  # the table comes back right after: derived views recompute from it


@pytest.fixture
def beffroi():
    return ResourceFactory(
        title="Beffroi",
        source_id="REF-42",
        level=Level.PUBLIC,
        validated_at=timezone.now(),
    )


def _tile_of(lon: float, lat: float, z: int = 14) -> str:
    mx, my = to_mercator(lon, lat)
    size = tile_size(z)
    return f"{z}/{int((mx + HALF_WORLD) // size)}/{int((HALF_WORLD - my) // size)}"


def _tile_features(client, beffroi) -> list[dict]:
    response = client.get(f"/tiles/observatoire/{_tile_of(beffroi.geom.x, beffroi.geom.y)}.pbf")
    assert response.status_code == 200
    return mapbox_vector_tile.decode(response.content)["resources"]["features"]


def _items(client, collection: str, **params) -> dict:
    response = client.get(f"/ogc/collections/{collection}/items", {"f": "json", **params})
    assert response.status_code == 200, response.content
    return response.json()


def _csv(client, **params) -> list[dict]:
    response = client.get("/exports/observatoire.csv", params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_field_added_in_one_place_shows_in_every_channel(client, var_dir, with_ref, beffroi):
    for collection in ("observatoire", "observatoire-marqueur"):
        # OGC API: queryables and feature properties
        doc = client.get(f"/ogc/collections/{collection}/queryables", {"f": "json"}).json()
        assert doc["properties"]["ref"]["title"] == "Référence", collection
        (feature,) = _items(client, collection)["features"]
        assert feature["properties"]["ref"] == "REF-42"
        # CQL2 through the OGC API, positive and negative
        assert len(_items(client, collection, filter="ref = 'REF-42'")["features"]) == 1
        assert _items(client, collection, filter="ref = 'autre'")["features"] == []
    # CQL2 through the REST API (the default queryables)
    rest = client.get("/api/v1/resources/", {"filter": "ref = 'REF-42'"})
    assert rest.status_code == 200 and rest.json()["features"][0]["id"] == beffroi.pk
    # downloads: a column of the CSV (ORM path) and a property of the GeoJSON (SQL path)
    (row,) = _csv(client, filter="ref = 'REF-42'")
    assert row["ref"] == "REF-42"
    geojson = client.get("/exports/observatoire.geojson")
    (feature,) = json.loads(b"".join(geojson.streaming_content))["features"]
    assert feature["properties"]["ref"] == "REF-42"
    # vector tiles: a property of the features, declared in the TileJSON
    (feature,) = _tile_features(client, beffroi)
    assert feature["properties"]["ref"] == "REF-42"
    tilejson = client.get("/tiles/observatoire.json").json()
    assert tilejson["vector_layers"][0]["fields"]["ref"] == "String"


def test_without_the_field_no_channel_knows_it(client, var_dir, beffroi):
    """The control: the same requests without REF in the table."""
    doc = client.get("/ogc/collections/observatoire/queryables", {"f": "json"}).json()
    assert "ref" not in doc["properties"]
    (feature,) = _items(client, "observatoire")["features"]
    assert "ref" not in feature["properties"]
    response = client.get("/ogc/collections/observatoire/items", {"filter": "ref = 'REF-42'"})
    assert response.status_code == 400
    assert client.get("/api/v1/resources/", {"filter": "ref = 'x'"}).status_code == 400
    (row,) = _csv(client)
    assert "ref" not in row
    (feature,) = _tile_features(client, beffroi)
    assert "ref" not in feature["properties"]


def test_channel_views_keep_their_names_and_order():
    """What the channels published before the table, byte for byte."""
    assert [f.export for f in fields.export_fields()] == [
        "id",
        "titre",
        "base",
        "type",
        "resume",
        "themes",
        "date_debut",
        "date_fin",
        "groupe",
        "partage",
        "attributs",
        "communes",
        "epci",
        "depts",
        "regions",
    ]
    assert {name: (p.column, p.sql, p.type) for name, p in fields.tile_properties().items()} == {
        "id": ("id", 'src."id"', "Number"),
        "base": ("base", 'src."base"', "String"),
        "kind": ("kind", 'src."kind"', "String"),
        "group": ("group_slug", 'src."group_slug"', "String"),
        "title": ("title", 'src."title"', "String"),
        "date": ("date_start", 'src."date_start"::text', "String"),
    }
    assert list(fields.tile_properties()) == ["id", "base", "kind", "group", "title", "date"]
    # the OGC properties of a resource start with what the REST API lets a client write,
    # in the same order, then the computed and provenance fields
    assert list(fields.fields_of("observatoire")) == [
        *(name for name in WRITABLE if name != "attributes"),
        "created",
        "updated",
        "source",
        "source_id",
        "communes",
        "epcis",
        "departements",
        "regions",
        "attributes",
    ]
    assert WRITABLE[-1] == "attributes"
    assert "attributes" not in fields.fields_of("observatoire-marqueur")
    # every field a person edits directly is queryable, except the free attributes
    assert set(fields.queryables()) == (set(EDITABLE_FIELDS) - {"attributes"}) | {
        "id",
        "group",
        "author",
        "level",
        "created",
        "updated",
        "validated_at",
        "source",
        "source_id",
        "geometry",
        "communes",
        "epcis",
        "departements",
        "regions",
    }


def test_each_field_sql_reads_what_its_lookup_reads():
    """The SQL of a field (exports build GeoJSON with it) and its lookup (OGC API, CQL2, tiles)
    give the same value, for every field of the table and the per-kind attributes."""
    import datetime as dt

    resource = ResourceFactory(
        summary="Résumé",
        description="Texte",
        themes=["patrimoine", "eau"],
        date_start=dt.date(2020, 1, 2),
        date_end=dt.date(2021, 3, 4),
        source="merimee",
        source_id="PA59000001",
        validated_at=timezone.now(),
        attributes={"commune_insee": "59350"},
    )
    checked = [f for f in FIELDS if f.lookup != "geom"]
    checked += list(fields.fields_of("observatoire-marqueur").values())
    for field in checked:
        expected = Resource.objects.filter(pk=resource.pk).values_list(field.lookup, flat=True)[0]
        join = JOINS[field.join] if field.join else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {field.sql} FROM {Resource._meta.db_table} r {join} WHERE r.id = %s",
                [resource.pk],
            )
            (value,) = cursor.fetchone()
        if field.lookup.startswith("attributes") and value is not None:
            value = json.loads(value)  # raw cursors leave jsonb as its text
        assert value == expected, field.name
