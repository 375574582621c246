"""Territories of intervention: names typed by a person resolved to communes, EPCI,
départements and régions of ``geo``, their union computed by PostGIS (``ST_Union``), and
suggestions for the chooser.

A chosen territory is kept twice: its code (``commune:59350``, ``epci:200093201``,
``departement:59``, ``region:32``), to show and edit the choice, and in the profile's one
MultiPolygon, so that « who works on commune X » is one indexed intersection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from geo.models import Commune, Departement, Epci, Region
from geo.territories import commune_by_insee, commune_by_name, name_key

#: « Lille (59350) », « Nord (59) », « Métropole Européenne de Lille (200093201) »: a name with
#: its code, as the suggestions write it.
_WITH_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[0-9][0-9AB][0-9]{0,7})\)$", re.IGNORECASE)
#: Territories one profile may name (beyond, a region or département says it better).
MAX_TERRITORIES = 60
#: Suggestions returned to the chooser.
SUGGESTIONS = 12
#: Each kind: its model, the field holding its code, and the rows that count.
KINDS = {
    "commune": (Commune, "insee", {"type__in": ("COM", "ARM")}),
    "epci": (Epci, "siren", {}),
    "departement": (Departement, "code", {}),
    "region": (Region, "code", {}),
}


@dataclass(frozen=True)
class Territory:
    kind: str  # a key of KINDS
    code: str
    name: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.code}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


def _by_code(kind: str, code: str) -> Territory | None:
    model, field, extra = KINDS[kind]
    if kind == "commune":
        commune = commune_by_insee(code)
        return Territory("commune", commune.insee, commune.name) if commune else None
    found = model.objects.filter(**{field: code}, **extra).only(field, "name").first()
    return Territory(kind, getattr(found, field), found.name) if found else None


def _kinds_of_code(code: str) -> tuple[str, ...]:
    """The kinds a code may name, by its shape; « 32 » is the Gers before the Hauts-de-France."""
    if re.fullmatch(r"[0-9]{9}", code):
        return ("epci",)
    if re.fullmatch(r"[0-9][0-9AB][0-9]{3}", code):
        return ("commune",)
    return ("departement", "region")


def _by_name(kind: str, text: str) -> Territory | None:
    key = name_key(text)
    model, field, extra = KINDS[kind]
    if kind == "epci":
        found = Epci.objects.filter(name_key=key).first()
        return Territory("epci", found.siren, found.name) if found else None
    for row in model.objects.filter(**extra).only(field, "name"):
        if name_key(row.name) == key:
            return Territory(kind, getattr(row, field), row.name)
    return None


def resolve_one(text: str) -> Territory | None:
    """The territory a typed entry names, or None."""
    text = text.strip()
    match = _WITH_CODE.match(text)
    if match:
        code, name = match["code"].upper(), match["name"]
        found = [t for k in _kinds_of_code(code) if (t := _by_code(k, code))]
        named = [t for t in found if name_key(t.name) == name_key(name)]
        return (named or found or [None])[0]
    if re.fullmatch(r"[0-9][0-9AB][0-9]{0,7}", text, re.IGNORECASE):
        found = [t for k in _kinds_of_code(text.upper()) if (t := _by_code(k, text.upper()))]
        return found[0] if found else None
    for kind in ("departement", "region", "epci"):
        territory = _by_name(kind, text)
        if territory is not None:
            return territory
    commune = commune_by_name(text)
    return Territory("commune", commune.insee, commune.name) if commune else None


def split_entries(text: str) -> list[str]:
    """Entries of the chooser: one per line, or separated by semicolons or commas."""
    return [e.strip() for e in re.split(r"[;\n,]", text or "") if e.strip()]


def resolve(text: str) -> list[Territory]:
    """Every entry resolved, or ValidationError keyed ``territories`` naming those that
    match nothing (French)."""
    entries = split_entries(text)
    if len(entries) > MAX_TERRITORIES:
        raise ValidationError(
            {
                "territories": _("Au plus %(n)s territoires : choisissez un département.")
                % {"n": MAX_TERRITORIES}
            }
        )
    found: list[Territory] = []
    unknown: list[str] = []
    for entry in entries:
        territory = resolve_one(entry)
        if territory is None:
            unknown.append(entry)
        elif territory not in found:
            found.append(territory)
    if unknown:
        raise ValidationError(
            {
                "territories": _(
                    "Territoire introuvable : %(names)s. Choisissez une commune, une "
                    "intercommunalité (EPCI), un département ou une région parmi les "
                    "suggestions (le code entre parenthèses lève les homonymes)."
                )
                % {"names": ", ".join(f"« {u} »" for u in unknown)}
            }
        )
    return found


def union(territories: list[Territory]) -> MultiPolygon | None:
    """The union of the territories' outlines, computed by PostGIS (valid, MultiPolygon)."""
    parts = []
    params: list[list[str]] = []
    for kind, (model, field, _extra) in KINDS.items():
        codes = [t.code for t in territories if t.kind == kind]
        if codes:
            only = " AND type IN ('COM', 'ARM')" if kind == "commune" else ""
            parts.append(f"SELECT geom FROM {model._meta.db_table} WHERE {field} = ANY(%s){only}")
            params.append(codes)
    if not parts:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT ST_AsEWKB(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geom)), 3)))
                  FROM ({" UNION ALL ".join(parts)}) t WHERE geom IS NOT NULL""",
            params,
        )
        row = cursor.fetchone()
    if not row or row[0] is None:
        return None
    geom = GEOSGeometry(memoryview(bytes(row[0])))
    return geom if isinstance(geom, MultiPolygon) and not geom.empty else None


def labels(codes: list[str]) -> list[str]:
    """« Lille (59350) » for each stored code, in order (unknown codes left as they are)."""
    names: dict[str, str] = {}
    for kind, (model, field, extra) in KINDS.items():
        wanted = [c.split(":", 1)[1] for c in codes if c.startswith(f"{kind}:")]
        if wanted:
            rows = model.objects.filter(**{f"{field}__in": wanted}, **extra)
            names |= {f"{kind}:{code}": name for code, name in rows.values_list(field, "name")}
    return [f"{names[c]} ({c.split(':', 1)[1]})" if c in names else c for c in codes]


def suggestions(text: str) -> list[str]:
    """Régions, départements, EPCI then communes whose name starts like ``text`` (accents
    ignored; an EPCI also when a word of its name does)."""
    key = name_key(text)
    if len(key) < 2:
        return []
    wide = [
        f"{row.name} ({row.code})"
        for model in (Region, Departement)
        for row in model.objects.only("code", "name")
        if name_key(row.name).startswith(key)
    ]
    epcis = [
        f"{name} ({siren})"
        for siren, name in Epci.objects.filter(name_key__contains=key)
        .order_by("name")
        .values_list("siren", "name")[: SUGGESTIONS // 3]
    ]
    communes = Commune.objects.filter(type="COM", name_key__startswith=key).order_by(
        "name_key", "insee"
    )[:SUGGESTIONS]
    return (wide + epcis + [f"{c.name} ({c.insee})" for c in communes])[:SUGGESTIONS]
