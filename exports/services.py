"""Which resources a download holds: a collection, a CQL2 filter, and the one visibility rule.

Every export starts from ``Resource.objects.visible_to(user)``; the collection and the filter
only narrow it. Attribute names are French (and ≤ 10 characters, for Shapefile's DBF).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON, AsWKB, AsWKT, Transform
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from layers.cql import FilterError, cql2_to_q
from observatoire.models import Resource
from tiles.collections import COLLECTIONS

#: Page of a resource (the viewer's popups and the exports' ``lien`` column).
RESOURCE_PAGE = "/ressources/{id}/"

#: Exported attribute: French name → Resource field (values_list path).
FIELDS: dict[str, str] = {
    "id": "id",
    "titre": "title",
    "base": "base",
    "type": "kind",
    "resume": "summary",
    "themes": "themes",
    "date_debut": "date_start",
    "date_fin": "date_end",
    "groupe": "group__slug",
    "partage": "level",
    "attributs": "attributes",
}


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
    q = Q(base=collection.base)
    return q & Q(kind=collection.kind) if collection.kind else q


def filtered_resources(user, collection: str, cql: str = "") -> QuerySet:
    """Visible resources of ``collection`` matching the CQL2 text ``cql`` (may be empty)."""
    queryset = Resource.objects.visible_to(user).filter(collection_q(collection))
    if cql.strip():
        queryset = queryset.filter(cql2_to_q(cql))
    return queryset.order_by("id")


def max_file_features() -> int:
    """Largest download written to a file (GPKG, SHP, KML); streamed formats have no cap."""
    return int(settings.SPASS.get("EXPORT_MAX_FILE_FEATURES", 200_000))


@dataclass
class Row:
    properties: dict
    geometry: str | bytes | None


def rows(queryset: QuerySet, base_url: str, geometry: str = "geojson",
         srid: int = 4326) -> Iterator[Row]:
    """Rows with French properties; geometry as GeoJSON, WKT or WKB (``srid``), from PostGIS."""
    if geometry == "geojson":
        geom_expr = AsGeoJSON("geom", precision=6)
    elif geometry == "wkt":
        geom_expr = AsWKT("geom")
    else:
        geom_expr = AsWKB(Transform("geom", srid) if srid != 4326 else "geom")
    values = queryset.annotate(_geometry=geom_expr).values_list(*FIELDS.values(), "_geometry")
    names = list(FIELDS)
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
