"""Row validation of bulk imports with the model's own rules, at bulk speed.

The rules are those of ``Resource``: its fields' validators (lengths, choices, dates),
``geometry_error``, ``attribute_errors`` and ``Resource.clean`` for the base/kind and
place/date consistency. What is avoided is the cost of a model instance per row: the
checks run on the mapped values, and geometry and attribute checks are memoised, since bulk
files repeat the same commune points and vocabulary values thousands of times.
"""

from __future__ import annotations

import math
import struct
import sys
from types import SimpleNamespace
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError
from jsonschema import Draft202012Validator

from geo.validation import LAT_RANGE, LON_RANGE, geometry_error
from observatoire.kinds import BASE_OF_KIND, BASES_WITHOUT_REQUIRED_GEOMETRY
from observatoire.models import Resource
from observatoire.schemas import KIND_SCHEMAS, attribute_errors

#: Scalar fields checked with the model field's own ``clean`` (to_python, blank, validators).
SCALAR_FIELDS = ("base", "kind", "title", "summary", "description", "date_start", "date_end")
#: Of those, the fields whose few distinct values are worth checking once each.
REPEATED_FIELDS = frozenset({"base", "kind", "date_start", "date_end"})
_HASHABLE = (str, int, float, bool, type(None))
#: little-endian EWKB of a 2D point with an SRID, as GEOS writes it
_POINT_EWKB = struct.Struct("<BIidd")


def _in_range(x: float, y: float) -> bool:
    return (
        math.isfinite(x)
        and math.isfinite(y)
        and LON_RANGE[0] <= x <= LON_RANGE[1]
        and LAT_RANGE[0] <= y <= LAT_RANGE[1]
    )


def _independent(schema: dict[str, Any] | None) -> bool:
    """Whether each attribute is constrained alone (no required / cross-property keyword),
    so that checking attributes one by one gives exactly the same messages."""
    return schema is not None and set(schema) <= {"$schema", "type", "properties"}


class RowValidator:
    def __init__(self) -> None:
        self._fields = {name: Resource._meta.get_field(name) for name in SCALAR_FIELDS}
        self._source_id = Resource._meta.get_field("source_id")
        #: (min, max) length of the free text fields, whose ``clean`` only checks that
        self._text_limits = {
            name: (0 if field.blank else 1, field.max_length or sys.maxsize)
            for name, field in self._fields.items()
            if name not in REPEATED_FIELDS and not field.choices
        }
        self._geometries: dict[int, tuple[GEOSGeometry, str | None, str]] = {}
        self._attributes: dict[tuple[str, str, Any], str | None] = {}
        self._clean: dict[tuple[str, Any], tuple[Any, list[str]]] = {}
        self._schema_validators: dict[str, Draft202012Validator] = {}

    def geometry(self, geom: GEOSGeometry) -> tuple[str | None, str]:
        """(error, hex EWKB) of a geometry, computed once per geometry object.

        A plain lon/lat point (most bulk rows) is checked and encoded in Python: the same
        rule as ``geometry_error`` without a dozen GEOS calls per distinct point.
        """
        known = self._geometries.get(id(geom))
        if known is None:
            coords = geom.coords if isinstance(geom, Point) else ()
            if len(coords) == 2 and geom.srid in (None, 4326) and _in_range(*coords):
                known = (geom, None, _POINT_EWKB.pack(1, 0x20000001, 4326, *coords).hex().upper())
            else:
                known = (geom, geometry_error(geom), geom.hexewkb.decode())
            self._geometries[id(geom)] = known  # holds geom, so its id stays unique
        return known[1], known[2]

    def _attribute_problems(self, kind: str, attributes: Any) -> list[tuple[str, str]]:
        schema = KIND_SCHEMAS.get(kind)
        if not isinstance(attributes, dict) or not _independent(schema):
            errors = attribute_errors(kind, attributes)
        else:
            errors = {}
            if kind not in self._schema_validators:
                self._schema_validators[kind] = Draft202012Validator(schema)
            validator = self._schema_validators[kind]
            for name in schema["properties"].keys() & attributes.keys():
                value = attributes[name]
                key = (kind, name, value) if isinstance(value, _HASHABLE) else None
                if key is None or key not in self._attributes:
                    # the prepared validator says whether; the shared rule says why, in French
                    valid = validator.is_valid({name: value})
                    message = None if valid else attribute_errors(kind, {name: value}).get(name)
                    if key is not None:
                        self._attributes[key] = message
                else:
                    message = self._attributes[key]
                if message:
                    errors[name] = message
        return [
            ("attributes", f"« {name} » : {msg}" if name else msg) for name, msg in errors.items()
        ]

    def problems(self, source_id: str, fields: dict[str, Any]) -> list[tuple[str, str]]:
        """French messages keyed by field; converts date strings in ``fields`` in place."""
        problems: list[tuple[str, str]] = []
        try:
            self._source_id.clean(source_id, None)
        except ValidationError as exc:
            problems.extend(("source_id", m) for m in exc.messages)
        for name, field in self._fields.items():
            value = fields.get(name, None if field.null else "")
            if type(value) is str and name in self._text_limits:
                # the whole of a text field's rule for a str: a length within bounds
                low, high = self._text_limits[name]
                if low <= len(value) <= high:
                    continue
            memo = name in REPEATED_FIELDS and isinstance(value, _HASHABLE)
            key = (name, value) if memo else None
            if key is not None and key in self._clean:
                cleaned, messages = self._clean[key]
            else:
                try:
                    cleaned, messages = field.clean(value, None), []
                except ValidationError as exc:
                    cleaned, messages = value, exc.messages
                if key is not None:
                    self._clean[key] = (cleaned, messages)
            fields[name] = cleaned
            problems.extend((name, m) for m in messages)
        if problems:
            return problems
        base, kind, geom = fields["base"], fields["kind"], fields.get("geom")
        start, end = fields.get("date_start"), fields.get("date_end")
        consistent = (
            BASE_OF_KIND.get(kind) == base
            and (geom is not None or base in BASES_WITHOUT_REQUIRED_GEOMETRY)
            and not (start and end and end < start)
        )
        if not consistent:
            try:
                Resource.clean(SimpleNamespace(**{"attributes": {}, "geom": None, **fields}))
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    problems.extend((name, m) for m in messages)
            return problems
        if geom is not None:
            error, _hex = self.geometry(geom)
            if error:
                problems.append(("geom", error))
        problems.extend(self._attribute_problems(kind, fields.get("attributes", {})))
        return problems
