"""OGC API Features Part 4 (create, replace, update, delete) over the services of
``observatoire``: the translation between a GeoJSON feature of a collection and the
keyword arguments of :func:`~observatoire.services.create_resource`,
:func:`~observatoire.services.update_resource` and
:func:`~observatoire.services.delete_resource`, which alone decide rights and validity (one
rule, one validation, French messages keyed by field). Nothing here writes a row.

- Who may do what is read from the one rule: ``Resource.objects.visible_to(user)`` (a
  feature the person may not see does not exist for them: 404, as a GET), ``editable_by``
  (``PUT``/``PATCH``/``DELETE``) and the capability to create in a group (``POST``). The
  ``Allow`` header says the same (:func:`items_allow`, :func:`item_allow`).
- A feature's version is its ``updated`` instant: :func:`etag` is the ``ETag`` of its GET and
  what ``If-Match`` is compared with (412 when it changed since).
- Coordinates come in the CRS named by ``Content-Crs`` (CRS84 without it), are checked
  against that CRS's area of use (coordinates in Lambert-93 sent without ``Content-Crs`` are
  refused, never stored off the map) and stored in EPSG:4326.
- Read-only properties (:mod:`ogc.schema`: id, base, record dates, provenance) are ignored
  when sent: QGIS sends every field of the layer back.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from geo.crs import area_name, crs_name, outside_area
from observatoire.catalogue import Collection
from observatoire.fields import ATTRIBUTES, fields_of
from observatoire.kinds import BASE_OF_KIND
from observatoire.models import Resource
from observatoire.schemas import schema_errors
from workgroups.edge import Person
from workgroups.errors import NotAllowed
from workgroups.models import Group
from workgroups.roles import Capability
from workgroups.visibility import groups_where

from . import crs as crs_mod
from .provider import feature_pk
from .schema import writable_schema

READ = ("GET", "HEAD", "OPTIONS")
WRITE_ITEM = ("PUT", "PATCH", "DELETE")
#: Media types of a feature sent to POST and PUT; PATCH takes a JSON merge patch too.
FEATURE_TYPES = ("application/geo+json", "application/json")
PATCH_TYPES = ("application/merge-patch+json", *FEATURE_TYPES)
#: Part 4 conformance classes served (ETags for optimistic locking).
CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-etags",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
)
#: Properties that are not fields of the resource but of its place in the platform.
GROUP, LEVEL, KIND = "group", "level", "kind"
#: Model field names shown under their OGC API name in messages.
_OGC_NAMES = {"geom": "geometry", "__all__": "feature"}


class Refused(Exception):
    """A write answered ``status`` with a French ``message`` (the view adds ``Allow``)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --- who may do what ---------------------------------------------------------------------


def may_create(who: Person) -> bool:
    """The person may create somewhere: a contributeur (or more) of a group, not by key."""
    user = who.user
    if who.read_only or not user.is_authenticated or not user.is_active:
        return False
    return groups_where(user, Capability.CREATE).exists()


def items_allow(who: Person) -> tuple[str, ...]:
    """Methods of ``/collections/{id}/items`` for this person."""
    return (*READ, "POST") if may_create(who) else READ


def item_allow(who: Person, resource: Resource | None) -> tuple[str, ...]:
    """Methods of ``/items/{featureId}`` for this person. On an id they cannot see
    (``resource`` None: missing or hidden, answered alike), what they may do on the features
    they create: QGIS asks that on an empty layer to know whether it may edit."""
    if who.read_only or not who.user.is_authenticated:
        return READ
    if resource is None:
        return (*READ, *WRITE_ITEM) if may_create(who) else READ
    editable = Resource.objects.editable_by(who.user).filter(pk=resource.pk).exists()
    return (*READ, *WRITE_ITEM) if editable else READ


def visible_feature(
    user: Any, collection: Collection, feature_id: str, lock: bool = False
) -> Resource | None:
    """The feature of this collection the person may see, or None (missing or hidden)."""
    pk = feature_pk(feature_id)
    if pk is None:
        return None
    qs = Resource.objects.visible_to(user).filter(collection.q(), pk=pk)
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.select_related("group").first()


