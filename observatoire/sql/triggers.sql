-- What PostgreSQL keeps on observatoire_resource that Django cannot declare on the model:
-- the French text search configuration and the immutable helpers of the ``search_vector``
-- generated column, and the statement triggers that keep two derived summaries equal to the
-- table: the words of titles (typo fallback of search/) and the cluster cells (observatoire_
-- clustercell, read by tiles/). Other apps read these summaries; they never alter the table.
--
-- Idempotent (CREATE OR REPLACE, IF NOT EXISTS, DROP ... IF EXISTS before CREATE TRIGGER): a
-- migration of observatoire runs it; after a change here, add a migration that runs it again
-- (observatoire.migrations.0007_resource_ddl.run_triggers_sql).

-- Accent-insensitive French full text: « église » matches « Eglises ».
DO $do$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION fr_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $do$;
-- Immutable wrappers, so generated columns and indexes may call them.
CREATE OR REPLACE FUNCTION spass_join_words(text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT coalesce(array_to_string($1, ' '), '') $f$;
CREATE OR REPLACE FUNCTION spass_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT public.unaccent('public.unaccent', $1) $f$;

-- The words of resource titles, for the typo fallback (search/typos.py): a misspelt word is
-- compared with this small dictionary (trigram index) instead of every title. Words are never
-- removed: a word whose resources are gone only proposes a correction that finds nothing. The
-- dictionary is never shown: corrections only feed a query on ``visible_to(user)``.
CREATE TABLE IF NOT EXISTS observatoire_title_word (word text PRIMARY KEY);
CREATE INDEX IF NOT EXISTS observatoire_title_word_trgm
  ON observatoire_title_word USING gin (word gin_trgm_ops);
CREATE OR REPLACE FUNCTION spass_title_words(text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
    SELECT DISTINCT w FROM regexp_split_to_table(spass_unaccent(lower($1)), '[^a-z]+') AS w
    WHERE length(w) >= 3
  $f$;
-- One INSERT per statement, however many rows it writes.
CREATE OR REPLACE FUNCTION spass_add_title_words() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO observatoire_title_word (word)
    SELECT DISTINCT spass_title_words(title) FROM written
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $f$;
DROP TRIGGER IF EXISTS resource_title_words_insert ON observatoire_resource;
CREATE TRIGGER resource_title_words_insert AFTER INSERT ON observatoire_resource
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION spass_add_title_words();
DROP TRIGGER IF EXISTS resource_title_words_update ON observatoire_resource;
CREATE TRIGGER resource_title_words_update AFTER UPDATE ON observatoire_resource
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION spass_add_title_words();

-- Cluster cells (observatoire.summaries.ClusterCell): per-cell counts at the zooms of
-- CELL_ZOOMS (11, 14). One statement-level trigger per event: the changed rows come in as
-- transition tables and are counted per cell in one upsert (bulk imports stay one
-- statement). A row's point is its geometry when a point, else a point on its surface, as for
-- clusters drawn from the rows.
CREATE OR REPLACE FUNCTION resource_cells_upsert(src text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    INSERT INTO observatoire_clustercell
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
    ON CONFLICT ON CONSTRAINT clustercell_key DO UPDATE SET
      count = observatoire_clustercell.count + EXCLUDED.count,
      sum_lon = observatoire_clustercell.sum_lon + EXCLUDED.sum_lon,
      sum_lat = observatoire_clustercell.sum_lat + EXCLUDED.sum_lat
  $q$, src)
$fn$;
CREATE OR REPLACE FUNCTION resource_cells_sync() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE resource_cells_upsert(CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS s, base, kind, level, validated_at, geom FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS s, base, kind, level, validated_at, geom FROM old_rows'
    ELSE 'SELECT 1 AS s, base, kind, level, validated_at, geom FROM new_rows UNION ALL '
         'SELECT -1, base, kind, level, validated_at, geom FROM old_rows' END);
  RETURN NULL;
END
$fn$;
DROP TRIGGER IF EXISTS resource_cells_insert ON observatoire_resource;
CREATE TRIGGER resource_cells_insert AFTER INSERT ON observatoire_resource
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION resource_cells_sync();
DROP TRIGGER IF EXISTS resource_cells_update ON observatoire_resource;
CREATE TRIGGER resource_cells_update AFTER UPDATE ON observatoire_resource
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resource_cells_sync();
DROP TRIGGER IF EXISTS resource_cells_delete ON observatoire_resource;
CREATE TRIGGER resource_cells_delete AFTER DELETE ON observatoire_resource
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION resource_cells_sync();
CREATE OR REPLACE FUNCTION resource_cells_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM observatoire_clustercell;
  RETURN NULL;
END
$fn$;
DROP TRIGGER IF EXISTS resource_cells_truncate ON observatoire_resource;
CREATE TRIGGER resource_cells_truncate AFTER TRUNCATE ON observatoire_resource
  FOR EACH STATEMENT EXECUTE FUNCTION resource_cells_truncate();
