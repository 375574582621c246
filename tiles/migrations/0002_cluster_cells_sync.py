"""Triggers that keep the cluster cells equal to ``observatoire_resource``."""

from django.db import migrations

# One statement-level trigger per event: the changed rows come in as transition tables and are
# counted per cell in one upsert (bulk imports stay one statement). A row's point is its
# geometry when a point, else a point on its surface, as for clusters drawn from the rows.
SYNC = r"""
CREATE FUNCTION tiles_cells_upsert(src text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    INSERT INTO tiles_clustercell
      (zoom, cx, cy, base, kind, level, validated_at, count, sum_lon, sum_lat)
    SELECT z.zoom,
      floor((p.lon + 180.0) / 360.0 * (1 << z.zoom))::integer,
      floor((1.0 - ln(tan(pi() / 4.0 + radians(p.lat) / 2.0)) / pi()) / 2.0
            * (1 << z.zoom))::integer,
      p.base, p.kind, p.level, p.validated, sum(p.s), sum(p.s * p.lon), sum(p.s * p.lat)
    FROM (
      SELECT r.s, r.base, r.kind, r.level,
        CASE WHEN r.validated_at IS NOT NULL THEN timestamptz 'epoch' END AS validated,
        ST_X(r.pt) AS lon, ST_Y(r.pt) AS lat
      FROM (
        SELECT t.*, CASE WHEN ST_GeometryType(t.geom) = 'ST_Point' THEN t.geom
          ELSE ST_PointOnSurface(t.geom) END AS pt
        FROM (%s) AS t WHERE t.geom IS NOT NULL AND NOT ST_IsEmpty(t.geom)
      ) AS r
    ) AS p CROSS JOIN (VALUES (11), (14)) AS z (zoom)
    WHERE abs(p.lat) < 85.0511287798066 AND abs(p.lon) < 180.0
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(p.s) <> 0 OR sum(p.s * p.lon) <> 0 OR sum(p.s * p.lat) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ON CONSTRAINT tiles_cell_key DO UPDATE SET
      count = tiles_clustercell.count + EXCLUDED.count,
      sum_lon = tiles_clustercell.sum_lon + EXCLUDED.sum_lon,
      sum_lat = tiles_clustercell.sum_lat + EXCLUDED.sum_lat
  $q$, src)
$fn$;
CREATE FUNCTION tiles_cells_sync() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE tiles_cells_upsert(CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS s, base, kind, level, validated_at, geom FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS s, base, kind, level, validated_at, geom FROM old_rows'
    ELSE 'SELECT 1 AS s, base, kind, level, validated_at, geom FROM new_rows UNION ALL '
         'SELECT -1, base, kind, level, validated_at, geom FROM old_rows' END);
  RETURN NULL;
END
$fn$;
CREATE TRIGGER tiles_cells_insert AFTER INSERT ON observatoire_resource
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tiles_cells_sync();
CREATE TRIGGER tiles_cells_update AFTER UPDATE ON observatoire_resource
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tiles_cells_sync();
CREATE TRIGGER tiles_cells_delete AFTER DELETE ON observatoire_resource
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tiles_cells_sync();
CREATE FUNCTION tiles_cells_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM tiles_clustercell;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER tiles_cells_truncate AFTER TRUNCATE ON observatoire_resource
  FOR EACH STATEMENT EXECUTE FUNCTION tiles_cells_truncate();
DO $do$ BEGIN
  EXECUTE tiles_cells_upsert(
    'SELECT 1 AS s, base, kind, level, validated_at, geom FROM observatoire_resource');
END $do$;
"""

UNSYNC = """
DROP TRIGGER IF EXISTS tiles_cells_truncate ON observatoire_resource;
DROP TRIGGER IF EXISTS tiles_cells_delete ON observatoire_resource;
DROP TRIGGER IF EXISTS tiles_cells_update ON observatoire_resource;
DROP TRIGGER IF EXISTS tiles_cells_insert ON observatoire_resource;
DROP FUNCTION IF EXISTS tiles_cells_truncate();
DROP FUNCTION IF EXISTS tiles_cells_sync();
DROP FUNCTION IF EXISTS tiles_cells_upsert(text);
"""


class Migration(migrations.Migration):
    # The unique constraint the upsert names is created at the end of 0001.
    dependencies = [("tiles", "0001_cluster_cells")]

    operations = [migrations.RunSQL(SYNC, UNSYNC)]
