"""The column mapping of a geodata import: which column of the file fills which field.

One format for every channel: the command's repeated ``--map TARGET=COLUMN`` and the web
flow's JSON ``{"title": "chptico", "attributes.epoque": "chpscle", "ignore": ["chpuser"]}``
are the same :class:`ColumnMapping`, so a mapping chosen on a page runs unchanged from a shell.

A target is a resource field the one field table marks importable
(:func:`observatoire.fields.import_fields`), ``commune_insee`` (the commune's code, checked),
``attributes.<name>`` (a per-kind attribute) or ``ignore``. Columns left unmapped are kept in
the attributes under their own name. :func:`suggest_mapping` maps the vocabularies the
project already reads by itself; what a person maps explicitly always wins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from observatoire.fields import ATTRIBUTES, import_fields
from observatoire.schemas import KIND_SCHEMAS

from .base import Mapped
from .sources.merimee import ALIASES, INSEE_CODE
from .sources.text import header_key, split_values

#: The attribute of observatoire kinds holding the commune's INSEE code; as a target its value
#: is checked, and a malformed code is reported and kept under its column, not rejected.
COMMUNE_INSEE = "commune_insee"
IGNORE = "ignore"
ATTRIBUTE_PREFIX = f"{ATTRIBUTES}."
_ATTRIBUTE_NAME = re.compile(r"\w+")
#: Attributes whose values compose the title of a file without a title column.
TITLE_PARTS = ("denomination", "commune")

#: Canonical names of the Mérimée importer (``ALIASES``: every vintage's headers, POP codes
#: such as ``TICO``, also matched with the ``chp`` prefix of Inventaire exports) → target.
POP_TARGETS: dict[str, str] = {
    "ref": "source_id",
    "title": "title",
    "description": "description",
    "history": "description",
    "insee": COMMUNE_INSEE,
    "denomination": "attributes.denomination",
    "commune": "attributes.commune",
    "address": "attributes.adresse",
    "centuries": "attributes.epoque",
    "authors": "attributes.auteurs",
}
#: Codes only POP exports have (titre courant, dénomination), with or without ``chp``…
POP_MARKERS = frozenset({"tico", "deno", "chptico", "chpdeno"})
#: …and the POP codes that mean something else there than the common name: ``DATE`` holds
#: years of construction campaigns (``1938 ; 1952``), which ``date_start`` would reject.
POP_FALSE_FRIENDS = frozenset({"date"})
#: Other names, best first: the Omeka S and Archirès (Koha, UNIMARC) fields the ENSA sources
#: read, then common French and English names. Compared as ``header_key`` folds them.
NAMES: dict[str, tuple[str, ...]] = {
    "source_id": ("koha:biblionumber", "biblionumber", "001", "o:id", "identifiant", "ident"),
    "title": (
        *("dcterms:title", "o:title", "200$a"),
        *("titre", "title", "nom", "name", "libelle", "appellation", "intitule", "label"),
    ),
    "summary": ("resume", "summary", "sous_titre", "chapeau"),
    "description": (
        *("dcterms:abstract", "bibo:abstract", "330$a", "dcterms:description"),
        *("descriptif", "commentaire", "comment"),
    ),
    "date_start": ("date_debut", "date_start", "start_date", "debut", "date"),
    "date_end": ("date_fin", "date_end", "end_date", "fin"),
    "themes": ("dcterms:subject", "610$a", "themes", "theme", "mots_cles", "keywords", "tags"),
    COMMUNE_INSEE: ("code_insee", "insee_com", "code_commune", "codgeo", "depcom", "citycode"),
    "attributes.commune": ("ville", "city", "nom_commune"),
    "attributes.auteurs": ("dcterms:creator",),
    "attributes.url": ("856$u",),
}


class MappingError(ValueError):
    """A mapping that cannot be applied; ``message`` is French and names the culprit."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_target(target: str, column: str) -> None:
    """Raise ``MappingError`` unless ``target`` is one a column may fill."""
    if target in import_fields() or target == COMMUNE_INSEE:
        return
    name = target.removeprefix(ATTRIBUTE_PREFIX)
    if target.startswith(ATTRIBUTE_PREFIX) and _ATTRIBUTE_NAME.fullmatch(name):
        return
    raise MappingError(
        _(
            "Cible inconnue « %(target)s » pour la colonne « %(column)s » : choisissez parmi "
            "%(fields)s, %(insee)s, attributes.<nom> (un attribut du type) ou %(ignore)s."
        )
        % {
            "target": target,
            "column": column,
            "fields": ", ".join(import_fields()),
            "insee": COMMUNE_INSEE,
            "ignore": IGNORE,
        }
    )


