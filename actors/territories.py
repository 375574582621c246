"""Territories of intervention: names typed by a person resolved to communes and
départements of ``geo``, their union computed by PostGIS (``ST_Union``), and suggestions for
the chooser.

A chosen territory is kept twice: its code (``commune:59350``, ``departement:59``), to show
and edit the choice, and in the profile's one MultiPolygon, so that « who works on commune X »
is one indexed intersection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from geo.models import Commune, Departement
from geo.territories import commune_by_insee, commune_by_name, name_key

#: « Lille (59350) », « Nord (59) »: a name with its code, as the suggestions write it.
_WITH_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[0-9][0-9AB][0-9]{0,3})\)$", re.IGNORECASE)
#: Territories one profile may name (beyond, a region or département says it better).
MAX_TERRITORIES = 60
#: Suggestions returned to the chooser.
SUGGESTIONS = 12


@dataclass(frozen=True)
class Territory:
    kind: str  # "commune" | "departement"
    code: str
    name: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.code}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


def _departement(text: str) -> Departement | None:
    key = name_key(text)
    for dep in Departement.objects.only("code", "name"):
        if name_key(dep.name) == key:
            return dep
    return None


def resolve_one(text: str) -> Territory | None:
    """The territory a typed entry names, or None."""
    text = text.strip()
    match = _WITH_CODE.match(text)
    if match:
        code = match["code"].upper()
        if len(code) == 5:
            commune = commune_by_insee(code)
            return Territory("commune", commune.insee, commune.name) if commune else None
        dep = Departement.objects.filter(code=code).first()
        return Territory("departement", dep.code, dep.name) if dep else None
    if re.fullmatch(r"[0-9][0-9AB][0-9]{3}", text, re.IGNORECASE):
        commune = commune_by_insee(text)
        return Territory("commune", commune.insee, commune.name) if commune else None
    dep = _departement(text)
    if dep is not None:
        return Territory("departement", dep.code, dep.name)
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
                    "Territoire introuvable : %(names)s. Choisissez une commune ou un "
                    "département parmi les suggestions (le code entre parenthèses lève les "
                    "homonymes)."
                )
                % {"names": ", ".join(f"« {u} »" for u in unknown)}
            }
        )
    return found


def union(territories: list[Territory]) -> MultiPolygon | None:
    """The union of the territories' outlines, computed by PostGIS (valid, MultiPolygon)."""
    communes = [t.code for t in territories if t.kind == "commune"]
    deps = [t.code for t in territories if t.kind == "departement"]
    if not communes and not deps:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT ST_AsEWKB(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geom)), 3)))
                  FROM (SELECT geom FROM {Commune._meta.db_table}
                         WHERE insee = ANY(%s) AND type IN ('COM', 'ARM')
                        UNION ALL
                        SELECT geom FROM {Departement._meta.db_table} WHERE code = ANY(%s)) t
                 WHERE geom IS NOT NULL""",
            [communes, deps],
        )
        row = cursor.fetchone()
    if not row or row[0] is None:
        return None
    geom = GEOSGeometry(memoryview(bytes(row[0])))
    return geom if isinstance(geom, MultiPolygon) and not geom.empty else None


def labels(codes: list[str]) -> list[str]:
    """« Lille (59350) » for each stored code, in order (unknown codes left as they are)."""
    communes = [c.split(":", 1)[1] for c in codes if c.startswith("commune:")]
    deps = [c.split(":", 1)[1] for c in codes if c.startswith("departement:")]
    names = {
        f"commune:{insee}": name
        for insee, name in Commune.objects.filter(
            insee__in=communes, type__in=("COM", "ARM")
        ).values_list("insee", "name")
    }
    names |= {
        f"departement:{code}": name
        for code, name in Departement.objects.filter(code__in=deps).values_list("code", "name")
    }
    return [f"{names[c]} ({c.split(':', 1)[1]})" if c in names else c for c in codes]


def suggestions(text: str) -> list[str]:
    """Départements then communes whose name starts like ``text`` (accents ignored)."""
    key = name_key(text)
    if len(key) < 2:
        return []
    deps = [
        f"{d.name} ({d.code})"
        for d in Departement.objects.only("code", "name")
        if name_key(d.name).startswith(key)
    ]
    communes = Commune.objects.filter(type="COM", name_key__startswith=key).order_by(
        "name_key", "insee"
    )[:SUGGESTIONS]
    return (deps + [f"{c.name} ({c.insee})" for c in communes])[:SUGGESTIONS]
