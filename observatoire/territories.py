"""Territories of resources (communes, EPCI, départements, régions), derived from geometry.

PostgreSQL derives them on every write (``sql/territories.sql``: a BEFORE trigger running one
statement over the GiST-indexed pieces of the communes). Many rows at once are derived by
joins instead (:func:`derived_sql`), the trigger standing aside: :func:`rederive` after the
territories are reloaded, and imports for their staged rows. The parsing of territory codes
given by people is :mod:`geo.codes`.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Q
from django.dispatch import receiver

from geo.codes import parse_codes
from geo.territories import territories_changed

#: The derived columns, in the order of ``spass_territories()``'s results.
COLUMNS = ("communes", "epcis", "departements", "regions")


def derived_sql(rows: str) -> str:
    """A SELECT of ``k`` and the four derived columns for every row of ``rows`` (a SELECT of
    ``k``, ``geom``, ``typed`` — the typed INSEE code — and ``scope`` — a commune, EPCI or
    département the whole row concerns), as ``spass_territories()`` computes them one row at
    a time, but as joins: one GiST-indexed spatial join over the commune pieces for all the
    rows (45,000 points: about 1 s, against 8 s through the function called row by row).
    Rows matching nothing get empty lists."""
    return f"""
      WITH src AS MATERIALIZED ({rows}),
      hits AS (
        SELECT s.k, c.insee, c.epci, c.departement, c.region
          FROM src s JOIN geo_commune c
            ON coalesce(s.scope, '') <> '' AND c.type = 'COM'
           AND (c.insee = s.scope OR c.epci = s.scope OR c.departement = s.scope)
        UNION ALL
        SELECT s.k, p.insee, p.epci, p.departement, p.region
          FROM src s JOIN geo_communepart p
            ON coalesce(s.scope, '') = '' AND ST_Intersects(p.geom, s.geom)
           AND (ST_Dimension(s.geom) < 2 OR NOT ST_Touches(p.geom, s.geom))
        UNION ALL
        (SELECT DISTINCT ON (s.k) s.k, coalesce(nullif(c.parent_insee, ''), c.insee), c.epci,
               c.departement, c.region
          FROM src s JOIN geo_commune c
            ON s.geom IS NULL AND coalesce(s.scope, '') = '' AND c.insee = upper(btrim(s.typed))
         ORDER BY s.k, CASE c.type WHEN 'COM' THEN 0 WHEN 'ARM' THEN 1 WHEN 'COMD' THEN 2
                                   ELSE 3 END))
      SELECT s.k,
             coalesce(array_agg(DISTINCT h.insee ORDER BY h.insee)
                      FILTER (WHERE h.insee IS NOT NULL), '{{}}')::varchar[] AS communes,
             coalesce(array_agg(DISTINCT h.epci ORDER BY h.epci)
                      FILTER (WHERE h.epci <> ''), '{{}}')::varchar[] AS epcis,
             coalesce(array_agg(DISTINCT h.departement ORDER BY h.departement)
                      FILTER (WHERE h.departement IS NOT NULL), '{{}}')::varchar[] AS departements,
             coalesce(array_agg(DISTINCT h.region ORDER BY h.region)
                      FILTER (WHERE h.region <> ''), '{{}}')::varchar[] AS regions
        FROM src s LEFT JOIN hits h ON h.k = s.k
       GROUP BY s.k"""


#: The columns :func:`derived_sql` reads, from a table aliased ``r`` with a geometry and the
#: resources' ``attributes``.
SOURCE_COLUMNS = (
    "r.geom, r.attributes ->> 'commune_insee' AS typed, r.attributes ->> 'territoire' AS scope"
)


def rederive(where: str = "", params: list | None = None) -> int:
    """Recompute the territories of the resources matching ``where`` (SQL over ``r``; all by
    default) in one set-based statement, the row trigger standing aside; only the rows whose
    territories change are written (no new version in their history for the others).
    Returns the number of rows updated."""
    rows = (
        f"SELECT r.id AS k, {SOURCE_COLUMNS} FROM observatoire_resource r"
        f"{' WHERE ' + where if where else ''}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL spass.territories_written = 'on'")
        cursor.execute(
            f"""UPDATE observatoire_resource r
                   SET (communes, epcis, departements, regions) =
                       (d.communes, d.epcis, d.departements, d.regions)
                  FROM ({derived_sql(rows)}) d
                 WHERE r.id = d.k
                   AND (r.communes, r.epcis, r.departements, r.regions)
                       IS DISTINCT FROM (d.communes, d.epcis, d.departements, d.regions)""",
            params or [],
        )
        count = cursor.rowcount
        cursor.execute("SET LOCAL spass.territories_written = 'off'")
    return count


@receiver(territories_changed)
def _territories_reloaded(sender, **kwargs) -> None:
    """The reference changed (``load_territories``): every resource's territories follow."""
    rederive()


#: Query parameter (REST, maps, search) → derived column.
PARAMETERS = {
    "commune": "communes",
    "epci": "epcis",
    "departement": "departements",
    "region": "regions",
}


def territory_q(parameter: str, value: str) -> Q:
    """Resources in any of the territories ``value`` names (codes separated by commas) for
    the query ``parameter`` (``commune``, ``epci``, ``departement``, ``region``); answered by
    the GIN index of the derived column."""
    scope = parse_codes(PARAMETERS[parameter], value)
    return Q(**{f"{scope.column}__overlap": list(scope.codes)})


def cql2_clause(parameter: str, value: str) -> str:
    """The same condition as CQL2 text, for filters saved as text (maps' layers, tiles)."""
    scope = parse_codes(PARAMETERS[parameter], value)
    return f"{scope.column} IN ({', '.join(repr(c) for c in scope.codes)})"
