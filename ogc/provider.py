"""pygeoapi feature provider over ``Resource.objects.visible_to(user)``.

pygeoapi's PostgreSQL provider knows nothing of users; this one starts every query from the
one visibility rule, for the person resolved from the request (``current_user``). Filters
are Django ``Q`` objects compiled by ``layers.cql``; geometry is reprojected and serialised
by PostGIS. ``numberMatched`` is exact when cheap (last page, or fewer rows than
``SPASS['OGC_COUNT_CAP']``) and omitted otherwise, never a full ``count(*)``.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.contrib.gis.geos import Polygon
from django.db.models import F, Func, JSONField, Q, QuerySet, TextField, Value
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast
from pygeoapi.provider.base import BaseProvider

from observatoire.models import Resource

from . import crs as crs_mod
from .collections import COLLECTIONS
from .fields import Field, fields_of

#: The person behind the current request; views set it, the provider reads it.
current_user: ContextVar[Any] = ContextVar("ogc_current_user", default=None)

DEFAULT_COUNT_CAP = 1_000


class FlipCoordinates(Func):
    function = "ST_FlipCoordinates"
    output_field = GeometryField()


class JsonbObject(Func):
    """``jsonb_build_object('name', value, …)`` from a dict of expressions."""

    function = "jsonb_build_object"
    output_field = JSONField()

    def __init__(self, pairs: dict[str, Any]) -> None:
        args: list[Any] = []
        for key, value in pairs.items():
            args += [Cast(Value(key), TextField()), value]
        super().__init__(*args)


class AsJsonb(Func):
    template = "(%(expressions)s)::jsonb"
    output_field = JSONField()


class AsText(Func):
    template = "(%(expressions)s)::text"
    output_field = TextField()


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
        """Everything this person may see in this collection: the only starting point."""
        return Resource.objects.visible_to(self.user).filter(self.collection.q())

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
        """A page of features as a GeoJSON FeatureCollection (dict); with ``raw`` its
        features stay JSON text, ready to be joined into the response."""
        qs = self.base_queryset()
        if bbox:
            qs = qs.filter(geom__intersects=_envelope(bbox, bbox_crs))
        if datetime_:
            qs = qs.filter(_datetime_q(*datetime_))
        for name, value in properties or []:
            qs = qs.filter(**{self.field_defs[name].lookup: value})
        if filterq is not None:
            qs = qs.filter(filterq)
        order = [
            F(self.field_defs[s["property"]].lookup).desc(nulls_last=True)
            if s["order"] == "-"
            else F(self.field_defs[s["property"]].lookup).asc(nulls_last=True)
            for s in sortby or []
        ]
        qs = qs.order_by(*order, "id")
        if resulttype == "hits":
            return {"type": "FeatureCollection", "features": [],
                    **self._matched(qs, 0, 0, limit)}
        rows = list(self._rows(qs, out_crs, skip_geometry, select_properties)
                    [offset:offset + limit])
        features = rows if raw else [json.loads(row) for row in rows]
        return {
            "type": "FeatureCollection",
            "features": features,
            **self._matched(qs, offset, len(features), limit),
            "numberReturned": len(features),
        }

    def get(self, identifier: Any, out_crs: crs_mod.Crs = crs_mod.DEFAULT,
            **kwargs: Any) -> dict[str, Any] | None:
        """One feature, or None when it does not exist *for this person* (a 404 either way)."""
        try:
            pk = int(identifier)
        except (TypeError, ValueError):
            return None
        row = self._rows(self.base_queryset().filter(pk=pk), out_crs, False).first()
        return None if row is None else json.loads(row)

    def _rows(self, qs: QuerySet, out_crs: crs_mod.Crs, skip_geometry: bool,
              select: list[str] | None = None) -> QuerySet:
        """Each row is one GeoJSON feature as JSON text, built by PostgreSQL/PostGIS."""
        props: dict[str, Any] = {}
        for name, field in self.field_defs.items():
            if select and name not in select:
                continue
            if field.lookup.startswith("attributes__"):
                props[name] = KeyTransform(name, "attributes")
            else:
                props[name] = F(field.lookup)
        geometry: Any = Value(None, output_field=JSONField())
        if not skip_geometry:
            geom: Any = F("geom")
            if out_crs.srid != 4326:
                geom = Transform("geom", out_crs.srid)
            if out_crs.lat_first:
                geom = FlipCoordinates(geom)
            geometry = AsJsonb(AsGeoJSON(geom, precision=out_crs.precision))
        feature = JsonbObject({"type": Cast(Value("Feature"), TextField()), "id": F("id"),
                               "geometry": geometry, "properties": JsonbObject(props)})
        return qs.annotate(_feature=AsText(feature)).values_list("_feature", flat=True)

    def _matched(self, qs: QuerySet, offset: int, returned: int, limit: int) -> dict[str, int]:
        if returned and returned < limit:
            return {"numberMatched": offset + returned}
        cap = int(settings.SPASS.get("OGC_COUNT_CAP", DEFAULT_COUNT_CAP))
        count = qs.order_by().values("id")[:cap].count()
        return {"numberMatched": count} if count < cap else {}


def _envelope(bbox: list[float], bbox_crs: crs_mod.Crs) -> Polygon:
    """The bbox as a polygon in storage coordinates (lon/lat, EPSG:4326)."""
    xmin, ymin, xmax, ymax = bbox
    if bbox_crs.lat_first:
        xmin, ymin, xmax, ymax = ymin, xmin, ymax, xmax
    box = Polygon.from_bbox((xmin, ymin, xmax, ymax))
    box.srid = bbox_crs.srid
    if bbox_crs.srid != 4326:
        box.transform(4326)
    return box


def _datetime_q(start: date | None, end: date | None) -> Q:
    """Resources whose [date_start, date_end] interval meets [start, end] (open ends allowed)."""
    q = Q(date_start__isnull=False)
    if end is not None:
        q &= Q(date_start__lte=end)
    if start is not None:
        q &= Q(date_end__gte=start) | Q(date_end__isnull=True, date_start__gte=start)
    return q
