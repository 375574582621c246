"""What the Archirès and Omeka S sources share: the ENSA code lists and placing a work.

The code lists (student-work types, school codes, their renamings, cities and name variants)
are the Archirès CSV files, read at run time from ``SPASS["ARCHIRES_MAPPING_DIR"]`` (or the
``--mapping`` option). Places are resolved against the territories reference: a project
place ``Bordeaux (Gironde) -- Place Paul-Doumer`` becomes the commune of Bordeaux, a school
code becomes its city.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _

from geo.models import Departement
from geo.territories import CommuneIndex, name_key

from ..base import Mapped, Source
from ..files import ImportFileError

#: Earliest and latest plausible year of a student work.
YEARS = (1900, 2050)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
#: ``Name (Qualifier) -- subdivision``: a commune qualified by its département, or abroad.
_PLACE = re.compile(r"^\s*(?P<name>[^()]+?)\s*(?:\((?P<qualifier>[^)]*)\))?\s*(?:--.*)?$")
#: Place-of-defence values that say "no place".
_NO_PLACE = re.compile(r"^\[?\s*s\.\s*l\.?\s*\]?$", re.IGNORECASE)
_IN_NAME = re.compile(r"\bde (?P<city>[^,(]+)$")
MAPPING_FILES = (
    "w_etud.csv",
    "w_etud_rename.csv",
    "school_name_from_code.csv",
    "old_schools_new_school.csv",
    "school_code_from_city.csv",
    "school_code_from_other_word.csv",
)


def upper_key(text: str) -> str:
    """``Villeneuve-d'Ascq`` → ``VILLENEUVE-D'ASCQ``: the form of the code lists' keys."""
    text = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in text if not unicodedata.combining(c)).upper().replace("’", "'")


def year_of(*values: str) -> tuple[int | None, list[str]]:
    """The first plausible year in the values, and the out-of-range years met before it."""
    outside: list[str] = []
    for value in values:
        for found in _YEAR.findall(value or ""):
            if YEARS[0] <= int(found) <= YEARS[1]:
                return int(found), outside
            outside.append(found)
    return None, outside


def mapping_dir(option: str | Path | None = None) -> Path:
    return Path(option or settings.SPASS["ARCHIRES_MAPPING_DIR"])