# --- versions ----------------------------------------------------------------------------


def etag(pk: int, updated: datetime) -> str:
    """The strong ETag of a feature's version (its id and last change)."""
    micros = int(updated.astimezone(UTC).timestamp() * 1_000_000)
    digest = hashlib.blake2b(f"{pk}:{micros}".encode(), digest_size=8).hexdigest()
    return f'"{digest}"'


def etag_of_feature(feature: dict[str, Any]) -> str | None:
    """The ETag of a feature document of ``ogc.features`` (from its ``updated``)."""
    updated = feature.get("properties", {}).get("updated")
    if not isinstance(updated, str):
        return None
    try:
        return etag(int(feature["id"]), datetime.fromisoformat(updated))
    except (KeyError, TypeError, ValueError):
        return None


def check_if_match(request: HttpRequest, resource: Resource) -> None:
    """412 when ``If-Match`` names another version than the stored one."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return
    current = etag(resource.pk, resource.updated_at)
    tags = [t.strip() for t in header.split(",")]
    if current not in tags:
        raise Refused(
            412,
            _(
                "En-tête If-Match : l'objet « %(id)s » a été modifié depuis votre lecture "
                "(version actuelle %(etag)s). Relisez-le, puis refaites votre modification."
            )
            % {"id": resource.pk, "etag": current},
        )


# --- the body ----------------------------------------------------------------------------


def _no_constant(name: str) -> None:
    raise ValueError(_("nombre non fini (%(name)s)") % {"name": name})


def read_body(request: HttpRequest, accepted: tuple[str, ...]) -> dict[str, Any]:
    """The JSON object sent, or 415 / 413 / 400."""
    if request.content_type not in accepted:
        raise Refused(
            415,
            _("En-tête Content-Type : « %(type)s » non accepté ici (possibles : %(all)s).")
            % {"type": request.content_type or "—", "all": ", ".join(accepted)},
        )
    try:
        body = request.body
    except RequestDataTooBig:
        raise Refused(
            413,
            _("Le corps de la requête dépasse la taille maximale (%(limit)s octets).")
            % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        ) from None
    try:
        document = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise Refused(400, _("Corps JSON illisible : %(e)s.") % {"e": exc}) from None
    if not isinstance(document, dict):
        raise Refused(400, _("Corps : un objet JSON (GeoJSON Feature) est attendu."))
    try:  # « \ud800 » is valid JSON but no text PostgreSQL can store
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise Refused(
            400, _("Corps JSON : caractère invalide (demi-paire de substitution UTF-16 isolée).")
        ) from None
    properties = document.get("properties", {})
    if properties is not None and not isinstance(properties, dict):
        raise Refused(400, _("Propriété « properties » : un objet JSON est attendu."))
    return document


def read_feature(document: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature (POST, PUT): ``type`` and ``geometry`` are required."""
    if document.get("type") != "Feature":
        raise Refused(400, _("Corps : un GeoJSON Feature (« type »: « Feature ») est attendu."))
    if "geometry" not in document:
        raise Refused(400, _("Propriété « geometry » absente (null pour un objet sans lieu)."))
    return document


def content_crs(request: HttpRequest) -> crs_mod.Crs:
    """The CRS named by ``Content-Crs`` (CRS84 without it)."""
    raw = request.headers.get("Content-Crs")
    if raw is None:
        return crs_mod.DEFAULT
    found = crs_mod.lookup(raw.strip().strip("<>"))
    if found is None:
        raise Refused(
            400,
            _(
                "En-tête Content-Crs : système de coordonnées non proposé « %(value)s » "
                "(possibles : %(crs)s)."
            )
            % {"value": raw, "crs": ", ".join(crs_mod.SUPPORTED)},
        )
    return found


def _swapped(coordinates: Any) -> Any:
    """Coordinates with x and y exchanged (EPSG:4326 sent in its latitude, longitude order)."""
    if isinstance(coordinates, list) and coordinates and not isinstance(coordinates[0], list):
        return (
            [coordinates[1], coordinates[0], *coordinates[2:]]
            if len(coordinates) > 1
            else coordinates
        )
    if isinstance(coordinates, list):
        return [_swapped(c) for c in coordinates]
    return coordinates


