"""The activity report of a group: its Activité missions counted by kind × year, by kind ×
EPCI and commune, the top communes, and the communes' outlines for the choropleth.

Every count starts from ``Resource.objects.visible_to(viewer)`` — an anonymous viewer for the
public version, so that it counts only public, validated missions — compiled to SQL and
grouped by PostgreSQL (``GROUP BY`` over ``unnest`` of the derived territories); no row is
iterated in Python.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from actors.models import Credit, Profile
from geo.codes import UnknownTerritory, parse_codes
from geo.models import Commune, Departement, Epci, Region
from observatoire.catalogue import period_q
from observatoire.kinds import KINDS_OF_BASE, Base, Kind
from observatoire.models import Resource
from workgroups.models import Group, User

#: Communes drawn on the choropleth at most (a report over a whole region stays light).
MAP_COMMUNES = 3000
#: Rows of the « top communes » table.
TOP_COMMUNES = 10
#: Partners listed (the busiest first).
TOP_PARTNERS = 50
#: Decimals of the choropleth's coordinates: 0.0001° is about 10 m, well below the 100 m
#: to which the outlines are simplified (:data:`geo.territories.COMMUNE_OUTLINE_TOLERANCE`).
MAP_DECIMALS = 4


class ReportError(ValueError):
    """Bad report parameters; ``errors`` are French messages keyed by parameter."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True)
class Territory:
    """The territory a report is narrowed to: its derived column, code and name."""

    column: str
    code: str
    name: str

    @property
    def parameter(self) -> str:
        return {"communes": "commune", "epcis": "epci"}.get(self.column, self.column[:-1])


@dataclass(frozen=True)
class Params:
    start: dt.date | None = None
    end: dt.date | None = None
    territory: Territory | None = None

    def query(self) -> dict[str, str]:
        out = {}
        if self.start:
            out["debut"] = self.start.isoformat()
        if self.end:
            out["fin"] = self.end.isoformat()
        if self.territory:
            out["territoire"] = self.territory.code
        return out


