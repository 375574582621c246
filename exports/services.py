"""Which resources a download holds: a collection, a CQL2 filter, and the one visibility rule.

Every export starts from ``Resource.objects.visible_to(user)``; the collection and the filter
only narrow it. Columns come from the field table (:func:`observatoire.fields.export_fields`):
French names, ≤ 10 characters for Shapefile's DBF.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON, AsWKB, AsWKT, Transform
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from observatoire.catalogue import COLLECTIONS
from observatoire.cql import FilterError, apply_filter
from observatoire.fields import export_fields, export_joins
from observatoire.models import Resource

#: Page of a resource (the viewer's popups and the exports' ``lien`` column).
RESOURCE_PAGE = "/ressources/{id}/"


def columns() -> list[str]:
    """Exported columns, in order: the export labels of the field table, then ``lien``."""
    return [*(f.export for f in export_fields()), "lien"]


def collection_names() -> list[str]:
    """The collections shared with tiles: each base, and ``<base>-<kind>`` (hyphens)."""
    return list(COLLECTIONS)


def collection_q(name: str) -> Q:
    """The condition of a collection; :class:`FilterError` when it does not exist."""
    collection = COLLECTIONS.get(name)
    if collection is None:
        raise FilterError(
            _("Collection inconnue : « %(name)s ». Collections possibles : %(names)s.")
            % {"name": name, "names": ", ".join(collection_names())}
        )
    return collection.q()


def filtered_resources(user, collection: str, cql: str = "") -> QuerySet:
    """Visible resources of ``collection`` matching the CQL2 text ``cql`` (may be empty)."""
    queryset = Resource.objects.visible_to(user).filter(collection_q(collection))
    return apply_filter(queryset, cql).order_by("id")


def max_file_features() -> int:
    """Largest download written to a file (GPKG, SHP, KML); streamed formats have no cap."""
    return settings.SPASS["EXPORT_MAX_FILE_FEATURES"]


@dataclass
class Row:
    properties: dict
    geometry: str | bytes | None


def rows(
    queryset: QuerySet, base_url: str, geometry: str = "geojson", srid: int = 4326
) -> Iterator[Row]:
    """Rows with French properties; geometry as GeoJSON, WKT or WKB (``srid``), from PostGIS."""
    if geometry == "geojson":
        geom_expr = AsGeoJSON("geom", precision=6)
    elif geometry == "wkt":
        geom_expr = AsWKT("geom")
    else:
        geom_expr = AsWKB(Transform("geom", srid) if srid != 4326 else "geom")
    fields = export_fields()
    values = queryset.annotate(_geometry=geom_expr).values_list(
        *(f.lookup for f in fields), "_geometry"
    )
    names = [f.export for f in fields]
    for record in values.iterator(chunk_size=2000):
        props = dict(zip(names, record[:-1], strict=True))
        props["lien"] = base_url + RESOURCE_PAGE.format(id=props["id"])
        geom = record[-1]
        yield Row(props, bytes(geom) if isinstance(geom, memoryview) else geom)


def flat(properties: dict) -> dict:
    """Properties for tabular formats: lists joined, dates ISO, attributes as JSON text."""
    out = {}
    for key, value in properties.items():
        if isinstance(value, list):
            value = ", ".join(value)
        elif isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False) if value else ""
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        out[key] = value
    return out


def geojson_features(queryset: QuerySet, base_url: str, chunk: int = 2000) -> Iterator[str]:
    """GeoJSON Feature texts written by PostgreSQL (``json_build_object``) around the compiled
    queryset — the visibility rule and filter stay Django's — read through a server-side
    cursor: Python only concatenates, so a large download costs close to the SQL floor."""
    inner, params = queryset.order_by().values("id").query.sql_with_params()
    props = ", ".join(f"'{f.export}', {f.sql}" for f in export_fields())
    sql = (
        "SELECT json_build_object('type', 'Feature', 'id', r.id, "
        "'geometry', ST_AsGeoJSON(r.geom, 6)::json, "
        f"'properties', json_build_object({props}, 'lien', %s || r.id || '/'))::text "
        f"FROM {Resource._meta.db_table} r {export_joins()} "
        f"WHERE r.id IN ({inner}) ORDER BY r.id"
    )
    link_prefix = base_url + RESOURCE_PAGE.split("{id}")[0]
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, (link_prefix, *params))
        while batch := cursor.fetchmany(chunk):
            for (feature,) in batch:
                yield feature
