"""The words of resource titles, for the typo fallback: a misspelt word is compared with this
small dictionary (trigram index) instead of every title, then searched in full text.

Kept by a statement trigger (one INSERT per statement, however many rows it writes); words are
never removed: a word whose resources are gone only proposes a correction that finds nothing.
The dictionary is never shown: corrections only feed a query on ``visible_to(user)``. The
trigram index on every title, which the fallback used to read, goes."""

from django.db import migrations

FORWARD = """
CREATE TABLE search_title_word (word text PRIMARY KEY);
CREATE INDEX search_title_word_trgm ON search_title_word USING gin (word gin_trgm_ops);
CREATE FUNCTION spass_title_words(text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
    SELECT DISTINCT w FROM regexp_split_to_table(spass_unaccent(lower($1)), '[^a-z]+') AS w
    WHERE length(w) >= 3
  $f$;
CREATE FUNCTION spass_add_title_words() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO search_title_word (word)
    SELECT DISTINCT spass_title_words(title) FROM written
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $f$;
CREATE TRIGGER resource_title_words_insert AFTER INSERT ON observatoire_resource
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION spass_add_title_words();
CREATE TRIGGER resource_title_words_update AFTER UPDATE ON observatoire_resource
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION spass_add_title_words();
INSERT INTO search_title_word (word)
  SELECT DISTINCT spass_title_words(title) FROM observatoire_resource;
DROP INDEX IF EXISTS resource_title_trgm_gin;
"""

BACKWARD = """
CREATE INDEX IF NOT EXISTS resource_title_trgm_gin
  ON observatoire_resource USING gin (spass_unaccent(lower(title)) gin_trgm_ops);
DROP TRIGGER IF EXISTS resource_title_words_update ON observatoire_resource;
DROP TRIGGER IF EXISTS resource_title_words_insert ON observatoire_resource;
DROP FUNCTION IF EXISTS spass_add_title_words();
DROP FUNCTION IF EXISTS spass_title_words(text);
DROP TABLE IF EXISTS search_title_word;
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_vector")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
