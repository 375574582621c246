"""Query parameters of the OGC API: validated up front, with French messages naming them.

OGC API Features says unknown parameters are a 400; bad values are a 400 naming the parameter.
Nothing here touches the database: the provider receives clean values.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext as _

from geo.codes import UnknownTerritory
from observatoire.cql import FilterError, cql2_to_q
from observatoire.fields import Field, queryables
from observatoire.territories import PARAMETERS as TERRITORY_PARAMS
from observatoire.territories import territory_q

from . import crs as crs_mod

#: Parameters of every endpoint: format, language, feed key (in the order the OpenAPI lists them).
COMMON_PARAMS = ("f", "lang", "key")
#: Parameters of an items request, in the order the OpenAPI document lists them.
ITEMS_PARAMS = (
    *COMMON_PARAMS,
    "limit",
    "offset",
    "bbox",
    "bbox-crs",
    "crs",
    "datetime",
    "properties",
    "sortby",
    "filter",
    "filter-lang",
    "filter-crs",
    "skipGeometry",
    # the territory filter of every channel (observatoire.territories)
    *TERRITORY_PARAMS,
)
COMMON = frozenset(COMMON_PARAMS)
ITEM = COMMON | {"crs"}
ITEMS = frozenset(ITEMS_PARAMS)
QUERYABLES = COMMON | {"profile", "properties"}

SCALAR_TYPES = ("string", "integer", "number")
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000


class ParameterError(ValueError):
    """A 400: ``message`` is French and names the parameter."""

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        self.message = message
        super().__init__(message)


def check_known(params: QueryDict, allowed: frozenset[str] | set[str]) -> None:
    for name in params:
        if name not in allowed:
            raise ParameterError(
                name,
                _("Paramètre inconnu : « %(name)s ». Paramètres possibles : %(names)s.")
                % {"name": name, "names": ", ".join(sorted(allowed))},
            )


@dataclass
class ItemsQuery:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: list[float] | None = None
    bbox_crs: crs_mod.Crs = crs_mod.DEFAULT
    crs: crs_mod.Crs = crs_mod.DEFAULT
    datetime: tuple[date | None, date | None] | None = None
    properties: list[str] | None = None
    sortby: list[dict[str, str]] = field(default_factory=list)
    equals: list[tuple[str, str]] = field(default_factory=list)
    filter_q: Q | None = None
    skip_geometry: bool = False


def parse_crs(params: QueryDict, name: str = "crs") -> crs_mod.Crs:
    value = params.get(name)
    if value is None:
        return crs_mod.DEFAULT
    found = crs_mod.lookup(value)
    if found is None:
        raise ParameterError(
            name,
            _(
                "Paramètre %(name)s : système de coordonnées non proposé « %(value)s » "
                "(possibles : %(crs)s)."
            )
            % {"name": name, "value": value, "crs": ", ".join(crs_mod.SUPPORTED)},
        )
    return found


MAX_OFFSET = 10**12


def _int(
    params: QueryDict, name: str, default: int, minimum: int, maximum: int | None = None
) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum or (maximum is not None and number > maximum):
        raise ParameterError(
            name,
            _(
                "Paramètre %(name)s : un nombre entier d'au moins %(min)s est attendu, "
                "pas « %(value)s »."
            )
            % {"name": name, "min": minimum, "value": value},
        )
    return number


def _bbox(value: str) -> list[float]:
    error = ParameterError(
        "bbox",
        _("Paramètre bbox : quatre nombres attendus (xmin,ymin,xmax,ymax), pas « %(value)s ».")
        % {"value": value},
    )
    try:
        numbers = [float(v) for v in value.split(",")]
    except ValueError:
        raise error from None
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise error
    if numbers[0] > numbers[2] or numbers[1] > numbers[3]:
        raise ParameterError(
            "bbox", _("Paramètre bbox : le coin bas-gauche doit précéder le coin haut-droit.")
        )
    return numbers


_OPEN = ("", "..")


def _instant(text: str) -> date | None:
    if text in _OPEN:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    return datetime.fromisoformat(text.replace("Z", "+00:00")).date()


def _datetime(value: str) -> tuple[date | None, date | None]:
    try:
        if "/" in value:
            start_text, end_text = value.split("/", 1)
            start, end = _instant(start_text), _instant(end_text)
            if start and end and end < start:
                raise ValueError
            if start_text in _OPEN and end_text in _OPEN:
                raise ValueError
            return start, end
        if value in _OPEN:
            raise ValueError
        moment = _instant(value)
        return moment, moment
    except ValueError:
        raise ParameterError(
            "datetime",
            _(
                "Paramètre datetime : date RFC 3339 ou intervalle début/fin attendu "
                "(ex. 2020-01-01/.. ), pas « %(value)s »."
            )
            % {"value": value},
        ) from None


def _names(value: str, param: str, allowed: dict[str, Field], sortable: bool = False) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    for name in names:
        bare = name.lstrip("+-") if sortable else name
        ok = bare in allowed and (not sortable or allowed[bare].sortable)
        if not ok:
            raise ParameterError(
                param,
                _("Paramètre %(param)s : propriété inconnue « %(name)s » (possibles : %(names)s).")
                % {"param": param, "name": bare, "names": ", ".join(allowed)},
            )
    return names


def parse_items(params: QueryDict, collection_id: str, fields: dict[str, Field]) -> ItemsQuery:
    """Validate the parameters of ``/collections/{id}/items``; raise ParameterError."""
    scalar = {n for n, f in fields.items() if f.schema.get("type") in SCALAR_TYPES}
    check_known(params, ITEMS | scalar)
    query = ItemsQuery(
        limit=min(_int(params, "limit", DEFAULT_LIMIT, 1), MAX_LIMIT),
        offset=_int(params, "offset", 0, 0, MAX_OFFSET),
        crs=parse_crs(params, "crs"),
        bbox_crs=parse_crs(params, "bbox-crs"),
    )
    if params.get("bbox") is not None:
        query.bbox = _bbox(params["bbox"])
    elif "bbox-crs" in params:
        raise ParameterError("bbox-crs", _("Paramètre bbox-crs donné sans bbox."))
    if params.get("datetime") is not None:
        query.datetime = _datetime(params["datetime"])
    if params.get("properties") is not None:
        query.properties = _names(params["properties"], "properties", fields)
    if params.get("sortby"):
        query.sortby = [
            {"property": n.lstrip("+-"), "order": "-" if n.startswith("-") else "+"}
            for n in _names(params["sortby"], "sortby", fields, sortable=True)
        ]
    if params.get("skipGeometry") is not None:
        if params["skipGeometry"].lower() not in ("true", "false"):
            raise ParameterError("skipGeometry", _("Paramètre skipGeometry : true ou false."))
        query.skip_geometry = params["skipGeometry"].lower() == "true"
    query.equals = [
        (name, _typed(name, params[name], fields[name])) for name in params if name in scalar
    ]
    query.filter_q = _filter(params, collection_id, fields)
    for name in TERRITORY_PARAMS:
        if params.get(name) is not None:
            if not _of_resources(fields):
                raise ParameterError(
                    name,
                    _("Paramètre %(name)s : cette collection n'a pas de territoires dérivés.")
                    % {"name": name},
                )
            try:
                condition = territory_q(name, params[name])
            except UnknownTerritory as exc:
                raise ParameterError(
                    name, _("Paramètre %(name)s : %(msg)s") % {"name": name, "msg": exc}
                ) from None
            query.filter_q = condition if query.filter_q is None else query.filter_q & condition
    return query


def _typed(name: str, value: str, prop: Field) -> Any:
    """A ``property=value`` parameter converted to the property's type (400 if it can't)."""
    schema = prop.schema
    try:
        if schema["type"] == "integer":
            return int(value)
        if schema["type"] == "number":
            number = float(value)
            if not math.isfinite(number):
                raise ValueError(value)
            return number
        if schema.get("format") == "date":
            return date.fromisoformat(value)
        if schema.get("format") == "date-time":
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ParameterError(
            name,
            _("Paramètre %(name)s : « %(value)s » n'est pas du type attendu (%(type)s).")
            % {"name": name, "value": value, "type": schema.get("format", schema["type"])},
        ) from None
    return value


def _of_resources(fields: dict[str, Field]) -> bool:
    """A collection of resources (its fields have SQL over the resource table), not one an
    app contributed (``ogc.extra``) with fields of its own."""
    return any(f.sql for f in fields.values())


def _filter(params: QueryDict, collection_id: str, fields: dict[str, Field]) -> Q | None:
    lang = params.get("filter-lang", "cql2-text")
    crs_uri = params.get("filter-crs")
    if crs_uri is not None and crs_mod.lookup(crs_uri) is not crs_mod.DEFAULT:
        raise ParameterError(
            "filter-crs", _("Paramètre filter-crs : seul CRS84 est accepté dans les filtres.")
        )
    _check_filter_lang(lang)
    expression: Any = params.get("filter")
    if expression is None:
        return None
    try:
        if _of_resources(fields):
            mapping = queryables(collection_id)
        else:  # a contributed collection: its own fields (ogc.extra)
            mapping = {n: f.lookup for n, f in fields.items() if f.queryable}
        return cql2_to_q(expression, lang, mapping)
    except FilterError as exc:
        raise ParameterError(
            "filter", _("Paramètre filter : %(msg)s") % {"msg": exc.message}
        ) from exc


def _check_filter_lang(lang: str) -> None:
    if lang not in ("cql2-text", "cql2-json"):
        raise ParameterError(
            "filter-lang",
            _("Paramètre filter-lang : « %(lang)s » inconnu (cql2-text ou cql2-json).")
            % {"lang": lang},
        )
