"""pygeoapi feature provider over ``Resource.objects.visible_to(user)``.

pygeoapi's PostgreSQL provider knows nothing of users; this one starts every query from the
one visibility rule, for the person resolved from the request (``current_user``). Filters
are Django ``Q`` objects compiled by ``observatoire.cql``; geometry is reprojected and serialised
by PostGIS. ``numberMatched`` is exact when cheap (last page, or fewer rows than
``SPASS['OGC_COUNT_CAP']``) and omitted otherwise, never a full ``count(*)``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Polygon
from django.db.models import F, Q, QuerySet
from pygeoapi.provider.base import BaseProvider

from geo.crs import envelope
from observatoire.catalogue import COLLECTIONS, period_q
from observatoire.fields import Field, fields_of
from observatoire.models import Resource

from . import crs as crs_mod
from .pagesql import Compiled, compiled, count_upto, page, person_key, remember

#: The person behind the current request; views set it, the provider reads it.
current_user: ContextVar[Any] = ContextVar("ogc_current_user", default=None)


class ResourceProvider(BaseProvider):
    """Features of one collection of the registry, as seen by ``current_user``."""

    def __init__(self, provider_def: dict[str, Any], user: Any = None) -> None:
        super().__init__(provider_def)
        self.collection = COLLECTIONS[provider_def["data"]]
        self.user = user if user is not None else (current_user.get() or AnonymousUser())
        self.id_field = "id"
        self.title_field = "title"
        self.time_field = "date_start"
        self._fields = self.get_fields()

    def get_fields(self) -> dict[str, dict[str, Any]]:
        return {name: dict(f.schema) for name, f in fields_of(self.collection.id).items()}

    @property
    def field_defs(self) -> dict[str, Field]:
        return fields_of(self.collection.id)

    def base_queryset(self) -> QuerySet:
        """Everything this person may see in this collection: the only starting point.

        The built query is kept per (collection, person) and cloned: building the rule
        costs more than cloning it; the SQL still reads memberships at each execution."""
        query = remember(
            ("base", self.collection.id, person_key(self.user)),
            lambda: Resource.objects.visible_to(self.user).filter(self.collection.q()).query,
        )
        qs = Resource.objects.all()
        qs.query = query.clone()
        return qs

    def query(
        self,
        offset: int = 0,
        limit: int = 100,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        datetime_: tuple[date | None, date | None] | None = None,
        properties: list[tuple[str, str]] | None = None,
        sortby: list[dict[str, str]] | None = None,
        select_properties: list[str] | None = None,
        skip_geometry: bool = False,
        crs_transform_spec: Any = None,
        q: str | None = None,
        language: Any = None,
        filterq: Q | None = None,
        out_crs: crs_mod.Crs = crs_mod.DEFAULT,
        raw: bool = False,
        bbox_crs: crs_mod.Crs = crs_mod.DEFAULT,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """A page of features as a GeoJSON FeatureCollection (dict); with ``raw`` the
        features stay one JSON text (``features_text``), ready to be spliced into the body."""
        columns = self._columns(select_properties)
        order = tuple((s["property"], s["order"]) for s in sortby or [])
        filtered = bool(bbox or datetime_ or properties or filterq is not None)

        @cache
        def build() -> QuerySet:
            qs = self.base_queryset()
            if bbox:
                qs = qs.filter(geom__intersects=_envelope(bbox, bbox_crs))
            if datetime_:
                qs = qs.filter(_datetime_q(*datetime_))
            for name, value in properties or []:
                qs = qs.filter(**{self.field_defs[name].lookup: value})
            if filterq is not None:
                qs = qs.filter(filterq)
            return qs

        # without request-specific filters, the SQL only depends on who asks and the shape
        key = None if filtered else (self.collection.id, person_key(self.user), columns, order)
        if resulttype == "hits":
            total = self._count(key, build)
            return {
                "type": "FeatureCollection",
                "features": [],
                **({"numberMatched": total} if total < _count_cap() else {}),
            }
        inner = compiled(
            key and (*key, "page"),
            lambda: self._ordered(build(), order).values_list(
                "id", "geom", *(lookup for _, lookup in columns)
            ),
        )
        text, returned, total = page(
            inner,
            tuple(name for name, _ in columns),
            out_crs,
            skip_geometry,
            limit=limit,
            offset=offset,
            prepared=key is not None,
            count_upto=_count_cap(),
            counted_rows=key and self._counted_rows(key, build),
        )
        return {
            "type": "FeatureCollection",
            **({"features_text": text} if raw else {"features": json.loads(f"[{text}]")}),
            **self._matched(key, build, offset, returned, limit, total),
            "numberReturned": returned,
        }

    def get(
        self, identifier: Any, out_crs: crs_mod.Crs = crs_mod.DEFAULT, **kwargs: Any
    ) -> dict[str, Any] | None:
        """One feature, or None when it does not exist *for this person* (a 404 either way)."""
        pk = feature_pk(identifier)
        if pk is None:
            return None
        columns = self._columns(None)
        key = (self.collection.id, person_key(self.user), columns, "item")
        inner = compiled(
            key,
            lambda: (
                self.base_queryset()
                .order_by()
                .values_list("id", "geom", *(lookup for _, lookup in columns))
            ),
        )
        text, returned, _ = page(
            inner, tuple(name for name, _ in columns), out_crs, False, pk=pk, prepared=True
        )
        return json.loads(text) if returned else None

    def _columns(self, select: list[str] | None) -> tuple[tuple[str, str], ...]:
        """(property name, model lookup) of the properties to output."""
        return tuple(
            (name, field.lookup)
            for name, field in self.field_defs.items()
            if not select or name in select
        )

    def _ordered(self, qs: QuerySet, order: tuple[tuple[str, str], ...]) -> QuerySet:
        return qs.order_by(
            *(
                F(self.field_defs[name].lookup).desc(nulls_last=True)
                if direction == "-"
                else F(self.field_defs[name].lookup).asc(nulls_last=True)
                for name, direction in order
            ),
            "id",
        )

    def _matched(
        self,
        key: tuple | None,
        build: Callable[[], QuerySet],
        offset: int,
        returned: int,
        limit: int,
        total: int | None = None,
    ) -> dict[str, int]:
        """Exact on a last page or below the cap; omitted (never a full count) above it.
        ``total``: the count up to the cap made with the page, when there was one."""
        if returned < limit and (returned or not offset):
            return {"numberMatched": offset + returned}
        cap = _count_cap()
        if total is None and offset + limit >= cap and returned:
            return {}  # a full page beyond the cap: there are at least cap rows
        if total is None:
            total = self._count(key, build)
        return {"numberMatched": total} if total < cap else {}

    def _counted_rows(self, key: tuple | None, build: Callable[[], QuerySet]) -> Compiled:
        """SQL of the matched rows for counting them: ids only (no join for output columns),
        in id order: read like the page, they stop at the cap, where an unordered count let
        the generic plan build the rule's whole bitmap first (1M rows at 2M)."""
        return compiled(key and (*key[:2], "count"), lambda: build().order_by("id").values("id"))

    def _count(self, key: tuple | None, build: Callable[[], QuerySet]) -> int:
        """Rows matched, counted no further than the cap."""
        return count_upto(self._counted_rows(key, build), _count_cap(), prepared=key is not None)


def feature_pk(identifier: Any) -> int | None:
    """The resource id a feature id names, or None (not a bigint: no such feature)."""
    try:
        pk = int(identifier)
    except (TypeError, ValueError):
        return None
    return pk if -(2**63) <= pk < 2**63 else None


def _count_cap() -> int:
    return settings.SPASS["OGC_COUNT_CAP"]


def _envelope(bbox: list[float], bbox_crs: crs_mod.Crs) -> Polygon:
    """The bbox as a polygon in storage coordinates (lon/lat, EPSG:4326)."""
    return envelope(bbox, bbox_crs.srid, bbox_crs.lat_first)


def _datetime_q(start: date | None, end: date | None) -> Q:
    """Resources whose period meets [start, end] (open ends allowed): the catalogue's
    :func:`~observatoire.catalogue.period_q`, among resources that have a date at all (an
    undated feature never meets a ``datetime``, even ``../..``)."""
    return (Q(date_start__isnull=False) | Q(date_end__isnull=False)) & period_q(start, end)
