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
#: Simplification of the communes' outlines on the map, in degrees (about 100 m).
MAP_TOLERANCE = 0.001


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


def partners(qs: QuerySet, viewer: User | AnonymousUser) -> list[tuple[str, int]]:
    """Missions of ``qs`` per partner: the actor profiles they credit (any role: maîtrise
    d'œuvre, accompagnement, partenaire) that ``viewer`` may see, and the names written in
    their « partenaires » field (separated by commas or semicolons); one mission counts once
    per partner whichever way it names it (names compared without case)."""
    sub, params = _compiled(qs, "id", "attributes")
    profiles, profile_params = (
        Profile.objects.visible_to(viewer).values("id").query.sql_with_params()
    )
    rows = _rows(
        f"""SELECT min(t.name), count(DISTINCT t.id)
              FROM (SELECT m.id, p.name
                      FROM ({sub}) m
                      JOIN {Credit._meta.db_table} c ON c.resource_id = m.id
                      JOIN {Profile._meta.db_table} p ON p.id = c.profile_id
                     WHERE p.id IN ({profiles})
                    UNION ALL
                    SELECT m.id, btrim(x)
                      FROM ({sub}) m
                     CROSS JOIN LATERAL regexp_split_to_table(
                           coalesce(m.attributes ->> 'partenaires', ''), '[,;]') AS x
                     WHERE btrim(x) <> '') t
             GROUP BY lower(t.name) ORDER BY 2 DESC, 1 LIMIT %s""",
        [*params, *profile_params, *params, TOP_PARTNERS],
    )
    return [(name, n) for name, n in rows]


def build(qs: QuerySet, viewer: User | AnonymousUser) -> Report:
    """The counts of ``qs`` (already ``visible_to(viewer)`` and filtered), grouped in SQL."""
    report = Report()
    report.by_partner = partners(qs, viewer)
    sub, params = _compiled(qs, "id", "kind", "date_start", "communes", "epcis")
    per_year = _rows(
        f"""SELECT m.kind, EXTRACT(YEAR FROM m.date_start)::int AS year, count(*)
              FROM ({sub}) m GROUP BY 1, 2""",
        params,
    )
    report.by_kind_year = {(kind, year): n for kind, year, n in per_year}
    report.total = sum(report.by_kind_year.values())
    present = {kind for kind, _y, _n in per_year}
    report.kinds = [k for k in KIND_LABELS if k in present]
    report.years = sorted({y for _k, y, _n in per_year}, key=lambda y: (y is None, y or 0))
    report.by_kind_epci = [
        (kind, code, name or code, n)
        for kind, code, name, n in _rows(
            f"""SELECT m.kind, e.code, x.name, count(*)
                  FROM ({sub}) m CROSS JOIN LATERAL unnest(m.epcis) AS e(code)
                  LEFT JOIN {Epci._meta.db_table} x ON x.siren = e.code
                 GROUP BY 1, 2, 3 ORDER BY 4 DESC, 3, 1""",
            params,
        )
    ]
    report.by_kind_commune = [
        (kind, code, name or code, n)
        for kind, code, name, n in _rows(
            f"""SELECT m.kind, c.code, x.name, count(*)
                  FROM ({sub}) m CROSS JOIN LATERAL unnest(m.communes) AS c(code)
                  LEFT JOIN {Commune._meta.db_table} x ON x.insee = c.code AND x.type = 'COM'
                 GROUP BY 1, 2, 3 ORDER BY 4 DESC, 3, 1""",
            params,
        )
    ]
    # the top communes add up the (kind, commune) counts already grouped by PostgreSQL
    totals: dict[tuple[str, str], int] = {}
    for _kind, code, name, n in report.by_kind_commune:
        totals[(code, name)] = totals.get((code, name), 0) + n
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0][1]))
    report.top_communes = [(code, name, n) for (code, name), n in ranked[:TOP_COMMUNES]]
    return report


def communes_geojson(qs: QuerySet) -> dict[str, Any]:
    """The communes concerned by ``qs`` with their count of missions, as GeoJSON (outlines
    simplified), for the choropleth; at most :data:`MAP_COMMUNES`, the busiest first."""
    sub, params = _compiled(qs, "id", "communes")
    rows = _rows(
        f"""WITH counts AS (
              SELECT c.code, count(*) AS n
                FROM ({sub}) m CROSS JOIN LATERAL unnest(m.communes) AS c(code)
               GROUP BY 1 ORDER BY 2 DESC LIMIT %s)
            SELECT json_build_object('type', 'FeatureCollection', 'features',
                   coalesce(json_agg(json_build_object(
                     'type', 'Feature', 'id', x.insee,
                     'properties', json_build_object('insee', x.insee, 'nom', x.name,
                                                     'missions', counts.n),
                     'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(x.geom, %s), 5)::json)
                   ORDER BY counts.n DESC), '[]'::json))
              FROM counts JOIN {Commune._meta.db_table} x
                ON x.insee = counts.code AND x.type = 'COM' AND x.geom IS NOT NULL""",
        [*params, MAP_COMMUNES, MAP_TOLERANCE],
    )
    value = rows[0][0]
    return json.loads(value) if isinstance(value, str) else value


def public_viewer() -> AnonymousUser:
    """Whom the public version is computed for: an anonymous visitor (public, validated)."""
    return AnonymousUser()
