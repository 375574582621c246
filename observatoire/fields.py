"""The one table of resource properties; every channel derives its own view from it.

Each :class:`Field` says once what a property is: its public name (OGC API property, CQL2
queryable, ``sortby``), the Django lookup behind it, the same value as SQL over the resource
alias ``r`` (and the joins of :data:`JOINS`), its JSON Schema, its French export column, its
vector tile name and type, and in which channels it appears. The channels read only the
derived views below — :func:`fields_of` (OGC API properties), :func:`queryables` (CQL2),
:func:`export_fields` (downloads), :func:`tile_properties` (vector tiles),
:func:`import_fields` (the targets of an import's column mapping) — so a property
added to :data:`FIELDS` shows everywhere it is flagged, and nowhere else.

The derived views are cached; :func:`cache_clear` empties them (tests that change the table).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from observatoire.catalogue import COLLECTIONS
from observatoire.kinds import Base, Kind
from workgroups.models import Group, User
from workgroups.roles import Level

#: Resource table alias of the SQL expressions, and the joins some of them need (by alias).
RESOURCE_ALIAS = "r"
JOINS: dict[str, str] = {
    "g": f"JOIN {Group._meta.db_table} g ON g.id = r.group_id",
    "a": f"LEFT JOIN {User._meta.db_table} a ON a.id = r.author_id",
}

#: Position given to an export column or tile property without an explicit one: after them.
LAST = 1000


@dataclass(frozen=True)
class Field:
    """One property of a resource, as every channel shows it.

    ``export_at`` and ``tile_at`` order the columns of downloads and the properties of tiles
    (the OGC API keeps the order of the table); unset, they come after the placed ones.
    """

    #: Public name: OGC API property, CQL2 queryable, ``sortby`` and ``properties`` value.
    name: str
    #: Django lookup path on ``Resource`` (``values_list``, filters, ordering).
    lookup: str
    #: The same value as SQL over ``r`` (the resource) and ``join`` (an alias of JOINS).
    sql: str
    #: JSON Schema (type, title, format, enum), as the OGC API queryables publish it.
    schema: dict[str, Any]
    join: str = ""
    #: A property of OGC API features (and of their queryables document).
    ogc: bool = True
    #: A name CQL2 filters may use (maps, REST, OGC API, tiles, exports, search).
    queryable: bool = True
    #: OGC API ``sortby`` accepts it.
    sortable: bool = True
    #: French column name in downloads (≤ 10 characters for Shapefile's DBF); "" = not exported.
    export: str = ""
    export_at: int = LAST
    #: Property name in vector tiles; "" = not in tiles. ``tile_type`` as TileJSON names it.
    tile: str = ""
    tile_type: str = "String"
    tile_at: int = LAST
    #: A column of an imported file may fill it (``importers.mapping``); the platform's own
    #: fields (id, group, level, author, record dates) never come from a file.
    importable: bool = False
    #: Set by the platform, never by whoever writes (OGC API Part 5 ``readOnly``; a value
    #: sent to the OGC API's writes is ignored, as QGIS sends every field back).
    read_only: bool = False


def _string(title: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "title": title, **extra}


#: Name of the per-kind attributes: one JSON object in base collections and downloads, flat
#: properties (``observatoire/schemas.py``) in kind collections, ``attributes.<name>`` in CQL2.
ATTRIBUTES = "attributes"

FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        "id",
        "r.id",
        {"type": "integer", "title": "Identifiant"},
        ogc=False,  # the feature's id, not one of its properties
        export="id",
        export_at=0,
        tile="id",
        tile_type="Number",
        tile_at=0,
        read_only=True,
    ),
    Field(
        "title",
        "title",
        "r.title",
        _string("Titre"),
        export="titre",
        export_at=1,
        tile="title",
        tile_at=4,
        importable=True,
    ),
    Field(
        "summary",
        "summary",
        "r.summary",
        _string("Résumé"),
        export="resume",
        export_at=4,
        importable=True,
    ),
    Field(
        "description",
        "description",
        "r.description",
        _string("Description"),
        sortable=False,
        importable=True,
    ),
    Field(
        "base",
        "base",
        "r.base",
        _string("Base", enum=[b.value for b in Base]),
        export="base",
        export_at=2,
        tile="base",
        tile_at=1,
        read_only=True,
    ),
    Field(
        "kind",
        "kind",
        "r.kind",
        _string("Type", enum=[k.value for k in Kind]),
        export="type",
        export_at=3,
        tile="kind",
        tile_at=2,
    ),
    Field(
        "group",
        "group__slug",
        "g.slug",
        _string("Groupe"),
        join="g",
        export="groupe",
        export_at=8,
        tile="group",
        tile_at=3,
    ),
    Field(
        "level",
        "level",
        "r.level",
        _string("Niveau de partage", enum=[v.value for v in Level]),
        export="partage",
        export_at=9,
    ),
    Field(
        "themes",
        "themes",
        "r.themes",
        {"type": "array", "title": "Thèmes", "items": {"type": "string"}},
        sortable=False,
        export="themes",
        export_at=5,
        importable=True,
    ),
    Field(
        "date_start",
        "date_start",
        "r.date_start",
        _string("Date (début)", format="date"),
        export="date_debut",
        export_at=6,
        tile="date",
        tile_at=5,
        importable=True,
    ),
    Field(
        "date_end",
        "date_end",
        "r.date_end",
        _string("Date (fin)", format="date"),
        export="date_fin",
        export_at=7,
        importable=True,
    ),
    Field(
        "created",
        "created_at",
        "r.created_at",
        _string("Créée le", format="date-time"),
        read_only=True,
    ),
    Field(
        "updated",
        "updated_at",
        "r.updated_at",
        _string("Modifiée le", format="date-time"),
        read_only=True,
    ),
    Field("source", "source", "r.source", _string("Source"), read_only=True),
    Field(
        "source_id",
        "source_id",
        "r.source_id",
        _string("Identifiant dans la source"),
        importable=True,
        read_only=True,
    ),
    # Territories, derived by PostgreSQL from the geometry (observatoire.territories); CQL2
    # ``communes IN ('59350')`` (any of), ``A_CONTAINS(communes, ('59350'))`` (all of).
    *(
        Field(
            name,
            name,
            f"r.{name}",
            {"type": "array", "title": title, "items": {"type": "string"}, "readOnly": True},
            sortable=False,
            export=export,
            export_at=at,
            read_only=True,
        )
        for name, title, export, at in (
            ("communes", "Communes (codes INSEE)", "communes", 11),
            ("epcis", "EPCI (SIREN)", "epci", 12),
            ("departements", "Départements", "depts", 13),
            ("regions", "Régions", "regions", 14),
        )
    ),
    Field(
        ATTRIBUTES,
        "attributes",
        "r.attributes",
        {"type": "object", "title": "Attributs"},
        queryable=False,  # CQL2 names them one by one: attributes.<name>
        sortable=False,
        export="attributs",
        export_at=10,
    ),
    # CQL2 only: who wrote it, when it was validated, where it is.
    Field(
        "author",
        "author__username",
        "a.username",
        _string("Auteur"),
        join="a",
        ogc=False,
        read_only=True,
    ),
    Field(
        "validated_at",
        "validated_at",
        "r.validated_at",
        _string("Validée le", format="date-time"),
        ogc=False,
        read_only=True,
    ),
    Field("geometry", "geom", "r.geom", {"type": "object", "title": "Géométrie"}, ogc=False),
    Field("geom", "geom", "r.geom", {"type": "object", "title": "Géométrie"}, ogc=False),
)


def _attribute_field(name: str, schema: dict[str, Any]) -> Field:
    """A per-kind attribute as a flat property of a kind collection."""
    return Field(
        name,
        f"attributes__{name}",
        f"r.attributes -> '{name}'",
        dict(schema),
        export="",
        tile="",
    )


@cache
def fields_of(collection_id: str) -> dict[str, Field]:
    """OGC API properties of a collection, by public name: the table's, where a kind
    collection shows its per-kind attributes flat instead of the ``attributes`` object."""
    collection = COLLECTIONS[collection_id]
    fields = {f.name: f for f in FIELDS if f.ogc and not (collection.kind and f.name == ATTRIBUTES)}
    if collection.kind:
        for name, schema in collection.attribute_schema.items():
            if name not in fields:
                fields[name] = _attribute_field(name, schema)
    return fields


@cache
def queryables(collection_id: str | None = None) -> dict[str, str]:
    """CQL2 name → Django lookup: the table's queryables, plus the flat per-kind attributes
    of a kind collection (``collection_id``; any name, ``attributes.<name>``, also works)."""
    mapping = {f.name: f.lookup for f in FIELDS if f.queryable}
    if collection_id is not None:
        for field in fields_of(collection_id).values():
            if field.name not in mapping and field.schema.get("type") != "object":
                mapping[field.name] = field.lookup
    return mapping


@cache
def array_lookups() -> frozenset[str]:
    """Lookups of the array-valued fields (themes, territories): CQL2 ``IN`` on them means
    « has at least one of these values » (:mod:`observatoire.cql`)."""
    return frozenset(f.lookup for f in FIELDS if f.schema.get("type") == "array")


@cache
def export_fields() -> tuple[Field, ...]:
    """Exported fields, in column order (their ``export`` label names the column)."""
    return tuple(sorted((f for f in FIELDS if f.export), key=lambda f: f.export_at))


@cache
def import_fields() -> dict[str, Field]:
    """Fields a column of an imported file may fill, by public name (the mapping's targets)."""
    return {f.name: f for f in FIELDS if f.importable}


def export_joins() -> str:
    """The joins the SQL of the exported fields needs, after ``FROM <resource> r``."""
    aliases = dict.fromkeys(f.join for f in export_fields() if f.join)
    return " ".join(JOINS[alias] for alias in aliases)


class TileProperty(NamedTuple):
    """A tile property: the column of the compiled sub-select ``src`` holding it (annotated
    from ``lookup`` when it is not a plain column), its SQL over ``src``, its TileJSON type."""

    column: str
    lookup: str
    sql: str
    type: str


@cache
def tile_properties() -> dict[str, TileProperty]:
    """Tile property name → how tiles read it, in tile order."""
    properties = {}
    for f in sorted((f for f in FIELDS if f.tile), key=lambda f: f.tile_at):
        column = f.lookup.replace("__", "_")
        # MVT values are strings, numbers or booleans: dates travel as ISO text
        cast = "::text" if f.schema.get("format") in ("date", "date-time") else ""
        properties[f.tile] = TileProperty(column, f.lookup, f'src."{column}"{cast}', f.tile_type)
    return properties


def cache_clear() -> None:
    """Forget the derived views (after changing :data:`FIELDS`, in tests)."""
    for derived in (
        fields_of,
        queryables,
        export_fields,
        tile_properties,
        import_fields,
        array_lookups,
    ):
        derived.cache_clear()


def _check() -> None:
    names = [f.name for f in FIELDS]
    assert len(names) == len(set(names)), "one public name per field"
    assert all(not f.join or f.join in JOINS for f in FIELDS), "joins come from JOINS"
    exported = [f.export for f in FIELDS if f.export]
    assert len(exported) == len(set(exported)), "one export column per field"
    tiled = [f.tile for f in FIELDS if f.tile]
    assert len(tiled) == len(set(tiled)), "one tile property per field"


_check()
