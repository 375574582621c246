"""Mérimée (monuments historiques, Inventaire): every published vintage, auto-detected.

Reads the 2013 Latin-1 ``;`` export, the 2017 unquoted ``|`` export (POP codes), the 2021-22
labelled ``;`` export, the 2022-12 snake_case export, the current POP bulk file (quoted ``|``,
Title_Case columns) and its JSON, the Toulouse Inventaire GeoJSON and derived point GeoJSON.
Headers of every dialect are folded onto one vocabulary (``ALIASES``). Monuments become
public, validated observatoire ``marqueur`` resources keyed by their reference.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cached_property
from itertools import chain
from typing import Any, ClassVar

from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _

from geo.territories import CommuneIndex
from observatoire.kinds import Base, Kind
from workgroups.roles import Level

from ..base import Mapped, Record, RowError, Source
from ..files import ImportFileError, decode_text, read_bytes
from .text import delimited_records, header_key, split_values

#: Canonical field → header keys of every vintage, in order of preference.
ALIASES: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "reference", "id"),
    "title": ("tico", "appellation_courante", "titre_editorial_de_la_notice", "chptico"),
    "denomination": ("deno", "denomination_de_l_edifice", "chpdeno"),
    "insee": ("insee", "cog_insee_lors_de_la_protection", "chpinsee"),
    # A3 ``Commune`` is the index form and ``Commune 1`` the editorial one; A4 swaps them
    "commune": ("commune_1", "commune_forme_editoriale", "com", "chpcom", "commune"),
    "departement": ("dpt", "code_departement", "departement_format_numerique", "chpdpt"),
    "region": ("reg", "region", "chpreg"),
    "address": ("adresse_1", "adresse_forme_editoriale", "adrs", "chpadrs", "adresse"),
    "dpro": ("dpro", "date_de_protection", "date_et_typologie_de_la_protection", "chpdpro"),
    "ppro": (
        "ppro",
        "precision_protection",
        "precision_de_la_protection",
        "precision_sur_la_protection",
        "chpppro",
    ),
    "nature": ("nature_de_la_protection", "chpprot"),
    "authors": ("autr", "auteur", "auteur_de_l_edifice", "chpautr"),
    "centuries": (
        "scle",
        "siecle",
        "siecle_de_la_campagne_principale_de_construction",
        "chpscle",
    ),
    "status": ("stat", "statut", "statut_juridique_de_l_edifice"),
    "affectataire": ("affe", "affectataire", "etablissement_affectataire_de_l_edifice"),
    "history": ("hist", "historique", "chphist"),
    "description": ("desc", "description", "description_de_l_edifice"),
    "study": ("etud", "cadre_de_l_etude"),
    "updated": ("dmaj", "date_de_la_derniere_mise_a_jour"),
    "latlon": (
        "coordonnees",
        "p_coordonnees",
        "coordonnees_au_format_wgs84",
        "coordonnees_ban",
        "chpcoorwgs84",
        "geo_point_2d",
    ),
    "lat": ("latitude",),
    "lon": ("longitude",),
}
#: An INSEE commune code (Corsica: 2A, 2B).
INSEE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
_PROTECTION = re.compile(
    r"(?P<date>\d{4}(?:/\d{1,2}){0,2})?\s*:?\s*(?P<label>(?:dé)?(?:classé|inscrit)[^;:\d]*)",
    re.IGNORECASE,
)
_PROTECTION_ENTRY = re.compile(
    r"(?P<date>\d{4}(?:/\d{1,2}){0,2})\s*:?\s*(?P<label>(?:dé)?(?:classé|inscrit)[^;:\d]*)",
    re.IGNORECASE,
)
#: Coordinates that are a default value rather than a place.
PLACEHOLDERS = {(2.0, 48.0)}
#: Columns whose values key an Inventaire notice without reference (``_keyed_by_content``).
KEYED = ("chpinsee", "chpadrs", "chptico", "chpcada")


def parse_protections(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Protection entries (date, level, partial) of a DPRO text, and the unreadable parts.

    Reads ``1975/01/28 : inscrit MH``, ``1840 : classé MH``, the compact 2017 form joined
    by ``;`` without spaces, ``inscrit MH partiellement`` and malformed mixes.
    """
    entries: list[dict[str, Any]] = []
    unreadable: list[str] = []
    for part in split_values(text):
        whole = _PROTECTION_ENTRY.fullmatch(part)  # the usual form, without a scan
        found = [whole] if whole else list(_PROTECTION.finditer(part))
        if not found:
            unreadable.append(part)
            continue
        for match in found:
            label = match["label"].strip().lower()
            level = (
                "declasse"
                if label.startswith("dé")
                else ("classe" if "class" in label else "inscrit")
            )
            date = match["date"]
            if date is None:
                unreadable.append(part)
            entries.append(
                {
                    "date": "-".join(p.zfill(2) for p in date.split("/")) if date else None,
                    "niveau": level,
                    "partiel": "partiel" in label,
                }
            )
    return entries, unreadable


