"""pygeoapi provider of the ``acteurs-experiences`` collection over
``Experience.objects.visible_to(user)``: the profiles' one rule, for the person the OGC views
resolved (``user``). Experiences are few (tens of thousands at most), so pages are read with
the ORM and serialised by PostGIS (``ST_AsGeoJSON``), in the output CRS asked for."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import F, Max, Min, Q, QuerySet
from pygeoapi.provider.base import BaseProvider

from geo.crs import envelope
from observatoire.fields import Field

from .models import Experience

#: Rows counted at most for ``numberMatched`` (above: omitted, as the other collections do).
COUNT_CAP = 10_000


def _f(name: str, lookup: str, schema: dict[str, Any], sortable: bool = True) -> Field:
    return Field(name, lookup, "", schema, sortable=sortable)


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        _f("title", "title", {"type": "string", "title": "Titre"}),
        _f("client", "client", {"type": "string", "title": "Client"}),
        _f("year_start", "year_start", {"type": "integer", "title": "Année (début)"}),
        _f("year_end", "year_end", {"type": "integer", "title": "Année (fin)"}),
        _f("place_name", "place_name", {"type": "string", "title": "Lieu"}),
        _f("commune_insee", "commune_insee", {"type": "string", "title": "Commune (INSEE)"}),
        _f("profile", "profile__slug", {"type": "string", "title": "Profil (identifiant)"}),
        _f("profile_name", "profile__name", {"type": "string", "title": "Acteur"}),
        _f("profile_kind", "profile__kind", {"type": "string", "title": "Type d'acteur"}),
    )
}


class ExperienceProvider(BaseProvider):
    """Experiences that have a place, as ``user`` may see them."""

    def __init__(self, provider_def: dict[str, Any], user: Any = None) -> None:
        super().__init__(provider_def)
        self.user = user if user is not None else AnonymousUser()
        self.id_field = "id"
        self.title_field = "title"
        self._fields = self.get_fields()

    @property
    def field_defs(self) -> dict[str, Field]:
        return FIELDS

    def get_fields(self) -> dict[str, dict[str, Any]]:
        return {name: dict(f.schema) for name, f in FIELDS.items()}

    def base_queryset(self) -> QuerySet:
        return Experience.objects.visible_to(self.user).filter(place__isnull=False)

    def extent(self) -> tuple[list[float] | None, str | None, str | None]:
        """Bounding box and years of what ``user`` sees (never of a hidden experience)."""
        row = self.base_queryset().aggregate(
            box=Extent("place"), begin=Min("year_start"), end=Max("year_end")
        )
        box = [float(v) for v in row["box"]] if row["box"] else None
        begin = f"{row['begin']}-01-01T00:00:00Z" if row["begin"] else None
        end = f"{row['end']}-12-31T00:00:00Z" if row["end"] else None
        return box, begin, end

    def _features(self, qs: QuerySet, out_crs: Any, skip_geometry: bool, names: list[str]):
        geom = Transform("place", out_crs.srid) if out_crs.srid != 4326 else F("place")
        qs = qs.annotate(_geojson=AsGeoJSON(geom, precision=out_crs.precision))
        rows = qs.values("id", "_geojson", *(FIELDS[n].lookup for n in names))
        features = []
        for row in rows:
            geometry = None if skip_geometry else json.loads(row["_geojson"])
            if geometry is not None and out_crs.lat_first:
                geometry["coordinates"] = geometry["coordinates"][::-1]
            features.append(
                {
                    "type": "Feature",
                    "id": row["id"],
                    "geometry": geometry,
                    "properties": {n: row[FIELDS[n].lookup] for n in names},
                }
            )
        return features

    def query(
        self,
        offset: int = 0,
        limit: int = 100,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        datetime_: tuple[date | None, date | None] | None = None,
        properties: list[tuple[str, Any]] | None = None,
        sortby: list[dict[str, str]] | None = None,
        select_properties: list[str] | None = None,
        skip_geometry: bool = False,
        filterq: Q | None = None,
        out_crs: Any = None,
        raw: bool = False,
        bbox_crs: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """A page of features (GeoJSON FeatureCollection as a dict); with ``raw`` the
        features are one JSON text (``features_text``), as the OGC views splice them."""
        out_crs = out_crs or _CRS84
        qs = self.base_queryset()
        if bbox:
            qs = qs.filter(
                place__intersects=envelope(
                    bbox, (bbox_crs or _CRS84).srid, (bbox_crs or _CRS84).lat_first
                )
            )
        if datetime_:
            start, end = datetime_
            if end is not None:
                qs = qs.filter(year_start__lte=end.year)
            if start is not None:
                qs = qs.filter(
                    Q(year_end__gte=start.year)
                    | Q(year_end__isnull=True, year_start__gte=start.year)
                )
            qs = qs.filter(Q(year_start__isnull=False) | Q(year_end__isnull=False))
        for name, value in properties or []:
            qs = qs.filter(**{FIELDS[name].lookup: value})
        if filterq is not None:
            qs = qs.filter(filterq)
        order = [
            F(FIELDS[s["property"]].lookup).desc(nulls_last=True)
            if s["order"] == "-"
            else F(FIELDS[s["property"]].lookup).asc(nulls_last=True)
            for s in sortby or []
        ]
        qs = qs.order_by(*order, "id")
        matched = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
        names = [n for n in FIELDS if not select_properties or n in select_properties]
        if resulttype == "hits":
            features: list[dict[str, Any]] = []
        else:
            features = self._features(qs[offset : offset + limit], out_crs, skip_geometry, names)
        body: dict[str, Any] = {"type": "FeatureCollection"}
        if raw:
            body["features_text"] = ", ".join(json.dumps(f, ensure_ascii=False) for f in features)
        else:
            body["features"] = features
        if matched <= COUNT_CAP:
            body["numberMatched"] = matched
        body["numberReturned"] = len(features)
        return body

    def get(self, identifier: Any, out_crs: Any = None, **kwargs: Any) -> dict[str, Any] | None:
        """One feature, or None when it does not exist *for this person* (a 404 either way)."""
        try:
            pk = int(identifier)
        except (TypeError, ValueError):
            return None
        if not -(2**63) <= pk < 2**63:
            return None
        found = self._features(
            self.base_queryset().filter(pk=pk), out_crs or _CRS84, False, list(FIELDS)
        )
        return found[0] if found else None


class _Crs84:
    srid = 4326
    lat_first = False
    precision = 7


_CRS84 = _Crs84()
