"""Pages of GeoJSON built by PostgreSQL around the compiled ``visible_to(user)`` query.

Django compiles the queryset (the visibility rule, the collection, the filters, the order)
into a plain list of columns; one statement wraps it, cuts the page and turns it into
GeoJSON text with ``json_build_object``/``ST_AsGeoJSON``, so Python never touches a row.

Compiling the visibility rule costs more than running it on an indexed page, so the SQL of
queries whose only variable parts are the page and the feature id (``items`` without
filters, ``item``) is kept per process (the one memo, :class:`workgroups.edge.Memo`), keyed
by collection, person and output shape. What is kept is the SQL text of
``Resource.objects.visible_to(user)``: memberships, levels and validation are read by that
SQL at each execution, never cached.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

from geo.prepared import fetchone
from workgroups.edge import Memo, person_key

from . import crs as crs_mod

Compiled = tuple[str, tuple[Any, ...]] | None

#: Compiled SQL and base queries by shape; small: a process serves few (person, shape) pairs.
memo = Memo(512)
remember = memo.get
__all__ = ["Compiled", "compiled", "count_upto", "page", "person_key", "remember"]


def compiled(key: Hashable | None, build: Callable[[], QuerySet]) -> Compiled:
    """SQL and parameters of ``build()`` (None when Django knows it matches nothing); kept
    under ``key`` unless ``key`` is None (queries with request-specific filters)."""
    if key is not None:
        return remember(("sql", key), lambda: compiled(None, build))
    try:
        return build().query.sql_with_params()
    except EmptyResultSet:  # a filter Django knows matches nothing (``IN ()``…)
        return None


def page(
    inner: Compiled,
    names: tuple[str, ...],
    out_crs: crs_mod.Crs,
    skip_geometry: bool,
    limit: int | None = None,
    offset: int = 0,
    pk: int | None = None,
    prepared: bool = False,
    count_upto: int = 0,
    counted_rows: Compiled = None,
) -> tuple[str, int, int | None]:
    """The features of ``inner`` (columns: id, geom, then ``names``) from ``offset``, at most
    ``limit``, or only feature ``pk``: one JSON text (features separated by commas), their
    number and, with ``count_upto`` > offset + limit, how many rows ``inner`` has counted no
    further than ``count_upto`` (same statement; may be None when the page is not full, where
    offset + its rows is the count).
    ``prepared``: ``inner`` is a kept SQL text, worth a prepared statement.
    ``counted_rows``: the same rows as ids only (no join for output columns), counted apart
    from the page; without it, page and count come from one window over ``inner``."""
    if inner is None:
        return "", 0, 0
    sql, params = inner
    counted = limit is not None and count_upto > offset + limit
    select, tail = _outer_sql(names, out_crs, skip_geometry)
    page_params: tuple[Any, ...] = params
    if pk is not None:
        tail += " WHERE p.c0 = %s"
        page_params = (*params, pk)
    if counted and counted_rows is not None:
        # A whole collection, where the count reads many more rows than the page: count
        # them apart (no column carried), and only when the page is full.
        count_sql, count_params = counted_rows
        select += f", CASE WHEN count(*) = %s THEN ({_capped_count(count_sql)}) END"
        page_params = (limit, *count_params, count_upto, *page_params)
    elif counted:
        # A filtered SQL is mostly selective: page and count in one pass over its rows.
        select += f", max(p.c{len(names) + 2})"
        tail = f"{tail[:-1]}, c{len(names) + 2})"
        sql = f"SELECT q.*, count(*) OVER () FROM (SELECT * FROM ({sql}) AS q0 LIMIT %s) AS q"
        page_params = (*page_params, count_upto)
    if limit is not None:
        sql = f"SELECT * FROM ({sql}) AS q LIMIT %s OFFSET %s"
        page_params = (*page_params, limit, offset)
    row = fetchone(f"{select} FROM ({sql}{tail}", page_params, prepared)
    return row[0] or "", row[1], row[2] if counted else None


def count_upto(inner: Compiled, cap: int, prepared: bool = False) -> int:
    """How many rows ``inner`` has, counting no further than ``cap``."""
    if inner is None:
        return 0
    sql, params = inner
    return fetchone(_capped_count(sql), (*params, cap), prepared)[0]


def _capped_count(sql: str) -> str:
    """How many rows ``sql`` has, no further than its one more parameter, the cap."""
    return f"SELECT count(*) FROM (SELECT 1 FROM ({sql}) AS q LIMIT %s) AS c"


@lru_cache(maxsize=256)
def _outer_sql(
    names: tuple[str, ...], out_crs: crs_mod.Crs, skip_geometry: bool
) -> tuple[str, str]:
    """``SELECT string_agg(feature), count(*)`` and ``) AS p(c0, c1, …)`` for one output
    shape; the inner columns are renamed by position (c0 id, c1 geom, c2… names)."""
    if skip_geometry:
        geometry = "NULL::json"
    else:
        geom = "p.c1"
        if out_crs.srid != 4326:
            geom = f"ST_Transform({geom}, {int(out_crs.srid)})"
        if out_crs.lat_first:
            geom = f"ST_FlipCoordinates({geom})"
        geometry = f"ST_AsGeoJSON({geom}, {int(out_crs.precision)})::json"
    props = ", ".join(f"{_literal(name)}, p.c{i}" for i, name in enumerate(names, start=2))
    aliases = ", ".join(f"c{i}" for i in range(len(names) + 2))
    feature = (
        f"json_build_object('type', 'Feature', 'id', p.c0, 'geometry', {geometry}, "
        f"'properties', json_build_object({props}))"
    )
    select = f"SELECT string_agg({feature}::text, ','), count(*)"
    return select.replace("%", "%%"), f") AS p({aliases})"


def _literal(name: str) -> str:
    """A property name as an SQL string literal (names come from the registry)."""
    return "'" + name.replace("'", "''") + "'"
