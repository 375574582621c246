"""Query parameters of tiles and TileJSON: the same filters as the map and the list.

Parsing here is cheap and syntactic (it yields the cache key); the CQL2 filter is only
translated when a tile is rendered, so a cached tile is served without parsing it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext as _

from geo.codes import UnknownTerritory
from observatoire.catalogue import Collection, period_q
from observatoire.cql import FilterError, cql2_to_q
from observatoire.fields import tile_properties
from observatoire.territories import PARAMETERS as TERRITORY_PARAMS
from observatoire.territories import territory_q

from .conf import tiles_setting
from .errors import TileError

CLUSTER_FIELDS = {"count": "Number", "kind": "String"}
DATE_PARAMS = ("date_from", "date_to")
FILTER_PARAMS = (
    "filter",
    "filter-lang",
    "base",
    "kind",
    "group",
    *DATE_PARAMS,
    *TERRITORY_PARAMS,
)


def _territory(name: str, value: str) -> Q:
    try:
        return territory_q(name, value)
    except UnknownTerritory as exc:
        raise TileError(
            _("Paramètre « %(name)s » : %(message)s") % {"name": name, "message": exc}
        ) from exc


def _date(name: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise TileError(
            _("Paramètre « %(name)s » : date attendue au format AAAA-MM-JJ, reçu « %(value)s ».")
            % {"name": name, "value": value}
        ) from exc


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def tile_index(z: str, x: str, y: str) -> tuple[int, int, int]:
    """Integers on the XYZ grid: 400 when not integers, 404 outside the grid."""
    values = {}
    for name, raw in (("z", z), ("x", x), ("y", y)):
        if not raw.isdigit():
            raise TileError(
                _("« %(name)s » doit être un entier positif ou nul, reçu « %(value)s ».")
                % {"name": name, "value": raw}
            )
        values[name] = int(raw)
    maxzoom = int(tiles_setting("TILES_MAXZOOM"))
    if values["z"] > maxzoom:
        raise TileError(
            _("Niveau de zoom « z » hors limites : %(z)s (0 à %(max)s).")
            % {"z": values["z"], "max": maxzoom},
            status=404,
            code="NotFound",
        )
    last = (1 << values["z"]) - 1
    for name in ("x", "y"):
        if values[name] > last:
            raise TileError(
                _("« %(name)s » hors de la grille au zoom %(z)s : %(value)s (0 à %(last)s).")
                % {"name": name, "z": values["z"], "value": values[name], "last": last},
                status=404,
                code="NotFound",
            )
    return values["z"], values["x"], values["y"]


@dataclass(frozen=True)
class TileParams:
    """The filters and property list of a request, normalised."""

    filters: tuple[tuple[str, str], ...]
    properties: tuple[str, ...]

    @classmethod
    def from_query(cls, query: QueryDict) -> TileParams:
        filters = tuple(
            (name, query[name].strip()) for name in FILTER_PARAMS if query.get(name, "").strip()
        )
        known = tile_properties()
        properties = tuple(known)
        if "properties" in query:
            properties = tuple(_list(query["properties"]))
            unknown = [name for name in properties if name not in known]
            if unknown:
                raise TileError(
                    _(
                        "Paramètre « properties » : propriété inconnue « %(name)s » "
                        "(possibles : %(names)s)."
                    )
                    % {"name": unknown[0], "names": ", ".join(known)}
                )
        for name, value in filters:
            if name in DATE_PARAMS:
                _date(name, value)
            if name in TERRITORY_PARAMS:
                _territory(name, value)
        return cls(filters, properties)

    @property
    def key(self) -> str:
        """Name of the cache variant: one per distinct filter set and property list."""
        text = repr((self.filters, self.properties))
        return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]

    def q(self, collection: Collection) -> Q:
        """The filters as a ``Q``, to combine with ``visible_to(user)``; FilterError → 400."""
        q = collection.q()
        values = dict(self.filters)
        if "base" in values:
            q &= Q(base__in=_list(values["base"]))
        if "kind" in values:
            q &= Q(kind__in=_list(values["kind"]))
        if "group" in values:
            q &= Q(group__slug__in=_list(values["group"]))
        if "date_from" in values or "date_to" in values:
            # the catalogue's one date semantics: the resource's period overlaps these dates
            start, end = (_date(n, values[n]) if n in values else None for n in DATE_PARAMS)
            q &= period_q(start, end)
        for name in TERRITORY_PARAMS:
            if name in values:
                q &= _territory(name, values[name])
        if "filter" in values:
            try:
                q &= cql2_to_q(values["filter"], values.get("filter-lang", "cql2-text"))
            except FilterError as exc:
                raise TileError(
                    _("Paramètre « filter » : %(message)s") % {"message": exc.message}
                ) from exc
        return q

    def query_string(self, feed_key: str = "") -> str:
        """The filters, properties (and the feed key that fetched the TileJSON, for clients
        that cannot send headers), to carry into the TileJSON tiles URL."""
        query = QueryDict(mutable=True)
        for name, value in self.filters:
            query[name] = value
        if self.properties != tuple(tile_properties()):
            query["properties"] = ",".join(self.properties)
        if feed_key:
            query["key"] = feed_key
        return query.urlencode()