def overall_protection(entries: list[dict[str, Any]], ppro: str, nature: str) -> str | None:
    """The strongest protection in force: ``classe`` over ``inscrit``, ``_partiel`` if partial."""
    for level in ("classe", "inscrit"):
        matching = [e for e in entries if e["niveau"] == level]
        if matching:
            return f"{level}_partiel" if all(e["partiel"] for e in matching) else level
    text = f"{ppro} {nature}".lower()
    if "non protégé" in text:
        return "aucune"
    if "classement" in text or "classé" in text:
        return "classe_partiel" if "partiel" in text else "classe"
    if "inscription" in text or "inscrit" in text:
        return "inscrit_partiel" if "partiel" in text else "inscrit"
    return None


def split_authors(value: str) -> list[str]:
    """Authors joined by ``;``/``;;``; a part starting in lower case continues the name before
    it (``Vauban Sébastien Le Prestre de;marquis (ingénieur militaire)``)."""
    authors: list[str] = []
    for part in split_values(value):
        if authors and part[:1].islower():
            authors[-1] = f"{authors[-1]}, {part}"
        else:
            authors.append(part)
    return authors


def _content_key(*parts: Any) -> str:
    """The built key of a notice without reference: ``INV-`` and 12 hex digits of a hash."""
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:12].upper()
    return f"INV-{digest}"