def _flipped(geometry: dict[str, Any]) -> dict[str, Any]:
    flipped = dict(geometry)
    if "coordinates" in geometry:
        flipped["coordinates"] = _swapped(geometry["coordinates"])
    if isinstance(geometry.get("geometries"), list):
        flipped["geometries"] = [
            _flipped(g) if isinstance(g, dict) else g for g in geometry["geometries"]
        ]
    return flipped


def read_geometry(value: Any, crs: crs_mod.Crs) -> GEOSGeometry | None:
    """The GeoJSON geometry sent, in EPSG:4326 (lon/lat); 400 when unreadable or outside
    the area of the CRS it is declared in."""
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise Refused(400, _("Propriété « geometry » : objet géométrie GeoJSON attendu."))
    if crs.lat_first:
        value = _flipped(value)
    try:
        geom = GEOSGeometry(json.dumps(value))
    except (GEOSException, GDALException, ValueError, TypeError):
        raise Refused(400, _("Propriété « geometry » : géométrie GeoJSON illisible.")) from None
    geom.srid = crs.srid
    if geom.empty:
        return geom  # the model names it (« La géométrie est vide. »)
    extent = geom.extent
    if not all(math.isfinite(v) for v in extent) or outside_area(extent, crs.srid):
        raise Refused(400, _outside_message(extent, crs))
    if crs.srid != 4326:
        geom.transform(4326)
    return geom


def _outside_message(extent: tuple[float, ...], crs: crs_mod.Crs) -> str:
    message = _(
        "Propriété « geometry » : coordonnées (%(x).6g, %(y).6g) hors de la zone de %(crs)s "
        "(%(area)s)."
    ) % {"x": extent[0], "y": extent[1], "crs": crs_name(crs.srid), "area": area_name(crs.srid)}
    if crs is crs_mod.DEFAULT:
        message += " " + _(
            "Sans en-tête Content-Crs, les coordonnées sont lues en CRS84 (longitude, "
            "latitude) : pour des coordonnées projetées (Lambert-93…), nommez leur système "
            "dans l'en-tête Content-Crs (ex. <http://www.opengis.net/def/crs/EPSG/0/2154>)."
        )
    return message


# --- properties → the services' arguments ------------------------------------------------


@dataclass
class Changes:
    """What a body asks: the services' fields, and the group and level it names."""

    fields: dict[str, Any] = field(default_factory=dict)
    group: str | None = None
    level: str | None = None


def _known(collection: Collection, properties: dict[str, Any]) -> None:
    names = fields_of(collection.id)
    unknown = sorted(set(properties) - set(names) - {"id"})
    if unknown:
        raise ValidationError(
            {
                name: _("Propriété inconnue de la collection (possibles : %(names)s).")
                % {"names": ", ".join(n for n, f in names.items() if not f.read_only)}
                for name in unknown
            }
        )


def _typed(collection: Collection, properties: dict[str, Any]) -> None:
    """Every value given (null aside) has the type of its property in the schema."""
    given = {k: v for k, v in properties.items() if v is not None}
    errors = schema_errors(writable_schema(collection.id), given)
    errors = {name: message for name, message in errors.items() if name in given}
    if errors:
        raise ValidationError(errors)


def _date(name: str, value: Any) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {name: _("Date AAAA-MM-JJ attendue, pas « %(value)s ».") % {"value": value}}
        ) from None


def _kind(collection: Collection, value: Any, required: bool) -> str | None:
    """The kind named (or implied by a kind collection), checked against the collection."""
    if value is None:
        if collection.kind or not required:
            return collection.kind
        raise ValidationError(
            {
                KIND: _("Obligatoire dans cette collection (possibles : %(kinds)s).")
                % {"kinds": ", ".join(collection.kinds)}
            }
        )
    if value not in collection.kinds:
        raise ValidationError(
            {
                KIND: _(
                    "Le type « %(kind)s » n'appartient pas à la collection « %(collection)s » "
                    "(possibles : %(kinds)s)."
                )
                % {"kind": value, "collection": collection.id, "kinds": ", ".join(collection.kinds)}
            }
        )
    return value


