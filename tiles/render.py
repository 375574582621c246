"""Rendering a tile: one SQL statement wrapped around the SQL of ``visible_to(user)``.

The visible, filtered queryset is compiled by Django (``query.sql_with_params()``) and used as
the sub-select of ``ST_AsMVT``: the visibility rule is never written twice. At high zoom each
feature is drawn; below ``TILES_CLUSTER_BELOW_ZOOM``, and in a tile holding more than
``TILES_MAX_FEATURES`` (counted from the cluster cells, below their finest zoom), features are
counted on a grid of cells aligned on the tile grid, each counted in the one cell holding a
point of its geometry, so the counts of all the tiles of a zoom add up to the number of
visible features.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.db.models import Extent
from django.core.exceptions import FieldError
from django.db.models import F, QuerySet

from geo.prepared import fetchone
from observatoire.catalogue import Collection
from observatoire.fields import tile_properties
from observatoire.models import Resource
from observatoire.summaries import CELL_ZOOMS, ClusterCell
from workgroups.edge import Memo, person_key
from workgroups.models import User

from .conf import tiles_setting
from .grid import BUFFER, EXTENT, MAX_LATITUDE, lonlat_bounds, tile_bounds, tile_size
from .params import TileParams

FEATURES_LAYER = "resources"
CLUSTERS_LAYER = "clusters"


def visible_resources(
    user: User | AnonymousUser, collection: Collection, params: TileParams
) -> QuerySet:
    """What the list shows this person for these filters (TileError on a bad filter)."""
    return Resource.objects.visible_to(user).filter(params.q(collection))


#: Compiled SQL of anonymous requests per (source, collection, params…), the one memo.
memo = Memo(256)


def _compile(build: Callable[[], QuerySet]) -> tuple[str, tuple]:
    sql, params = build().query.sql_with_params()
    return sql, tuple(params)


def _compiled(
    user: User | AnonymousUser, key: tuple, build: Callable[[], QuerySet]
) -> tuple[str, tuple]:
    """SQL and params of ``build()``; for anonymous visitors memoized per ``key`` (the rule
    and filters compile to the same SQL for every anonymous request: no ORM work per tile)."""
    if user.is_authenticated:
        return _compile(build)
    return memo.get((person_key(user), *key), lambda: _compile(build))


def _rows_source(
    user: User | AnonymousUser, collection: Collection, params: TileParams, columns: tuple
):
    """SQL and params of the visible rows (tile rectangle added around it, index-backed);
    a tile property read through a relation (the group's slug) is annotated as its column."""
    lookups = {p.column: p.lookup for p in tile_properties().values()}
    annotations = {c: F(lookups[c]) for c in columns if lookups.get(c, c) != c}
    plain = [c for c in columns if c not in annotations]
    return _compiled(
        user,
        ("rows", collection, params, columns),
        lambda: (
            visible_resources(user, collection, params)
            .order_by()
            .values(*plain, "geom", **annotations)
        ),
    )


def _features_sql(
    user: User | AnonymousUser, collection: Collection, params: TileParams, z: int, x: int, y: int
):
    bounds = tile_bounds(z, x, y)
    margin = tile_size(z) * BUFFER / EXTENT
    properties = tile_properties()
    columns = ("id", *(properties[name].column for name in params.properties if name != "id"))
    inner, inner_params = _rows_source(user, collection, params, (*columns, "geom_mercator"))
    props = "".join(f', {properties[name].sql} AS "{name}"' for name in params.properties)
    sql = (
        f"SELECT ST_AsMVT(mvt, %s, {EXTENT}, 'geom', 'fid') FROM ("
        f'SELECT src."id" AS fid{props}, '
        "ST_AsMVTGeom(src.geom_mercator, ST_MakeEnvelope(%s, %s, %s, %s, 3857), "
        f"{EXTENT}, {BUFFER}, true) AS geom "
        f"FROM ({inner}) AS src WHERE src.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) "
        # OFFSET 0 keeps the planner from evaluating ST_AsMVTGeom twice (filter and select).
        "OFFSET 0) AS mvt WHERE mvt.geom IS NOT NULL"
    )
    return sql, (FEATURES_LAYER, *bounds, *inner_params, *lonlat_bounds(bounds, margin))


def _clusters_sql(
    user: User | AnonymousUser, collection: Collection, params: TileParams, z: int, x: int, y: int
):
    """Grid cells computed from lon/lat with the Web Mercator formulas (no reprojection per
    row), each row evaluated once (materialized), one reprojected point per cluster."""
    cells = int(tiles_setting("TILES_CLUSTER_CELLS"))
    bounds = tile_bounds(z, x, y)
    inner, inner_params = _rows_source(user, collection, params, ("kind",))
    n = float((1 << z) * cells)
    sql = (
        "WITH pts AS MATERIALIZED (SELECT s.kind, ST_X(s.p) AS lon, ST_Y(s.p) AS lat FROM ("
        "SELECT src.kind, CASE WHEN ST_GeometryType(src.geom) = 'ST_Point' THEN src.geom "
        f"ELSE ST_PointOnSurface(src.geom) END AS p FROM ({inner}) AS src "
        "WHERE src.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)) AS s), "
        "cells AS MATERIALIZED (SELECT kind, lon, lat, "
        "floor((lon + 180.0) / 360.0 * %s)::bigint AS cx, "
        "floor((1.0 - ln(tan(pi() / 4.0 + radians(lat) / 2.0)) / pi()) / 2.0 * %s)::bigint AS cy "
        "FROM pts) "
        f"SELECT ST_AsMVT(mvt, %s, {EXTENT}, 'geom') FROM ("
        "SELECT count(*)::integer AS count, mode() WITHIN GROUP (ORDER BY kind) AS kind, "
        "ST_AsMVTGeom(ST_Transform(ST_SetSRID(ST_MakePoint(avg(lon), avg(lat)), 4326), 3857), "
        f"ST_MakeEnvelope(%s, %s, %s, %s, 3857), {EXTENT}, 0, false) AS geom "
        "FROM cells WHERE cx BETWEEN %s AND %s AND cy BETWEEN %s AND %s GROUP BY cx, cy"
        ") AS mvt"
    )
    return sql, (
        *inner_params,
        *lonlat_bounds(bounds, tile_size(z) / cells),
        n,
        n,
        CLUSTERS_LAYER,
        *bounds,
        x * cells,
        x * cells + cells - 1,
        y * cells,
        y * cells + cells - 1,
    )


def _cells_source(
    user: User | AnonymousUser, collection: Collection, params: TileParams, zoom: int
) -> tuple[str, tuple] | None:
    """SQL of the visible :class:`~observatoire.summaries.ClusterCell` rows of ``zoom`` for these
    filters, or None when the rule or the filters read a column the cells do not keep
    (author, group…)."""
    try:
        return _compiled(
            user,
            ("cells", collection, params, zoom),
            lambda: (
                ClusterCell.objects.visible_to(user)
                .filter(params.q(collection), zoom=zoom)
                .order_by()
                .values("cx", "cy", "kind", "count", "sum_lon", "sum_lat")
            ),
        )
    except FieldError:
        return None


def _cells_sql(
    user: User | AnonymousUser,
    collection: Collection,
    params: TileParams,
    z: int,
    x: int,
    y: int,
    cells: int | None = None,
):
    """Clusters on a grid of ``cells`` per tile side (``TILES_CLUSTER_CELLS``) summed from
    the cluster cells (milliseconds at 2M rows), or None when no kept zoom is fine enough or
    the cells cannot apply the rule or the filters."""
    cells = cells or int(tiles_setting("TILES_CLUSTER_CELLS"))
    depth = cells.bit_length() - 1
    finer = [zoom for zoom in CELL_ZOOMS if zoom >= z + depth]
    if cells != 1 << depth or not finer:
        return None
    shift = finer[0] - z - depth
    source = _cells_source(user, collection, params, finer[0])
    if source is None:
        return None
    inner, inner_params = source
    span = cells << shift
    sql = (
        f"SELECT ST_AsMVT(mvt, %s, {EXTENT}, 'geom') FROM ("
        "SELECT sum(n)::integer AS count, (array_agg(kind ORDER BY n DESC, kind))[1] AS kind, "
        "ST_AsMVTGeom(ST_Transform(ST_SetSRID(ST_MakePoint(sum(lon) / sum(n), "
        "sum(lat) / sum(n)), 4326), 3857), "
        f"ST_MakeEnvelope(%s, %s, %s, %s, 3857), {EXTENT}, 0, false) AS geom "
        "FROM (SELECT c.cx >> %s AS cx, c.cy >> %s AS cy, c.kind, sum(c.count) AS n, "
        "sum(c.sum_lon) AS lon, sum(c.sum_lat) AS lat "
        f"FROM ({inner}) AS c WHERE c.cx BETWEEN %s AND %s AND c.cy BETWEEN %s AND %s "
        "GROUP BY 1, 2, 3) AS k "
        "GROUP BY cx, cy HAVING sum(n) > 0) AS mvt"
    )
    return sql, (
        CLUSTERS_LAYER,
        *tile_bounds(z, x, y),
        shift,
        shift,
        *inner_params,
        *_cell_range(x, y, span),
    )


def _cell_range(x: int, y: int, span: int) -> tuple[int, int, int, int]:
    """First and last cell columns, then rows, of tile x/y on a grid of ``span`` per side."""
    return x * span, x * span + span - 1, y * span, y * span + span - 1


#: A dense tile's clusters come from the cells when they give at least this many per side.
DENSE_MIN_CELLS = 16


def is_dense(
    user: User | AnonymousUser, collection: Collection, params: TileParams, z: int, x: int, y: int
) -> bool:
    """More visible features in this tile than ``TILES_MAX_FEATURES``, counted from the
    finest cluster cells (the same rule, the same filters). Below their zoom only, and only
    where the cells can apply the rule: a personal tile is never counted."""
    limit = int(tiles_setting("TILES_MAX_FEATURES") or 0)
    finest = max(CELL_ZOOMS)
    if not limit or z >= finest:
        return False
    source = _cells_source(user, collection, params, finest)
    if source is None:
        return False
    inner, inner_params = source
    span = 1 << (finest - z)
    sql = (
        f"SELECT coalesce(sum(c.count), 0) > %s FROM ({inner}) AS c "
        "WHERE c.cx BETWEEN %s AND %s AND c.cy BETWEEN %s AND %s"
    )
    sql_params = (limit, *inner_params, *_cell_range(x, y, span))
    return fetchone(sql, sql_params, prepared=not user.is_authenticated)[0]


def is_clustered(z: int) -> bool:
    return z < int(tiles_setting("TILES_CLUSTER_BELOW_ZOOM"))


def render_tile(
    user: User | AnonymousUser, collection: Collection, params: TileParams, z: int, x: int, y: int
) -> bytes:
    """The Mapbox Vector Tile (empty bytes when nothing visible is there)."""
    if is_clustered(z):
        sql, sql_params = _cells_sql(user, collection, params, z, x, y) or _clusters_sql(
            user, collection, params, z, x, y
        )
    elif is_dense(user, collection, params, z, x, y):
        # a tile of 100k points (2.9 MB at z10 over Paris with 2M rows) helps no map:
        # clusters, as at low zoom, from the cells while they are fine enough
        cells = min(int(tiles_setting("TILES_CLUSTER_CELLS")), 1 << (max(CELL_ZOOMS) - z))
        sql, sql_params = (
            cells >= DENSE_MIN_CELLS and _cells_sql(user, collection, params, z, x, y, cells)
        ) or _clusters_sql(user, collection, params, z, x, y)
    else:
        sql, sql_params = _features_sql(user, collection, params, z, x, y)
    # an anonymous visitor's SQL is memoized (same text for every tile of a zoom band):
    # a prepared statement, planned once per connection
    row = fetchone(sql, sql_params, prepared=not user.is_authenticated)
    return bytes(row[0]) if row and row[0] else b""


def visible_bounds(
    user: User | AnonymousUser, collection: Collection, params: TileParams
) -> list[float]:
    """Extent of what this person sees (never of everything), clamped to Web Mercator."""
    extent = visible_resources(user, collection, params).aggregate(e=Extent("geom"))["e"]
    if extent is None:
        return [-180.0, -MAX_LATITUDE, 180.0, MAX_LATITUDE]
    xmin, ymin, xmax, ymax = extent
    return [
        round(max(xmin, -180.0), 6),
        round(max(ymin, -MAX_LATITUDE), 6),
        round(min(xmax, 180.0), 6),
        round(min(ymax, MAX_LATITUDE), 6),
    ]