def _flatten(value: Any) -> Any:
    """JSON values of the POP API: lists of strings become ``;``-joined text."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    return "" if value is None else value


class MerimeeSource(Source):
    name = "merimee"
    base = Base.OBSERVATOIRE
    kind = Kind.MARQUEUR
    default_level = Level.PUBLIC
    suffixes = (".csv", ".utf", ".txt", ".json", ".geojson")
    themes: ClassVar[list[str]] = ["patrimoine"]

    @cached_property
    def communes(self) -> CommuneIndex:
        index = CommuneIndex()
        if not index:
            raise ImportFileError(
                _("Le référentiel des communes est vide : lancez « manage.py load_territories ».")
            )
        return index

    def records(self) -> Iterator[Record]:
        _name, data = read_bytes(self.path, self.suffixes)
        text, latin_lines = decode_text(data)
        if latin_lines:
            self.file_warning(
                _("Encodage mixte : %(n)s lignes lues en Latin-1 (première : %(first)s).")
                % {"n": len(latin_lines), "first": latin_lines[0]}
            )
        stripped = text.lstrip()
        if stripped[:1] in "{[":
            # GeoJSON properties vary from feature to feature: look at all of them
            rows: Iterable[Record] = list(self._json_records(stripped))
            keys = set().union(*(r.data for r in rows if "__columns__" not in r.data))
            columns = self._columns(dict.fromkeys(keys, ""))
        else:
            rows, columns = delimited_records(text), None
        rows = iter(rows)
        for record in rows:
            if "__columns__" in record.data:
                yield record
                continue
            if columns is None:
                columns = self._columns(record.data)
            if "ref" not in columns:
                yield from self._keyed_by_content(chain([record], rows), columns)
                return
            yield self._fold(record, columns)

    def _fold(self, record: Record, columns: dict[str, str]) -> Record:
        """The record with its columns renamed to the canonical names of ``ALIASES``."""
        data = {c: record.data.get(k, "") for c, k in columns.items()}
        data["__geometry__"] = record.data.get("__geometry__")
        return Record(record.row, data)

    def _keyed_by_content(
        self, rows: Iterable[Record], columns: dict[str, str]
    ) -> Iterator[Record]:
        """The records of an Inventaire file without reference, keyed on their content.

        The key (``INV-`` and 12 hex digits) hashes the commune, address, title and cadastre:
        it holds while a notice keeps these four, whatever else is edited, so that the next
        export updates the resources in place. Distinct notices may share all four (a house
        and its garden on one parcel: three pairs in the Toulouse file, with different points
        and histories); they would share the key, and all but the first be rejected as
        duplicates. Their key hashes the whole notice instead (every column and the point), so
        that only rows that are the same are duplicates, while every notice whose four values
        are its own keeps the key it always had. The price is paid by the shared ones only: an
        edit of any of their values gives them a new key (a new resource at the next import).
        The whole file is read first: whether four values are shared is known only at its end.
        """
        read = list(rows)
        keys = [
            None if "__columns__" in r.data else _content_key(*(r.data.get(k, "") for k in KEYED))
            for r in read
        ]
        shared = {key for key, n in Counter(keys).items() if key and n > 1}
        if shared:
            self.file_warning(
                _(
                    "%(n)s notices partagent commune, adresse, titre et cadastre avec une autre : "
                    "leur identifiant est construit sur toute la notice."
                )
                % {"n": sum(1 for key in keys if key in shared)},
                "reference",
            )
        for record, key in zip(read, keys, strict=True):
            if key is None:
                yield record
                continue
            folded = self._fold(record, columns)
            folded.data["ref"] = (
                _content_key(
                    json.dumps(record.data, sort_keys=True, ensure_ascii=False, default=str)
                )
                if key in shared
                else key
            )
            yield folded

    def _json_records(self, text: str) -> Iterator[Record]:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(_("JSON illisible : %(err)s.") % {"err": exc}) from exc
        if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
            items = doc.get("features") or []
        elif isinstance(doc, dict) and isinstance(doc.get("results"), list):
            items = doc["results"]
        elif isinstance(doc, list):
            items = doc
        else:
            raise ImportFileError(_("JSON inattendu : ni FeatureCollection ni liste de notices."))
        if not items:
            raise ImportFileError(_("Le fichier ne contient aucune notice."))
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                yield Record(number, {"__columns__": 0, "__expected__": 1})
                continue
            props = item.get("properties", item) if "geometry" in item else item
            data = {header_key(k): _flatten(v) for k, v in (props or {}).items()}
            data["__geometry__"] = item.get("geometry")
            yield Record(number, data)

    def _columns(self, first: dict[str, Any]) -> dict[str, str]:
        keys = set(first)
        columns = {}
        for canonical, aliases in ALIASES.items():
            found = next((a for a in aliases if a in keys), None)
            if found:
                columns[canonical] = found
        if "ref" not in columns:
            if "chptico" not in keys:
                raise ImportFileError(
                    _("Colonne obligatoire absente : la référence (REF, Référence, reference).")
                )
            self.file_warning(
                _(
                    "Aucune référence Mérimée dans ce fichier : identifiant construit à partir "
                    "de la commune, de l'adresse, du titre et du cadastre."
                ),
                "reference",
            )
        if "title" not in columns:
            self.file_warning(_("Aucune colonne de titre : titre construit depuis la référence."))
        return columns

    def map(self, record: Record) -> Mapped:
        d = record.data
        if "__columns__" in d:
            raise RowError(
                "",
                _("Nombre de colonnes incorrect : %(n)s au lieu de %(m)s.")
                % {"n": d["__columns__"], "m": d["__expected__"]},
            )
        ref = str(d.get("ref") or "").strip()
        try:
            return self._map(d, ref)
        except RowError as exc:
            exc.source_id = ref
            raise

    def _map(self, d: dict[str, Any], ref: str) -> Mapped:
        mapped = Mapped(source_id=ref, fields={})
        if ref and not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{8}|INV-[0-9A-F]{12}", ref):
            mapped.warn("reference", _("Référence inhabituelle : « %(ref)s ».") % {"ref": ref})
        attributes: dict[str, Any] = {"reference": ref}
        insee_codes = self._communes(d, mapped, attributes)
        geom = self._geometry(d, mapped, insee_codes, attributes)
        self._protection(d, mapped, attributes)
        for name, key in (
            ("denomination", "denomination"),
            ("statut", "status"),
            ("etude", "study"),
            ("affectataire", "affectataire"),
            ("adresse", "address"),
            ("region", "region"),
            ("departement", "departement"),
            ("mise_a_jour", "updated"),
        ):
            value = str(d.get(key) or "").strip()
            if value:
                attributes[name] = value
        centuries = split_values(str(d.get("centuries") or ""))
        if centuries:
            attributes["siecles"] = centuries
            attributes["epoque"] = " ; ".join(centuries)[:500]
        authors = split_authors(str(d.get("authors") or ""))
        if authors:
            attributes["auteurs"] = authors
        title = str(d.get("title") or "").strip() or str(d.get("denomination") or "").strip()
        commune = attributes.get("commune", "")
        mapped.fields = {
            "title": title or _("Monument %(ref)s") % {"ref": ref},
            "summary": " — ".join(p for p in (commune, attributes.get("adresse", "")) if p),
            "description": "\n\n".join(
                str(d.get(k) or "").strip() for k in ("description", "history") if d.get(k)
            ),
            "themes": self.themes,
            "geom": geom,
            "attributes": attributes,
        }
        return mapped

    def _communes(self, d: dict[str, Any], mapped: Mapped, attributes: dict[str, Any]) -> list[str]:
        """Known INSEE codes of the row (several for multi-commune rows), resolving names when
        the code is missing."""
        raw_codes = split_values(str(d.get("insee") or ""))
        names = split_values(str(d.get("commune") or ""))
        departements = split_values(str(d.get("departement") or ""))
        codes = []
        for code in raw_codes:
            code = code.upper()
            if not INSEE_CODE.match(code):
                mapped.warn("insee", _("Code INSEE invalide : « %(c)s ».") % {"c": code})
            elif code not in codes:
                codes.append(code)
        if not any(c in self.communes.points for c in codes):
            codes = []
            for name in names:
                code = self.communes.insee_by_name(name, departements[0] if departements else "")
                if code:
                    codes.append(code)
            if codes:
                mapped.warn(
                    "insee",
                    _("Code INSEE absent ou inconnu : commune(s) retrouvée(s) par le nom (%(c)s).")
                    % {"c": ", ".join(codes)},
                )
        known = [c for c in codes if c in self.communes.points]
        if len(codes) > 1:
            mapped.warn(
                "insee",
                _("Plusieurs communes (%(c)s) : rattaché à la première.") % {"c": ", ".join(codes)},
            )
        if codes:
            attributes["communes_insee"] = codes
            attributes["commune_insee"] = (known or codes)[0]
        if names:
            attributes["commune"] = " ; ".join(names)
        return known

    def _coordinates(self, d: dict[str, Any]) -> tuple[float, float] | None:
        """(lon, lat) from a GeoJSON point, a ``lat,lon`` string or list, or lat/lon columns."""
        geometry = d.get("__geometry__")
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            lon, lat = geometry["coordinates"][:2]
            return float(lon), float(lat)
        value = d.get("latlon")
        try:
            if isinstance(value, dict):
                return float(value["lon"]), float(value["lat"])
            if isinstance(value, list) and len(value) == 2:
                return float(value[1]), float(value[0])
            if isinstance(value, str) and value.strip():
                lat, lon = (float(v) for v in value.replace(" ", "").split(","))
                return lon, lat
            if str(d.get("lat") or "").strip() and str(d.get("lon") or "").strip():
                return float(d["lon"]), float(d["lat"])
        except (ValueError, TypeError, KeyError):
            raise RowError(
                "coordonnees", _("Coordonnées illisibles : « %(v)s ».") % {"v": value}
            ) from None
        return None

    def _point(self, lon: float, lat: float) -> Point:
        """One shared Point per place: commune points repeat across thousands of rows."""
        cache = self.__dict__.setdefault("_points", {})
        if (lon, lat) not in cache:
            cache[(lon, lat)] = Point(lon, lat, srid=4326)
        return cache[(lon, lat)]

    def _geometry(
        self, d: dict[str, Any], mapped: Mapped, insee: list[str], attributes: dict[str, Any]
    ) -> Point:
        coords = self._coordinates(d)
        if coords is not None:
            lon, lat = coords
            if (lon, lat) in PLACEHOLDERS:
                mapped.warn("coordonnees", _("Coordonnées factices (48.0, 2.0) ignorées."))
            elif self.communes.in_france(lon, lat):
                attributes["geoloc_precision"] = "coordonnees"
                return self._point(lon, lat)
            elif self.communes.in_france(lat, lon):
                mapped.warn("coordonnees", _("Latitude et longitude inversées : corrigées."))
                attributes["geoloc_precision"] = "coordonnees"
                return self._point(lat, lon)
            else:
                mapped.warn(
                    "coordonnees",
                    _("Point hors de France (%(lon)s, %(lat)s) : localisé à la commune.")
                    % {"lon": lon, "lat": lat},
                )
        if insee:
            attributes["geoloc_precision"] = "commune"
            return self._point(*self.communes.points[insee[0]])
        raise RowError(
            "geom",
            _(
                "Aucune localisation : ni coordonnées ni commune connue du référentiel "
                "(INSEE « %(insee)s », commune « %(name)s »)."
            )
            % {"insee": d.get("insee") or "", "name": d.get("commune") or ""},
        )

    def _protection(self, d: dict[str, Any], mapped: Mapped, attributes: dict[str, Any]) -> None:
        dpro = str(d.get("dpro") or "")
        ppro = str(d.get("ppro") or "").strip()
        entries, unreadable = parse_protections(dpro)
        for part in unreadable:
            mapped.warn(
                "date_de_protection",
                _("Date de protection illisible : « %(v)s ».") % {"v": part},
            )
        if entries:
            attributes["protections"] = entries
        protection = overall_protection(entries, ppro, str(d.get("nature") or ""))
        if protection:
            attributes["protection"] = protection
        if ppro:
            attributes["precision_protection"] = ppro