def _merged(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """RFC 7386 JSON merge patch of ``current`` by ``patch`` (null removes a member)."""
    result = dict(current)
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        elif isinstance(value, dict) and isinstance(result.get(name), dict):
            result[name] = _merged(result[name], value)
        else:
            result[name] = value
    return result


_TEXTS = ("title", "summary", "description")


def changes_of(
    collection: Collection,
    properties: dict[str, Any],
    *,
    partial: bool,
    current: Resource | None = None,
) -> Changes:
    """The services' fields of a feature's ``properties``.

    ``partial`` (PATCH, a JSON merge patch): only the properties given change, null
    clears one. Otherwise (POST, PUT) the properties replace the feature's content: one
    left out is emptied — but ``group`` and ``level``, its place in the platform, only
    change when given. In a kind collection the kind's attributes are flat properties;
    attributes outside the kind's schema (kept by imports) are never touched."""
    _known(collection, properties)
    _typed(collection, properties)
    fields = fields_of(collection.id)
    writable = [n for n, f in fields.items() if not f.read_only and n not in (GROUP, LEVEL)]
    if partial:
        given = {n: properties[n] for n in writable if n in properties}
    else:
        given = {n: properties.get(n) for n in writable}
    changes = Changes(group=properties.get(GROUP), level=properties.get(LEVEL))
    out = changes.fields
    if KIND in given or current is None:
        kind = _kind(collection, given.get(KIND), required=current is None)
        out["kind"] = kind if kind is not None else current.kind
        out["base"] = BASE_OF_KIND[out["kind"]]
    for name in _TEXTS:
        if name in given:
            out[name] = given[name] if given[name] is not None else ""
    if "themes" in given:
        out["themes"] = given["themes"] or []
    for name in ("date_start", "date_end"):
        if name in given:
            out[name] = _date(name, given[name])
    attributes = dict(current.attributes) if current is not None else {}
    if collection.kind is None:
        if ATTRIBUTES in given:
            sent = given[ATTRIBUTES] or {}
            out["attributes"] = _merged(attributes, sent) if partial else sent
    else:
        flat = {n: given[n] for n in collection.attribute_schema if n in given}
        if flat or not partial:
            for name, value in flat.items():
                if value is None:
                    attributes.pop(name, None)
                else:
                    attributes[name] = value
            if not partial:
                for name in set(collection.attribute_schema) - set(flat):
                    attributes.pop(name, None)
            out["attributes"] = attributes
    return changes


def creation_group(user: Any, slug: Any) -> Group:
    """The group named by ``group``, or the person's only group where they may create."""
    if slug is not None:
        group = Group.objects.filter(slug=slug).first()
        if group is None:
            raise ValidationError({GROUP: _("Groupe inconnu : « %(slug)s ».") % {"slug": slug}})
        return group  # create_resource checks the person may create there
    ids = list(groups_where(user, Capability.CREATE).values_list("group_id", flat=True)[:2])
    if not ids:
        raise NotAllowed(_("Il faut être contributeur d'un groupe pour y créer un objet."))
    if len(ids) > 1:
        raise ValidationError(
            {
                GROUP: _(
                    "Vous contribuez à plusieurs groupes : nommez celui de l'objet dans la "
                    "propriété « group » (l'identifiant du groupe, ex. « demo-nord »)."
                )
            }
        )
    return Group.objects.get(pk=ids[0])


def check_same_group(resource: Resource, slug: Any) -> None:
    if slug is not None and slug != resource.group.slug:
        raise ValidationError({GROUP: _("Un objet ne change pas de groupe.")})


def describe(error: ValidationError) -> str:
    """A ValidationError of the services as one French sentence naming each property."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = [
        _("Propriété « %(name)s » : %(msg)s")
        % {"name": _OGC_NAMES.get(name, name), "msg": " ".join(messages)}
        for name, messages in error.message_dict.items()
    ]
    return " ".join(parts)
