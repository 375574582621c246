"""OGC API Features Part 5: the schema of each collection, from the one field table, agrees
with its queryables."""

from __future__ import annotations

import pytest

from observatoire.catalogue import COLLECTIONS

SCHEMA = "/ogc/collections/{}/schema"


def test_schema_of_a_kind_collection(client, db):
    """JSON Schema 2020-12 as application/schema+json: the roles of id, geometry and date,
    the kind's attributes flat, readOnly on what the platform sets."""
    response = client.get(SCHEMA.format("observatoire-marqueur"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    doc = response.json()
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["$id"] == "http://testserver/ogc/collections/observatoire-marqueur/schema"
    props = doc["properties"]
    assert props["id"]["x-ogc-role"] == "id" and props["id"]["readOnly"] is True
    assert props["geometry"] == {"x-ogc-role": "primary-geometry", "format": "geometry-any"}
    assert props["date_start"]["x-ogc-role"] == "primary-instant"
    assert props["protection"]["enum"][0] == "aucune" and props["epoque"]["type"] == "string"
    assert "attributes" not in props
    read_only = {name for name, prop in props.items() if prop.get("readOnly")}
    derived = {"communes", "epcis", "departements", "regions"}  # from the geometry
    assert read_only == {"id", "base", "created", "updated", "source", "source_id", *derived}
    roles = [prop["x-ogc-role"] for prop in props.values() if "x-ogc-role" in prop]
    assert sorted(roles) == ["id", "primary-geometry", "primary-instant"]


def test_schema_of_a_base_collection_and_errors(client, db):
    """A base collection keeps the attributes as one object; unknown collection: 404;
    unknown parameter: 400."""
    props = client.get(SCHEMA.format("mediatheque")).json()["properties"]
    assert props["attributes"]["type"] == "object" and "url" not in props
    assert client.get(SCHEMA.format("inconnue")).status_code == 404
    assert client.get(SCHEMA.format("mediatheque"), {"x": "1"}).status_code == 400
    english = client.get(SCHEMA.format("mediatheque"), {"lang": "en"}).json()
    assert english["title"] == "Media library"


@pytest.mark.parametrize("collection_id", list(COLLECTIONS))
def test_queryables_and_schema_agree(client, db, collection_id):
    """Every queryable is a property of the schema with the same type, format and enum, and
    every property of the schema but the id is queryable: one field table behind both."""
    queryables = client.get(f"/ogc/collections/{collection_id}/queryables").json()["properties"]
    schema = client.get(SCHEMA.format(collection_id)).json()["properties"]
    assert set(schema) - {"id"} == set(queryables)
    for name, queryable in queryables.items():
        for key in ("type", "format", "enum", "x-ogc-role"):
            assert schema[name].get(key) == queryable.get(key), (name, key)