@dataclass(frozen=True)
class ColumnMapping:
    """Target → column, and the columns left out of the import altogether."""

    targets: dict[str, str] = field(default_factory=dict)
    ignored: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for target, column in self.targets.items():
            check_target(target, column)
            if not column:
                raise MappingError(_("Colonne vide pour la cible « %(t)s ».") % {"t": target})
        both = sorted(self.ignored & set(self.targets.values()))
        if both:
            raise MappingError(
                _("Colonne(s) à la fois associée(s) et ignorée(s) : %(cols)s.")
                % {"cols": ", ".join(both)}
            )

    @classmethod
    def parse(cls, items: Iterable[str]) -> ColumnMapping:
        """The mapping of ``TARGET=COLUMN`` items (``--map``); ``ignore=COLUMN`` may repeat."""
        targets: dict[str, str] = {}
        ignored: set[str] = set()
        for item in items:
            target, sep, column = (part.strip() for part in item.partition("="))
            if not sep or not target or not column:
                raise MappingError(
                    _("Association illisible « %(item)s » : attendu CIBLE=COLONNE.")
                    % {"item": item}
                )
            if target == IGNORE:
                ignored.add(column)
            elif target in targets:
                raise MappingError(
                    _("Cible « %(target)s » associée deux fois (colonnes « %(a)s » et « %(b)s »).")
                    % {"target": target, "a": targets[target], "b": column}
                )
            else:
                targets[target] = column
        return cls(targets, frozenset(ignored))

    @classmethod
    def from_json(cls, data: str | dict[str, Any]) -> ColumnMapping:
        """The mapping of its JSON form (text or decoded), as :meth:`to_json` writes it."""
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except json.JSONDecodeError as exc:
                raise MappingError(
                    _("Correspondance illisible (JSON) : %(err)s.") % {"err": exc}
                ) from exc
        if not isinstance(data, dict):
            raise MappingError(_("Correspondance attendue : un objet JSON {cible: colonne}."))
        ignored = data.get(IGNORE, [])
        if not isinstance(ignored, list) or not all(isinstance(c, str) for c in ignored):
            raise MappingError(_("« ignore » attend une liste de noms de colonnes."))
        targets = {t: c for t, c in data.items() if t != IGNORE}
        for target, column in targets.items():
            if not isinstance(column, str):
                raise MappingError(
                    _("Cible « %(target)s » : un nom de colonne est attendu.") % {"target": target}
                )
        return cls(targets, frozenset(ignored))

    def to_json(self) -> dict[str, Any]:
        """The JSON form: ``{target: column, …, "ignore": [columns]}``."""
        data: dict[str, Any] = dict(self.targets)
        if self.ignored:
            data[IGNORE] = sorted(self.ignored)
        return data

    def columns(self) -> set[str]:
        """Columns the mapping names, which the file must have."""
        return set(self.targets.values()) | self.ignored

    def complete(self, suggested: ColumnMapping) -> ColumnMapping:
        """This mapping, plus the suggested entries whose target and column it leaves free."""
        taken = self.columns()
        extra = {
            t: c for t, c in suggested.targets.items() if t not in self.targets and c not in taken
        }
        return ColumnMapping({**self.targets, **extra}, self.ignored)

    def overridden_by(self, other: ColumnMapping) -> ColumnMapping:
        """This mapping with ``other``'s entries winning: its targets, and its columns
        taken away from the targets or the ignored columns they had here."""
        taken = other.columns()
        kept = {t: c for t, c in self.targets.items() if t not in other.targets and c not in taken}
        return ColumnMapping({**kept, **other.targets}, (self.ignored - taken) | other.ignored)

    def apply(self, data: dict[str, Any], row: int) -> Mapped:
        """The resource fields of one row of the file (numbered ``row``).

        Text fields get the column's text, dates only when given, themes split on ``;`` or
        ``|``; the row number keys a file without ``source_id``, and a file without title
        gets one composed of its ``TITLE_PARTS`` (« Maison — Toulouse »).
        """
        fields: dict[str, Any] = {}
        attributes: dict[str, Any] = {}
        mapped = Mapped(source_id="", fields=fields)
        resource_fields = import_fields()
        for target, column in self.targets.items():
            value = data.get(column)
            text = "" if value is None else str(value).strip()
            if target in resource_fields:
                schema = resource_fields[target].schema
                if schema["type"] == "array":
                    values = value if isinstance(value, list) else split_values(text)
                    fields[target] = [str(v)[:100] for v in values]
                elif text or schema.get("format") != "date":
                    fields[target] = text
            elif target == COMMUNE_INSEE:
                # a column typed as numbers (a CSV read with type detection) lost the 0 of 01001
                text = f"{value:05d}" if isinstance(value, int) else text
                if INSEE_CODE.match(text.upper()):
                    attributes[COMMUNE_INSEE] = text.upper()
                elif text:
                    attributes[column] = value
                    mapped.warn(
                        column,
                        _("Code INSEE invalide : « %(code)s » ; gardé tel quel, sans commune.")
                        % {"code": text},
                    )
            elif value is not None:
                attributes[target.removeprefix(ATTRIBUTE_PREFIX)] = value
        used = self.columns()
        attributes.update({c: v for c, v in data.items() if c not in used and v is not None})
        mapped.source_id = fields.pop("source_id", "") or str(row)
        if "title" not in self.targets:
            parts = [str(attributes[p]).strip() for p in TITLE_PARTS if attributes.get(p)]
            title = " — ".join(p for p in parts if p)
            fields["title"] = (
                title[:1].upper() + title[1:255]
                if title
                else _("Sans titre (ligne %(n)s)") % {"n": row}
            )
        fields["attributes"] = attributes
        return mapped


