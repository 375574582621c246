"""The territory codes people type or choose — INSEE codes of communes, SIREN of EPCI,
codes of départements and régions, or a suggestion « Lille (59350) » — checked against the
reference: the one place that says which codes exist, shared by the filters of the bases,
the activity report and the territory of a group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.utils.translation import gettext as _

from .models import Commune, Departement, Epci, Region
from .territories import name_key


@dataclass(frozen=True)
class Scope:
    """A territory a filter names: one of :data:`COLUMNS` and the codes it must contain."""

    column: str
    codes: tuple[str, ...]


class UnknownTerritory(ValueError):
    """A territory code that is malformed or does not exist; the message is French."""


_PATTERNS = {
    "communes": re.compile(r"^[0-9][0-9AB][0-9]{3}$"),
    "epcis": re.compile(r"^[0-9]{9}$"),
    "departements": re.compile(r"^(?:[0-9]{2}|2[AB]|97[1-6])$"),
    "regions": re.compile(r"^[0-9]{2}$"),
}
_LABELS = {
    "communes": ("code INSEE de commune", "5 caractères, ex. 59350"),
    "epcis": ("SIREN d'EPCI", "9 chiffres, ex. 200093201"),
    "departements": ("code de département", "ex. 59, 2A ou 974"),
    "regions": ("code de région", "2 chiffres, ex. 32"),
}


def _existing(column: str, codes: list[str]) -> set[str]:
    if column == "communes":
        return set(
            Commune.objects.filter(insee__in=codes, type="COM").values_list("insee", flat=True)
        )
    if column == "epcis":
        return set(Epci.objects.filter(siren__in=codes).values_list("siren", flat=True))
    if column == "departements":
        return set(Departement.objects.filter(code__in=codes).values_list("code", flat=True))
    return set(Region.objects.filter(code__in=codes).values_list("code", flat=True))


def parse_codes(column: str, value: str) -> Scope:
    """``value`` (codes separated by commas) checked against the reference: a malformed or
    unknown code raises :class:`UnknownTerritory` naming it."""
    codes = [c.strip().upper() for c in value.split(",") if c.strip()]
    label, example = _LABELS[column]
    if not codes:
        raise UnknownTerritory(
            _("Au moins un %(label)s attendu (%(example)s).") % {"label": label, "example": example}
        )
    malformed = [c for c in codes if not _PATTERNS[column].match(c)]
    if malformed:
        raise UnknownTerritory(
            _("%(label)s mal formé : %(codes)s (%(example)s).")
            % {
                "label": label[0].upper() + label[1:],
                "codes": ", ".join(malformed),
                "example": example,
            }
        )
    unknown = sorted(set(codes) - _existing(column, codes))
    if unknown:
        raise UnknownTerritory(
            _("%(label)s inconnu : %(codes)s.")
            % {"label": label[0].upper() + label[1:], "codes": ", ".join(unknown)}
        )
    return Scope(column, tuple(dict.fromkeys(codes)))


_CODE_IN_LABEL = re.compile(r"\(([0-9AB]{2,9})\)\s*$")


def resolve_territory(text: str) -> str:
    """The code of the territory a person typed or chose: a code (commune, EPCI, département),
    a suggestion « Lille (59350) », or a name that only one commune or EPCI bears."""
    text = text.strip()
    match = _CODE_IN_LABEL.search(text)
    code = (match[1] if match else text).upper()
    for column in ("epcis", "communes", "departements"):
        if _PATTERNS[column].match(code):
            return parse_codes(column, code).codes[0]
    key = name_key(text)
    found = list(
        Commune.objects.filter(name_key=key, type="COM").values_list("insee", flat=True)[:2]
    ) + list(Epci.objects.filter(name_key=key).values_list("siren", flat=True)[:2])
    if len(found) == 1:
        return found[0]
    if found:
        raise UnknownTerritory(
            _("Plusieurs territoires s'appellent « %(name)s » : choisissez-en un dans la liste.")
            % {"name": text}
        )
    raise UnknownTerritory(_("Territoire inconnu : « %(name)s ».") % {"name": text})


def territory_label(code: str) -> str:
    """« Lille (59350) », « Métropole Européenne de Lille (200093201) », « Nord (59) »: a stored
    code as the suggestions write it (and :func:`resolve_territory` reads back); the code
    itself when it names nothing known."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    name = None
    if _PATTERNS["epcis"].match(code):
        name = Epci.objects.filter(siren=code).values_list("name", flat=True).first()
    elif _PATTERNS["communes"].match(code):
        name = Commune.objects.filter(insee=code, type="COM").values_list("name", flat=True).first()
    elif _PATTERNS["departements"].match(code):
        name = Departement.objects.filter(code=code).values_list("name", flat=True).first()
    return f"{name} ({code})" if name else code


def territory_error(code: str) -> str:
    """French message when ``code`` (a commune, EPCI or département) does not exist, else ""."""
    try:
        resolve_territory(code)
    except UnknownTerritory as exc:
        return str(exc)
    return ""


def outline(code: str) -> MultiPolygon:
    """The outline of the commune, EPCI or département ``code`` names, as
    :func:`resolve_territory` returns it (a code known to exist)."""
    if _PATTERNS["epcis"].match(code):
        place = Epci.objects.filter(siren=code).first()
    elif _PATTERNS["communes"].match(code):
        place = Commune.objects.filter(insee=code, type="COM").first()
    else:
        place = Departement.objects.filter(code=code).first()
    if place is None or place.geom is None:
        raise UnknownTerritory(_("Territoire sans contour connu : « %(code)s ».") % {"code": code})
    geom = GEOSGeometry(place.geom.ewkb)
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon(geom, srid=4326)