def _date(name: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ReportError(
            {name: _("Date attendue au format AAAA-MM-JJ, reçu « %(v)s ».") % {"v": value}}
        ) from None


def _territory(code: str) -> Territory:
    """A commune (5 characters), an EPCI (9 digits), a département or a région code."""
    code = code.strip().upper()
    if len(code) == 9 or (code.isdigit() and len(code) > 5):
        column = "epcis"
    elif len(code) == 5:
        column = "communes"
    elif code.startswith("R"):
        column, code = "regions", code[1:]
    else:
        column = "departements"
    try:
        parse_codes(column, code)
    except UnknownTerritory as exc:
        raise ReportError({"territoire": str(exc)}) from None
    names = {
        "communes": lambda: Commune.objects.filter(insee=code, type="COM").first(),
        "epcis": lambda: Epci.objects.filter(siren=code).first(),
        "departements": lambda: Departement.objects.filter(code=code).first(),
        "regions": lambda: Region.objects.filter(code=code).first(),
    }
    place = names[column]()
    return Territory(column, code, getattr(place, "name", code))


def parse(query: Mapping[str, str]) -> Params:
    """``debut``, ``fin`` (AAAA-MM-JJ) and ``territoire`` (INSEE code of a commune, SIREN of
    an EPCI, code of a département, ``R`` + code of a région); ReportError if wrong."""
    errors: dict[str, str] = {}
    start = end = territory = None
    for name in ("debut", "fin"):
        value = query.get(name, "").strip()
        if value:
            try:
                parsed = _date(name, value)
            except ReportError as exc:
                errors.update(exc.errors)
                continue
            start, end = (parsed, end) if name == "debut" else (start, parsed)
    if start and end and start > end:
        errors["fin"] = _("La date de fin (%(fin)s) précède la date de début (%(debut)s).") % {
            "fin": end.isoformat(),
            "debut": start.isoformat(),
        }
    code = query.get("territoire", "").strip()
    if code:
        try:
            territory = _territory(code)
        except ReportError as exc:
            errors.update(exc.errors)
    if errors:
        raise ReportError(errors)
    return Params(start, end, territory)


def missions(viewer: User | AnonymousUser, group: Group, params: Params) -> QuerySet:
    """The group's missions the viewer may see, within the period and territory."""
    qs = Resource.objects.visible_to(viewer).filter(group=group, base=Base.ACTIVITE)
    qs = qs.filter(period_q(params.start, params.end))
    if params.territory:
        qs = qs.filter(**{f"{params.territory.column}__contains": [params.territory.code]})
    return qs


def _rows(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _compiled(qs: QuerySet, *columns: str) -> tuple[str, list[Any]]:
    sql, params = qs.order_by().values(*columns).query.sql_with_params()
    return sql, list(params)


KIND_LABELS = {k: str(Kind(k).label) for k in KINDS_OF_BASE[Base.ACTIVITE]}


@dataclass
class Report:
    """Counts of a report; every table is a list of rows (what the page, CSV and ODS show)."""

    total: int = 0
    kinds: list[str] = field(default_factory=list)
    years: list[int | None] = field(default_factory=list)
    by_kind_year: dict[tuple[str, int | None], int] = field(default_factory=dict)
    by_kind_epci: list[tuple[str, str, str, int]] = field(default_factory=list)
    by_kind_commune: list[tuple[str, str, str, int]] = field(default_factory=list)
    top_communes: list[tuple[str, str, int]] = field(default_factory=list)
    by_partner: list[tuple[str, int]] = field(default_factory=list)
    #: Rows of the kinds × EPCI and kinds × communes tables, all of them even when ``build``
    #: was given a ``limit`` (the page shows the first rows, the CSV has them all).
    epci_rows: int = 0
    commune_rows: int = 0

    def kind_year_rows(self) -> list[dict[str, Any]]:
        """One row per kind: its label, the count of each year, its total."""
        rows = []
        for kind in self.kinds:
            counts = [self.by_kind_year.get((kind, y), 0) for y in self.years]
            rows.append(
                {"kind": kind, "label": KIND_LABELS[kind], "counts": counts, "total": sum(counts)}
            )
        return rows

    def year_totals(self) -> list[int]:
        return [sum(self.by_kind_year.get((k, y), 0) for k in self.kinds) for y in self.years]

    def tables(self) -> list[tuple[str, list[str], list[list[Any]]]]:
        """The tables as (title, header, rows): the one source of CSV, ODS and PDF."""
        year_label = [str(y) if y is not None else _("sans date") for y in self.years]
        kind_year = [[row["label"], *row["counts"], row["total"]] for row in self.kind_year_rows()]
        kind_year.append([_("Total"), *self.year_totals(), self.total])
        return [
            (
                _("Missions par type et par année"),
                [_("Type"), *year_label, _("Total")],
                kind_year,
            ),
            (
                _("Missions par type et par EPCI"),
                [_("Type"), _("SIREN"), _("EPCI"), _("Missions")],
                [[KIND_LABELS[k], c, n, v] for k, c, n, v in self.by_kind_epci],
            ),
            (
                _("Missions par type et par commune"),
                [_("Type"), _("Code INSEE"), _("Commune"), _("Missions")],
                [[KIND_LABELS[k], c, n, v] for k, c, n, v in self.by_kind_commune],
            ),
            (
                _("Communes les plus concernées"),
                [_("Code INSEE"), _("Commune"), _("Missions")],
                [list(row) for row in self.top_communes],
            ),
            (
                _("Missions par partenaire"),
                [_("Partenaire"), _("Missions")],
                [list(row) for row in self.by_partner],
            ),
        ]


def _partner_names(viewer: User | AnonymousUser) -> tuple[str, list[Any]]:
    """SQL of the (mission id, partner name) pairs of the missions ``m`` (the CTE of
    :func:`build`): the actor profiles they credit (any role: maîtrise d'œuvre,
    accompagnement, partenaire) that ``viewer`` may see, and the names written in their
    « partenaires » field (``m.written``, separated by commas or semicolons; split only
    where there is one: splitting 50,000 empty fields took 75 ms)."""
    profiles, params = Profile.objects.visible_to(viewer).values("id").query.sql_with_params()
    sql = f"""SELECT m.id, p.name
                FROM m
                JOIN {Credit._meta.db_table} c ON c.resource_id = m.id
                JOIN {Profile._meta.db_table} p ON p.id = c.profile_id
               WHERE p.id IN ({profiles})
              UNION ALL
              SELECT w.id, w.name
                FROM (SELECT id, btrim(regexp_split_to_table(written, '[,;]')) AS name
                        FROM m WHERE written <> '') w
               WHERE w.name <> ''"""
    return sql, list(params)


def _json(value: Any) -> Any:
    """A ``json`` column as Python (the driver may hand it over as text), ``[]`` for NULL."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else value


def build(qs: QuerySet, viewer: User | AnonymousUser, limit: int | None = None) -> Report:
    """The counts of ``qs`` (already ``visible_to(viewer)`` and filtered), in ONE statement.

    The missions are read once, into the materialised CTE ``m``: at 50,000 missions among
    2M resources each read of their rows costs about 100 ms (their heap pages are scattered),
    and the report used to read them four times (bench/results/territories/run.md). Every
    table is then grouped from ``m``: kinds × years; kinds × communes, whose sums by
    commune are the top communes; kinds × EPCI; partners. The arrays are unnested in the
    select list (``ProjectSet``), twice as fast as a ``LATERAL unnest`` (a function scan per
    mission). Each table comes back as one JSON array, sorted by PostgreSQL, so only
    the rows shown cross over to Python: with ``limit`` (the page) the EPCI and commune
    tables keep their first ``limit`` rows while ``epci_rows`` and ``commune_rows`` still
    count them all; the CSV, ODS and PDF pass no limit and get every row. The commune rows
    are ranked by count then INSEE code, and named after the cut: ranking 34,000 (kind,
    commune) rows by name first made PostgreSQL join every name (its estimate of an
    ``unnest`` is blind, so it picked a nested loop or a merge join: 100 to 400 ms); the
    1,300 EPCI are few enough to rank by name. A partner counts a mission once whichever
    way it is named (names compared without case)."""
    sub, params = _compiled(qs, "id", "kind", "date_start", "communes", "epcis", "attributes")
    named, named_params = _partner_names(viewer)
    row = _rows(
        f"""WITH m AS MATERIALIZED (
              SELECT s.id, s.kind, s.date_start, s.communes, s.epcis,
                     s.attributes ->> 'partenaires' AS written
                FROM ({sub}) s),
            per_kind_commune AS (
              SELECT kind, code, count(*) AS n
                FROM (SELECT kind, unnest(communes) AS code FROM m) u GROUP BY 1, 2),
            per_commune AS (
              SELECT code, sum(n)::bigint AS n FROM per_kind_commune GROUP BY 1),
            epcis AS (
              SELECT g.kind, g.code, coalesce(x.name, g.code) AS name, g.n
                FROM (SELECT kind, code, count(*) AS n
                        FROM (SELECT kind, unnest(epcis) AS code FROM m) u GROUP BY 1, 2) g
                LEFT JOIN {Epci._meta.db_table} x ON x.siren = g.code),
            partners AS (
              SELECT min(t.name) AS name, count(DISTINCT t.id) AS n
                FROM ({named}) t GROUP BY lower(t.name))
            SELECT
              (SELECT json_agg(json_build_array(y.kind, y.year, y.n))
                 FROM (SELECT kind, EXTRACT(YEAR FROM date_start)::int AS year, count(*) AS n
                         FROM m GROUP BY 1, 2) y),
              (SELECT json_agg(json_build_array(t.kind, t.code, t.name, t.n)
                               ORDER BY t.n DESC, t.name, t.kind)
                 FROM (SELECT * FROM epcis ORDER BY n DESC, name, kind LIMIT %s) t),
              (SELECT count(*) FROM epcis),
              (SELECT json_agg(json_build_array(t.kind, t.code, coalesce(x.name, t.code), t.n)
                               ORDER BY t.n DESC, t.code, t.kind)
                 FROM (SELECT * FROM per_kind_commune ORDER BY n DESC, code, kind LIMIT %s) t
                 LEFT JOIN {Commune._meta.db_table} x ON x.insee = t.code AND x.type = 'COM'),
              (SELECT count(*) FROM per_kind_commune),
              (SELECT json_agg(json_build_array(t.code, coalesce(x.name, t.code), t.n)
                               ORDER BY t.n DESC, t.code)
                 FROM (SELECT * FROM per_commune ORDER BY n DESC, code LIMIT %s) t
                 LEFT JOIN {Commune._meta.db_table} x ON x.insee = t.code AND x.type = 'COM'),
              (SELECT json_agg(json_build_array(t.name, t.n) ORDER BY t.n DESC, t.name)
                 FROM (SELECT * FROM partners ORDER BY n DESC, name LIMIT %s) t)""",
        [*params, *named_params, limit, limit, TOP_COMMUNES, TOP_PARTNERS],
    )[0]
    years, epcis, epci_rows, communes, commune_rows, top, partners = row
    report = Report(epci_rows=epci_rows, commune_rows=commune_rows)
    per_year = _json(years)
    report.by_kind_year = {(kind, year): n for kind, year, n in per_year}
    report.total = sum(report.by_kind_year.values())
    present = {kind for kind, _y, _n in per_year}
    report.kinds = [k for k in KIND_LABELS if k in present]
    report.years = sorted({y for _k, y, _n in per_year}, key=lambda y: (y is None, y or 0))
    report.by_kind_epci = [tuple(r) for r in _json(epcis)]
    report.by_kind_commune = [tuple(r) for r in _json(communes)]
    report.top_communes = [tuple(r) for r in _json(top)]
    report.by_partner = [tuple(r) for r in _json(partners)]
    return report


def _communes_geojson_sql(qs: QuerySet) -> tuple[str, list[Any]]:
    sub, params = _compiled(qs, "id", "communes")
    sql = f"""WITH counts AS (
              SELECT code, count(*) AS n
                FROM (SELECT unnest(m.communes) AS code FROM ({sub}) m) u
               GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %s)
            SELECT json_build_object('type', 'FeatureCollection', 'features',
                   coalesce(json_agg(json_build_object(
                     'type', 'Feature', 'id', x.insee,
                     'properties', json_build_object('insee', x.insee, 'nom', x.name,
                                                     'missions', counts.n),
                     'geometry', ST_AsGeoJSON(coalesce(x.outline, x.geom), %s)::json)
                   ORDER BY counts.n DESC, x.insee), '[]'::json))::text
              FROM counts JOIN {Commune._meta.db_table} x
                ON x.insee = counts.code AND x.type = 'COM' AND x.geom IS NOT NULL"""
    return sql, [*params, MAP_COMMUNES, MAP_DECIMALS]


def communes_geojson_text(qs: QuerySet) -> str:
    """The communes concerned by ``qs`` with their count of missions, as GeoJSON text for the
    choropleth; at most :data:`MAP_COMMUNES`, the busiest first.

    The outlines are the communes' display outlines simplified once by ``load_territories``
    (:attr:`geo.models.Commune.outline`; simplifying 3,000 of them on each request took
    about 100 ms), written with :data:`MAP_DECIMALS` decimals; and the text PostgreSQL
    writes is the answer as it is: at 3,000 communes it weighs 1.5 MB, which Python took
    longer to parse and write again than the query took to make."""
    return _rows(*_communes_geojson_sql(qs))[0][0]


def communes_geojson(qs: QuerySet) -> dict[str, Any]:
    """:func:`communes_geojson_text` as Python (the PDF draws its map from it)."""
    return json.loads(communes_geojson_text(qs))


def public_viewer() -> AnonymousUser:
    """Whom the public version is computed for: an anonymous visitor (public, validated)."""
    return AnonymousUser()
