"""French full-text search on resources: an accent-insensitive French configuration, a stored
search vector kept up to date by PostgreSQL itself, and GIN indexes (full text and trigrams)."""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION fr_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $$;
CREATE OR REPLACE FUNCTION spass_join_words(text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT coalesce(array_to_string($1, ' '), '') $f$;
CREATE OR REPLACE FUNCTION spass_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT public.unaccent('public.unaccent', $1) $f$;
ALTER TABLE observatoire_resource ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('fr_unaccent'::regconfig, coalesce(title, '')), 'A')
  || setweight(to_tsvector('fr_unaccent'::regconfig, spass_join_words(themes)), 'B')
  || setweight(to_tsvector('fr_unaccent'::regconfig, coalesce(summary, '')), 'B')
  || setweight(to_tsvector('fr_unaccent'::regconfig, coalesce(description, '')), 'C')
) STORED;
CREATE INDEX resource_search_vector_gin ON observatoire_resource USING gin (search_vector);
CREATE INDEX resource_title_trgm_gin
  ON observatoire_resource USING gin (spass_unaccent(lower(title)) gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS resource_title_trgm_gin;
DROP INDEX IF EXISTS resource_search_vector_gin;
ALTER TABLE observatoire_resource DROP COLUMN IF EXISTS search_vector;
DROP FUNCTION IF EXISTS spass_unaccent(text);
DROP FUNCTION IF EXISTS spass_join_words(text[]);
DROP TEXT SEARCH CONFIGURATION IF EXISTS fr_unaccent;
"""


class Migration(migrations.Migration):
    dependencies = [("observatoire", "0003_search_extensions")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
