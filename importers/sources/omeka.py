"""Omeka S items of the Archirès digital library: the Export CSV module's file or the REST
API's JSON-LD, detected from the content.

Both are folded onto one form, ``{property: [values]}``, so that the same items read from
either file map to the same resources (the CSV after the JSON-LD changes nothing). The Koha
``biblionumber`` is the upsert key (else the Omeka id); the school (``dcterms:provenance``)
gives the place, unless ``dcterms:spatial`` names a French commune.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from ..base import Mapped, Record, RowError
from ..files import ImportFileError, decode_text, read_bytes
from .ensa import EnsaSource, year_of

#: Properties whose CSV cell joins several values with ``;``.
MULTI_VALUED = frozenset(
    {
        "dcterms:creator",
        "dcterms:contributor",
        "dcterms:subject",
        "dcterms:spatial",
        "dcterms:type",
        "o-module-group:group",
        "o:item_set",
    }
)


def _json_values(value: Any) -> list[str]:
    """The plain values of a JSON-LD property: literals, linked ids, group ids."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("@value", item.get("o:id", item.get("@id")))
        if item is not None and str(item).strip():
            out.append(str(item).strip())
    return out


def _flag(values: list[str]) -> bool:
    return bool(values) and values[0].lower() in ("1", "true")


class OmekaSource(EnsaSource):
    name = "omeka"
    base = "mediatheque"
    kind = "publication"
    suffixes = (".csv", ".json", ".jsonld")

    def records(self) -> Iterator[Record]:
        _name, data = read_bytes(self.path, self.suffixes)
        text, _latin = decode_text(data)
        self.codes, self.places  # noqa: B018 — fail on a missing reference before reading
        if text.lstrip()[:1] in "[{":
            yield from self._json(text)
        else:
            yield from self._csv(text)

    def _json(self, text: str) -> Iterator[Record]:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(_("JSON-LD illisible : %(err)s.") % {"err": exc}) from exc
        items = doc if isinstance(doc, list) else [doc]
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict) or "o:id" not in item:
                yield Record(number, {"__error__": _("ce n'est pas un item Omeka S (o:id absent)")})
                continue
            yield Record(number, {k: _json_values(v) for k, v in item.items()})

    def _csv(self, text: str) -> Iterator[Record]:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
        if "o:id" not in header:
            raise ImportFileError(
                _("Ni JSON-LD ni export CSV d'Omeka S : colonne « o:id » absente.")
            )
        for number, values in enumerate(reader, start=1):
            if not any(v.strip() for v in values):
                continue
            data: dict[str, list[str]] = {}
            for name, value in zip(header, values, strict=False):  # a trailing extra column
                value = value.strip()
                if not value:
                    continue
                parts = value.split(";") if name in MULTI_VALUED else [value]
                data[name] = [p.strip() for p in parts if p.strip()]
            yield Record(number, data)

    def map(self, record: Record) -> Mapped:
        d = record.data
        if "__error__" in d:
            raise RowError("item", _("Item illisible : %(err)s.") % {"err": d["__error__"]})

        def first(name: str) -> str:
            return (d.get(name) or [""])[0]

        omeka_id = first("o:id")
        mapped = Mapped(source_id=first("koha:biblionumber") or f"omeka-{omeka_id}", fields={})
        code, label = self.codes.work_type(first("dcterms:type"), mapped)
        school = self.codes.school(first("dcterms:provenance"))
        school_name = self.codes.school_names.get(school, "")
        if not school_name:
            mapped.warn("ecole", _("École inconnue : « %(c)s ».") % {"c": school})
        year, outside = year_of(*d.get("dcterms:date", []))
        if year is None:
            mapped.warn(
                "annee",
                _("Année introuvable ou hors de 1900–2050 (%(v)s).")
                % {"v": ", ".join(outside) or _("aucune")},
            )
        public = _flag(d.get("o:is_public", []))
        if not public:
            mapped.warn(
                "o:is_public", _("Item privé dans Omeka S : vérifiez le niveau de partage.")
            )
        attributes: dict[str, Any] = {
            "biblionumber": first("koha:biblionumber"),
            "omeka_id": omeka_id,
            "omeka_url": first("@id"),
            "omeka_public": public,
            "type_travail": code,
            "type_libelle": label,
            "ecole_code": school,
            "ecole": school_name,
        }
        project_places = d.get("dcterms:spatial", [])
        keywords = d.get("dcterms:subject", [])
        extra = {
            "etudiants": d.get("dcterms:creator", []),
            "auteurs": " ; ".join(d.get("dcterms:creator", []))[:500],
            "annee": year,
            "titre_projet": first("dcterms:alternative"),
            "mots_cles": keywords,
            "lieux_projet": project_places,
            "cote": first("bibo:locator"),
            "omeka_groupes": d.get("o-module-group:group", []),
        }
        title = first("dcterms:title") or first("o:title")
        abstract = first("dcterms:abstract") or first("bibo:abstract")
        self.fill_work(
            mapped,
            attributes,
            extra,
            title=title[:255],
            description=abstract or first("dcterms:description"),
        )
        if not title:
            raise RowError("dcterms:title", _("Titre absent."), mapped.source_id)
        return mapped
