"""Query parameters of ``GET /api/v1/resources/``: parsed strictly, applied after visibility.

Each parameter narrows ``Resource.objects.visible_to(user)``; none can widen it. A wrong value
answers 400 naming the parameter, and so does an unknown parameter (a typo must not silently
return everything). The ``filter`` parameter is CQL2, translated by :mod:`observatoire.cql`,
the same module the maps, OGC API and tiles use.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

from geo.codes import UnknownTerritory
from observatoire.catalogue import period_q
from observatoire.cql import FILTER_LANGUAGES, FilterError, cql2_to_q
from observatoire.heritage import DEFAULT_METRES, MAX_METRES, near_heritage_q
from observatoire.territories import territory_q
from workgroups.auth import FEED_KEY_PARAM
from workgroups.roles import Level

from ..kinds import Base, Kind

#: Public ordering name → model field.
ORDERINGS = {
    "id": "id",
    "title": "title",
    "date_start": "date_start",
    "date_end": "date_end",
    "created": "created_at",
    "updated": "updated_at",
    "kind": "kind",
}
DEFAULT_ORDERING = ("-id",)
#: Parameters handled elsewhere (pagination, DRF's format suffix, feed keys).
OTHER_PARAMS = ("limit", "offset", "format", FEED_KEY_PARAM)
#: Largest radius of ``near`` (metres): a continent is enough.
MAX_NEAR_METRES = 5_000_000
METRES_PER_DEGREE = 111_320.0


class Invalid(Exception):
    """A parameter value that cannot be used; the message is French and shown as is."""


def _choices(value: str, allowed: list[str]) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    wrong = [v for v in items if v not in allowed]
    if not items or wrong:
        raise Invalid(
            _("Valeur inconnue : %(values)s (possibles : %(choices)s).")
            % {"values": ", ".join(wrong) or "''", "choices": ", ".join(allowed)}
        )
    return items


def _floats(value: str, count: int) -> list[float]:
    try:
        numbers = [float(v) for v in value.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) != count or not all(math.isfinite(n) for n in numbers):
        raise Invalid(_("%(count)s nombres séparés par des virgules attendus.") % {"count": count})
    return numbers


def _lon_lat(lon: float, lat: float) -> None:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise Invalid(
            _("Longitude entre -180 et 180 et latitude entre -90 et 90 attendues (EPSG:4326).")
        )


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid(_("Date attendue au format AAAA-MM-JJ.")) from exc


def _bool(value: str) -> bool:
    lowered = value.lower()
    if lowered in ("true", "1", "oui"):
        return True
    if lowered in ("false", "0", "non"):
        return False
    raise Invalid(_("Valeur attendue : true ou false."))


def _bbox(value: str) -> Q:
    minx, miny, maxx, maxy = _floats(value, 4)
    _lon_lat(minx, miny)
    _lon_lat(maxx, maxy)
    if minx > maxx or miny > maxy:
        raise Invalid(_("Emprise attendue : minx,miny,maxx,maxy avec minx ≤ maxx et miny ≤ maxy."))
    box = Polygon.from_bbox((minx, miny, maxx, maxy))
    box.srid = 4326
    return Q(geom__intersects=box)


def _near(value: str) -> Q:
    """Within ``metres`` of a point: a bounding box in degrees (uses the GiST index), then the
    exact spheroid distance."""
    lon, lat, metres = _floats(value, 3)
    _lon_lat(lon, lat)
    if not 0 < metres <= MAX_NEAR_METRES:
        raise Invalid(
            _("Distance en mètres attendue, entre 0 et %(max)s.") % {"max": MAX_NEAR_METRES}
        )
    point = Point(lon, lat, srid=4326)
    dlat = metres / METRES_PER_DEGREE
    dlon = min(180.0, dlat / max(math.cos(math.radians(lat)), 0.01))
    box = Polygon.from_bbox(
        (max(-180, lon - dlon), max(-90, lat - dlat), min(180, lon + dlon), min(90, lat + dlat))
    )
    box.srid = 4326
    return Q(geom__intersects=box, geom__distance_lte=(point, D(m=metres)))


def _near_heritage(value: str) -> Q:
    """Within ``metres`` (default 500) of a Mérimée monument: see :mod:`observatoire.heritage`."""
    try:
        metres = float(value) if value.strip() else DEFAULT_METRES
    except ValueError:
        metres = math.nan
    if not (math.isfinite(metres) and 0 < metres <= MAX_METRES):
        raise Invalid(
            _("Distance en mètres attendue, entre 0 et %(max)s (vide : %(default)s).")
            % {"max": MAX_METRES, "default": DEFAULT_METRES}
        )
    return near_heritage_q(metres)


def _text(value: str) -> Q:
    """Accent- and case-insensitive search in title, summary and description (``unaccent``)."""
    value = value.strip()
    if not value:
        raise Invalid(_("Texte à chercher vide."))
    return (
        Q(title__unaccent__icontains=value)
        | Q(summary__unaccent__icontains=value)
        | Q(description__unaccent__icontains=value)
    )


def _territory(parameter: str) -> Callable[[str], Q]:
    def build(value: str) -> Q:
        try:
            return territory_q(parameter, value)
        except UnknownTerritory as exc:
            raise Invalid(str(exc)) from exc

    return build


def _date_from(value: str) -> Q:
    return period_q(date_from=_date(value))


def _date_to(value: str) -> Q:
    return period_q(date_to=_date(value))


#: Parameter → (builder of a Q, help text for the OpenAPI document).
FILTERS: dict[str, tuple[Callable[[str], Q], str]] = {
    "base": (
        lambda v: Q(base__in=_choices(v, Base.values)),
        "Base : observatoire, mediatheque ou activite (liste séparée par des virgules).",
    ),
    "kind": (
        lambda v: Q(kind__in=_choices(v, Kind.values)),
        "Type(s) de ressource, séparés par des virgules.",
    ),
    "group": (
        lambda v: Q(group__slug__in=[s.strip() for s in v.split(",") if s.strip()]),
        "Identifiant(s) de groupe, séparés par des virgules.",
    ),
    "author": (lambda v: Q(author__username=v), "Identifiant de l'auteur."),
    "level": (
        lambda v: Q(level__in=_choices(v, Level.values)),
        "Niveau(x) de partage, séparés par des virgules.",
    ),
    "validated": (
        lambda v: Q(validated_at__isnull=not _bool(v)),
        "true : ressources validées ; false : en attente ou non diffusées.",
    ),
    "bbox": (_bbox, "Emprise minx,miny,maxx,maxy en longitude/latitude (EPSG:4326)."),
    "date_from": (_date_from, "Ressources dont la période finit à partir de cette date."),
    "date_to": (_date_to, "Ressources dont la période commence au plus tard à cette date."),
    "commune": (
        _territory("commune"),
        "Code(s) INSEE de commune, séparés par des virgules (ressources qui y sont).",
    ),
    "epci": (_territory("epci"), "SIREN d'EPCI (9 chiffres), séparés par des virgules."),
    "departement": (
        _territory("departement"),
        "Code(s) de département (59, 2A, 974…), séparés par des virgules.",
    ),
    "region": (_territory("region"), "Code(s) de région (32, 04…), séparés par des virgules."),
    "q": (_text, "Texte cherché dans le titre, le résumé et la description (sans accents)."),
    "near": (_near, "lon,lat,mètres : ressources à moins de cette distance du point."),
    "near_heritage": (
        _near_heritage,
        "Mètres (vide : 500) : ressources à moins de cette distance d'un monument historique.",
    ),
}


def _ordering(value: str) -> list[str]:
    fields = []
    for name in (v.strip() for v in value.split(",")):
        desc = name.startswith("-")
        field = ORDERINGS.get(name.lstrip("-"))
        if field is None:
            raise Invalid(
                _(
                    "Tri inconnu : « %(name)s » (possibles : %(choices)s, précédés de - pour "
                    "l'ordre décroissant)."
                )
                % {"name": name, "choices": ", ".join(ORDERINGS)}
            )
        fields.append(f"-{field}" if desc else field)
    return [*fields, "-id"]


def filter_resources(queryset: QuerySet, params: Mapping[str, Any]) -> QuerySet:
    """Narrow ``queryset`` (already ``visible_to``) by the query ``params``; raise DRF's
    ``ValidationError`` keyed by every wrong or unknown parameter."""
    known = {*FILTERS, "filter", "filter-lang", "ordering", *OTHER_PARAMS}
    unknown = _("Paramètre inconnu (possibles : %(names)s).") % {"names": ", ".join(sorted(known))}
    errors: dict[str, list[str]] = {name: [unknown] for name in params if name not in known}
    errors.update(
        {name: [_("Caractère nul interdit.")] for name, value in params.items() if "\x00" in value}
    )
    conditions = Q()
    for name, (build, _help) in FILTERS.items():
        if name in params and name not in errors:
            try:
                conditions &= build(params[name])
            except Invalid as exc:
                errors[name] = [str(exc)]
    if "filter" in params and "filter" not in errors:
        try:
            conditions &= cql2_to_q(params["filter"], params.get("filter-lang", "cql2-text"))
        except FilterError as exc:
            errors["filter"] = [exc.message]
    ordering: list[str] = list(DEFAULT_ORDERING)
    if "ordering" in params and "ordering" not in errors:
        try:
            ordering = _ordering(params["ordering"])
        except Invalid as exc:
            errors["ordering"] = [str(exc)]
    if errors:
        raise exceptions.ValidationError(errors)
    return queryset.filter(conditions).order_by(*ordering)


class ResourceFilterBackend(BaseFilterBackend):
    """DRF backend applying :func:`filter_resources` to list requests."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        return filter_resources(queryset, request.query_params)

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        described = {name: help_text for name, (_build, help_text) in FILTERS.items()}
        described["filter"] = "Expression CQL2 (texte par défaut, voir filter-lang)."
        described["filter-lang"] = "Langage du filtre : " + ", ".join(FILTER_LANGUAGES) + "."
        described["ordering"] = (
            "Tri : " + ", ".join(ORDERINGS) + " (préfixe - pour l'ordre décroissant)."
        )
        return [
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": text,
                "schema": {"type": "string"},
            }
            for name, text in described.items()
        ]
