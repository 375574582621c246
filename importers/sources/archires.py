"""Archirès: UNIMARC ISO 2709 records of ENSA student works (PFE, TPFE, mémoires…).

Read with pymarc (UTF-8 whatever leader/09 says). The Koha ``biblionumber`` (``001``) is the
upsert key. A work whose project place (``609$a``) is a French commune becomes an
observatoire réalisation there; any other a médiathèque publication placed at its school's
city, or unplaced (reported).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import pymarc
from django.utils.translation import gettext as _

from ..base import Mapped, Record, RowError
from ..files import ImportFileError, read_bytes
from .ensa import EnsaSource, year_of

_CONTROL = re.compile(r"[\x00-\x1f]+")
#: Relator codes of ``702``: the supervisor, and jury members.
SUPERVISOR = "727"
JURY = ("595", "340")


def _clean(value: str) -> str:
    """Composed (NFC) text without control characters: the second sample file spells
    accents decomposed, which would otherwise make every re-import an update."""
    return unicodedata.normalize("NFC", _CONTROL.sub(" ", value or "")).strip()


def _subfields(record: pymarc.Record, tag: str, code: str) -> list[str]:
    return [
        v for f in record.get_fields(tag) for v in (_clean(s) for s in f.get_subfields(code)) if v
    ]


def _first(record: pymarc.Record, tag: str, code: str) -> str:
    values = _subfields(record, tag, code)
    return values[0] if values else ""


def _person(field: pymarc.Field) -> str:
    """``$b $a`` (forename surname) of a 70X field."""
    return " ".join(p for p in (_clean(field.get("b", "")), _clean(field.get("a", ""))) if p)


class ArchiresSource(EnsaSource):
    name = "archires"
    base = "mediatheque"
    kind = "publication"
    suffixes = (".iso2709", ".mrc", ".marc", ".iso", ".dat")

    def records(self) -> Iterator[Record]:
        _name, data = read_bytes(self.path, self.suffixes)
        self.codes, self.places  # noqa: B018 — fail on a missing reference before reading
        reader = pymarc.MARCReader(data, to_unicode=True, force_utf8=True, utf8_handling="replace")
        number = parsed = 0
        for record in reader:
            number += 1
            if record is None:
                if not parsed and number >= 3:
                    raise ImportFileError(
                        _("Ce fichier n'est pas une suite de notices UNIMARC ISO 2709.")
                    )
                yield Record(number, {"__error__": type(reader.current_exception).__name__})
                continue
            parsed += 1
            yield Record(number, {"marc": record})
        if not parsed:
            raise ImportFileError(_("Ce fichier n'est pas une suite de notices UNIMARC ISO 2709."))

    def map(self, record: Record) -> Mapped:
        if "__error__" in record.data:
            raise RowError(
                "notice",
                _("Notice ISO 2709 illisible (%(err)s) : ignorée.")
                % {"err": record.data["__error__"]},
            )
        marc: pymarc.Record = record.data["marc"]
        control = marc.get("001")
        biblionumber = _clean(control.data if control else "") or _first(marc, "090", "a")
        mapped = Mapped(source_id=biblionumber, fields={})
        attributes: dict[str, Any] = {"biblionumber": biblionumber}

        new_rule = _first(marc, "029", "m").split("_")  # {YYYY}_{TYPE}_{SCHOOL}_{biblionumber}
        raw_type = new_rule[1] if len(new_rule) >= 3 else _first(marc, "099", "t")
        code, label = self.codes.work_type(raw_type, mapped)
        attributes.update(type_travail=code, type_libelle=label)

        defence_places = _subfields(marc, "214", "a") + _subfields(marc, "210", "a")
        school_names = _subfields(marc, "214", "c") + _subfields(marc, "210", "c")
        school = self.codes.school(
            new_rule[2] if len(new_rule) >= 3 else _first(marc, "995", "b"),
            school_names[0] if school_names else "",
            defence_places[0] if defence_places else "",
        )
        school_name = self.codes.school_names.get(school, "")
        if not school:
            mapped.warn("ecole", _("École inconnue (ni exemplaire, ni nom, ni ville reconnus)."))
        elif not school_name:
            mapped.warn("ecole", _("Code d'école inconnu : « %(c)s ».") % {"c": school})
        attributes.update(ecole_code=school, ecole=school_name or (school_names or [""])[0])

        year = self._year(marc, new_rule, mapped)
        students, supervisors, jury = self._people(marc)
        keywords = list(dict.fromkeys(_subfields(marc, "610", "a")))
        project_places = _subfields(marc, "609", "a")
        extra = {
            "etudiants": students,
            "auteurs": " ; ".join(students)[:500],
            "directeurs": supervisors,
            "jury": jury,
            "annee": year,
            "mots_cles": keywords,
            "lieux_projet": project_places,
            "note_diplome": _subfields(marc, "328", "a"),
            "cote": _first(marc, "995", "k"),
            "url": _first(marc, "856", "u"),
            "identifiant_archires": _first(marc, "035", "a"),
        }
        full_title = " : ".join(
            p for p in (_first(marc, "200", "a"), _first(marc, "200", "e")) if p
        )
        title = full_title[:254] + "…" if len(full_title) > 255 else full_title
        self.fill_work(
            mapped,
            attributes,
            extra,
            title=title,
            description="\n\n".join(_subfields(marc, "330", "a")),
            defence_places=defence_places,
        )
        if title != full_title:
            mapped.warn("titre", _("Titre tronqué à 255 caractères."))
        if not title:
            raise RowError("titre", _("Titre absent (200$a)."), biblionumber)
        return mapped

    def _people(self, marc: pymarc.Record) -> tuple[list[str], list[str], list[str]]:
        """Students (700/701), supervisors (relator 727) and jury members (595, 340)."""
        students: list[str] = []
        supervisors: list[str] = []
        jury: list[str] = []
        for field in marc.get_fields("700", "701", "702"):
            relators = field.get_subfields("4")
            name = _person(field)
            if not name:
                continue
            if SUPERVISOR in relators:
                supervisors.append(name)
            elif any(r in JURY for r in relators):
                jury.append(name)
            elif field.tag in ("700", "701"):
                students.append(name)
        return [list(dict.fromkeys(p)) for p in (students, supervisors, jury)]

    def _year(self, marc: pymarc.Record, new_rule: list[str], mapped: Mapped) -> int | None:
        """The year of defence: 029$m, else 328$d, 214$d, 210$d, else 100$a positions 9–12."""
        created = _first(marc, "100", "a")
        year, outside = year_of(
            new_rule[0] if len(new_rule) >= 3 else "",
            *_subfields(marc, "328", "d"),
            *_subfields(marc, "214", "d"),
            *_subfields(marc, "210", "d"),
            created[9:13],
        )
        if outside:
            mapped.warn(
                "annee",
                _("Année hors de %(a)s–%(b)s ignorée : %(y)s.")
                % {"a": 1900, "b": 2050, "y": ", ".join(outside)},
            )
        if year is None:
            mapped.warn("annee", _("Année de soutenance introuvable."))
        return year
