"""Feature properties of each collection: one table for output, queryables, sortby and CQL2.

Common properties come from the model; kind collections add their per-kind attributes
(``observatoire/schemas.py``) as flat properties, so QGIS and OGR show them as columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from observatoire.catalogue import COLLECTIONS
from observatoire.cql import RESOURCE_QUERYABLES
from observatoire.kinds import Base, Kind
from workgroups.roles import Level


@dataclass(frozen=True)
class Field:
    """One property: its public name, the model lookup behind it, its JSON Schema."""

    name: str
    lookup: str
    schema: dict[str, Any]
    sortable: bool = True


def _string(title: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "title": title, **extra}


COMMON_FIELDS: tuple[Field, ...] = (
    Field("title", "title", _string("Titre")),
    Field("summary", "summary", _string("Résumé")),
    Field("description", "description", _string("Description"), sortable=False),
    Field("base", "base", _string("Base", enum=[b.value for b in Base])),
    Field("kind", "kind", _string("Type", enum=[k.value for k in Kind])),
    Field("group", "group__slug", _string("Groupe")),
    Field("level", "level", _string("Niveau de partage", enum=[v.value for v in Level])),
    Field(
        "themes",
        "themes",
        {"type": "array", "title": "Thèmes", "items": {"type": "string"}},
        sortable=False,
    ),
    Field("date_start", "date_start", _string("Date (début)", format="date")),
    Field("date_end", "date_end", _string("Date (fin)", format="date")),
    Field("created", "created_at", _string("Créée le", format="date-time")),
    Field("updated", "updated_at", _string("Modifiée le", format="date-time")),
    Field("source", "source", _string("Source")),
    Field("source_id", "source_id", _string("Identifiant dans la source")),
)

ATTRIBUTES_FIELD = Field(
    "attributes", "attributes", {"type": "object", "title": "Attributs"}, sortable=False
)


@cache
def fields_of(collection_id: str) -> dict[str, Field]:
    """Properties of a collection, by public name."""
    collection = COLLECTIONS[collection_id]
    fields = {f.name: f for f in COMMON_FIELDS}
    if collection.kind:
        for name, schema in collection.attribute_schema.items():
            if name not in fields:
                fields[name] = Field(name, f"attributes__{name}", dict(schema))
    else:
        fields[ATTRIBUTES_FIELD.name] = ATTRIBUTES_FIELD
    return fields


@cache
def cql_queryables(collection_id: str) -> dict[str, str]:
    """CQL2 name → model lookup for a collection (the shared names plus its attributes)."""
    mapping = dict(RESOURCE_QUERYABLES)
    for field in fields_of(collection_id).values():
        if field.name not in mapping and field.schema.get("type") != "object":
            mapping[field.name] = field.lookup
    return mapping
