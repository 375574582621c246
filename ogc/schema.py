"""OGC API Features Part 5 (schemas): ``/collections/{id}/schema``.

The schema of a collection's features is derived, like its queryables, from the one field
table (:func:`observatoire.fields.fields_of`, the kind's attribute schema flattened in a kind
collection): the same names, types, formats and enums, plus what Part 5 adds — the role of
the id, the primary geometry and the primary instant (``x-ogc-role``), and ``readOnly`` on
what the platform sets. QGIS (3.44+) takes field names, types and the geometry type from it,
which it needs to add features to a layer that is still empty; the writes of
:mod:`ogc.transactions` check the properties they receive against :func:`writable_schema`.
"""

from __future__ import annotations

from typing import Any

from observatoire.catalogue import COLLECTIONS
from observatoire.fields import FIELDS, fields_of

#: Link relation and media type of a collection's schema (Part 5).
SCHEMA_REL = "http://www.opengis.net/def/rel/ogc/1.0/schema"
SCHEMA_TYPE = "application/schema+json"
JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
#: The property carrying a feature's date (pygeoapi's ``time_field`` in ``ogc/api.py``).
PRIMARY_INSTANT = "date_start"
#: Part 5 conformance classes served.
CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/core-roles-features",
)


def _id_property() -> dict[str, Any]:
    field = next(f for f in FIELDS if f.name == "id")
    return {**field.schema, "x-ogc-role": "id", "readOnly": True}


def properties(collection_id: str) -> dict[str, dict[str, Any]]:
    """The properties of the schema of ``collection_id``, in the order of the field table:
    ``id`` and ``geometry`` first."""
    result: dict[str, dict[str, Any]] = {
        "id": _id_property(),
        # no « type »: the geometry is not a field of the feature's properties
        "geometry": {"x-ogc-role": "primary-geometry", "format": "geometry-any"},
    }
    for name, field in fields_of(collection_id).items():
        prop = dict(field.schema)
        if field.read_only:
            prop["readOnly"] = True
        if name == PRIMARY_INSTANT:
            prop["x-ogc-role"] = "primary-instant"
        result[name] = prop
    return result


def collection_schema(collection_id: str, url: str, lang: str = "fr") -> dict[str, Any]:
    """The JSON Schema (2020-12) of the features of ``collection_id``, served at ``url``."""
    collection = COLLECTIONS[collection_id]
    return {
        "$schema": JSON_SCHEMA,
        "$id": url,
        "type": "object",
        "title": collection.title.get(lang, collection.title["fr"]),
        "description": collection.description.get(lang, collection.description["fr"]),
        "properties": properties(collection_id),
    }


def contributed_schema(title: dict[str, str], fields: dict, url: str) -> dict[str, Any]:
    """The read-only schema of a collection an app contributes (``ogc.extra``)."""
    props: dict[str, dict[str, Any]] = {
        "id": {"type": "integer", "x-ogc-role": "id", "readOnly": True},
        "geometry": {"x-ogc-role": "primary-geometry", "format": "geometry-point"},
    }
    props |= {name: {**f.schema, "readOnly": True} for name, f in fields.items()}
    return {
        "$schema": JSON_SCHEMA,
        "$id": url,
        "type": "object",
        "title": title["fr"],
        "properties": props,
    }


def writable_schema(collection_id: str) -> dict[str, Any]:
    """What a client may write in a feature's ``properties``, as a JSON Schema: the
    properties of the collection that are neither read-only nor roles (id, geometry)."""
    writable = {
        name: {k: v for k, v in prop.items() if k != "x-ogc-role"}
        for name, prop in properties(collection_id).items()
        if not prop.get("readOnly") and name != "geometry"
    }
    return {"$schema": JSON_SCHEMA, "type": "object", "properties": writable}