def _pairs(directory: Path, name: str) -> dict[str, str]:
    with open(directory / name, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        return {row[0].strip(): row[1].strip() for row in reader if len(row) >= 2}


@dataclass
class Codes:
    """The Archirès code lists."""

    types: dict[str, str]
    type_renames: dict[str, str]
    school_names: dict[str, str]
    school_renames: dict[str, str]
    school_by_city: dict[str, str]
    school_by_word: dict[str, str]
    cities_of_school: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> Codes:
        missing = [n for n in MAPPING_FILES if not (directory / n).is_file()]
        if missing:
            raise ImportFileError(
                _(
                    "Tables de correspondance Archirès introuvables (%(files)s) : précisez "
                    "--mapping ou SPASS_ARCHIRES_MAPPING_DIR."
                )
                % {"files": ", ".join(missing)}
            )
        tables = [_pairs(directory, n) for n in MAPPING_FILES]
        codes = cls(*tables)
        for city, code in codes.school_by_city.items():
            codes.cities_of_school.setdefault(code, []).append(city)
        return codes

    def work_type(self, raw: str, mapped: Mapped) -> tuple[str, str]:
        """(code, label) of a work type after the renamings (TE → TATE, MEME → RAPL)."""
        raw = raw.strip().upper()
        if not raw:
            mapped.warn("type", _("Type de travail absent."))
            return "", ""
        code = self.type_renames.get(raw, raw)
        if code not in self.types:
            mapped.warn(
                "type",
                _("Type « %(t)s » hors de la liste des travaux d'étudiants.") % {"t": raw},
            )
            return code, ""
        return code, self.types[code]

    def school(self, code: str = "", name: str = "", city: str = "") -> str:
        """The current school code from a holding code, a school name or a city ("" if none)."""
        code = upper_key(code)
        if not code and name:
            key = upper_key(name)
            code = next((c for w, c in self.school_by_word.items() if w in key), "")
        if not code and city:
            code = self.school_by_city.get(upper_key(city), "")
        return self.school_renames.get(code, code)


class Places:
    """Communes by name (qualified by a département name or not) and their points."""

    def __init__(self) -> None:
        self.communes = CommuneIndex()
        if not self.communes:
            raise ImportFileError(
                _("Le référentiel des communes est vide : lancez « manage.py load_territories ».")
            )
        self.departements = {
            name_key(name): code for code, name in Departement.objects.values_list("code", "name")
        }
        self._points: dict[str, Point] = {}

    def point(self, insee: str) -> Point:
        if insee not in self._points:
            self._points[insee] = Point(*self.communes.points[insee], srid=4326)
        return self._points[insee]

    def commune(self, text: str) -> str | None:
        """The INSEE code of ``Bordeaux (Gironde)``, ``Paris (France) -- …`` or a bare name
        unique in France; None for places abroad, regions or unknown names."""
        match = _PLACE.match(text or "")
        if not match:
            return None
        name, qualifier = match["name"].strip(" []"), (match["qualifier"] or "").strip()
        if not name or _NO_PLACE.match(name):
            return None
        if not qualifier or name_key(qualifier) == "france":
            return self.communes.insee_by_name(name)
        departement = self.departements.get(name_key(qualifier))
        return self.communes.insee_by_name(name, departement) if departement else None

    def school_city(self, codes: Codes, school: str, *places: str) -> str | None:
        """The commune of the school: the place of defence, else the code list's cities,
        else the city in the school's name (``ENSA de Paris-La Villette`` → Paris)."""
        named = _IN_NAME.search(codes.school_names.get(school, ""))
        in_name = [named["city"], named["city"].split("-")[0]] if named else []
        for text in (*places, *codes.cities_of_school.get(school, []), *in_name):
            insee = self.commune(text)
            if insee:
                return insee
        return None


def place_work(
    mapped: Mapped,
    attributes: dict[str, Any],
    places: Places,
    codes: Codes,
    *,
    project_places: list[str],
    school: str,
    defence_places: list[str],
) -> tuple[str, str, Point | None]:
    """(base, kind, point) of a student work: an observatoire réalisation at its project
    commune, else a médiathèque publication at its school's city, else unplaced (warned)."""
    found = [c for c in (places.commune(p) for p in project_places) if c]
    found = list(dict.fromkeys(found))
    if found:
        attributes.update(commune_insee=found[0], communes_insee=found, geoloc_precision="commune")
        return "observatoire", "realisation", places.point(found[0])
    insee = places.school_city(codes, school, *defence_places)
    if insee:
        attributes.update(commune_insee=insee, geoloc_precision="ecole")
        return "mediatheque", "publication", places.point(insee)
    mapped.warn(
        "localisation",
        _("Non localisé : ni lieu du projet en France (%(p)s) ni ville d'école connue.")
        % {"p": " ; ".join(project_places) or _("aucun")},
    )
    return "mediatheque", "publication", None


class EnsaSource(Source):
    """Student works of the architecture schools (Archirès, Omeka S): the school code lists
    and the commune index, loaded once per import."""

    @cached_property
    def codes(self) -> Codes:
        return Codes.load(mapping_dir(self.options.get("mapping")))

    @cached_property
    def places(self) -> Places:
        return Places()

    def fill_work(
        self,
        mapped: Mapped,
        attributes: dict[str, Any],
        extra: dict[str, Any],
        *,
        title: str,
        description: str,
        defence_places: list[str] | None = None,
    ) -> None:
        """Place a student work (see `place_work`) by its project places (``extra["lieux_projet"]``)
        or its school (``attributes["ecole_code"]``), add the non-empty `extra` attributes and
        set the resource fields of `mapped`."""
        year, keywords = extra["annee"], extra["mots_cles"]
        base, kind, geom = place_work(
            mapped,
            attributes,
            self.places,
            self.codes,
            project_places=extra["lieux_projet"],
            school=attributes["ecole_code"],
            defence_places=defence_places or [],
        )
        attributes.update({k: v for k, v in extra.items() if v})
        summary = (
            attributes["type_libelle"] or attributes["type_travail"],
            attributes["ecole"],
            year,
        )
        mapped.fields = {
            "base": base,
            "kind": kind,
            "title": title,
            "summary": " — ".join(str(p) for p in summary if p),
            "description": description,
            "themes": [k[:100] for k in keywords],
            "date_start": f"{year}-01-01" if year else None,
            "date_end": f"{year}-12-31" if year else None,
            "geom": geom,
            "attributes": attributes,
        }