def mapping_targets(kind: str) -> list[tuple[str, str]]:
    """(target, French label) a column of a file of ``kind`` may be given, as a page offers
    them: keep as an attribute (``""``), ignore, the resource fields, the commune's code and
    the kind's own attributes."""
    targets = [("", _("Garder comme attribut (sous son nom)")), (IGNORE, _("Ignorer"))]
    targets += [(name, f.schema.get("title", name)) for name, f in import_fields().items()]
    targets.append((COMMUNE_INSEE, _("Code INSEE de la commune")))
    properties = KIND_SCHEMAS.get(kind, {}).get("properties", {})
    targets += [
        (f"{ATTRIBUTE_PREFIX}{name}", _("Attribut : %(t)s") % {"t": p.get("title", name)})
        for name, p in properties.items()
        if name != COMMUNE_INSEE
    ]
    return targets


def _rules() -> dict[str, list[tuple[str, bool]]]:
    """Target → (header key, whether a POP code, matched with a ``chp`` prefix too), best
    first: Mérimée's vocabulary, then :data:`NAMES`."""
    rules: dict[str, list[tuple[str, bool]]] = {}
    for canonical, target in POP_TARGETS.items():
        rules.setdefault(target, []).extend((name, True) for name in ALIASES[canonical])
    for target, names in NAMES.items():
        rules.setdefault(target, []).extend((header_key(name), False) for name in names)
    return rules


RULES = _rules()


def suggest_mapping(columns: Iterable[str]) -> ColumnMapping:
    """The mapping the column names suggest, a column for each target it recognises.

    Names are compared as ``header_key`` folds them (case, accents, punctuation). A POP code
    matches with or without the ``chp`` prefix, the other names only as they are, and not at
    all in a POP export when the POP code means something else (``POP_FALSE_FRIENDS``): there
    they stay attributes.
    """
    keys = {column: header_key(column) for column in columns}
    if POP_MARKERS & set(keys.values()):
        keys = {c: k for c, k in keys.items() if k not in POP_FALSE_FRIENDS}
    targets: dict[str, str] = {}
    for target, names in RULES.items():
        free = [(c, k) for c, k in keys.items() if c not in targets.values()]
        found = next(
            (
                column
                for name, pop in names
                for column, key in free
                if key == name or (pop and key == f"chp{name}")
            ),
            None,
        )
        if found is not None:
            targets[target] = found
    return ColumnMapping(targets)
