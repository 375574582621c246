"""Fill the summaries of the resource table (cluster cells, words of titles) from its rows:
on a fresh database they start empty; renamed ones were already equal to the table and are
recomputed the same."""

from django.db import migrations

#: The summaries recomputed from the table (the renamed ones were already equal to it).
BACKFILL = """
DELETE FROM observatoire_clustercell;
DO $do$ BEGIN
  EXECUTE resource_cells_upsert(
    'SELECT 1 AS s, base, kind, level, validated_at, geom FROM observatoire_resource');
END $do$;
INSERT INTO observatoire_title_word (word)
  SELECT DISTINCT spass_title_words(title) FROM observatoire_resource
  ON CONFLICT DO NOTHING;
"""


class Migration(migrations.Migration):
    dependencies = [("observatoire", "0007_resource_ddl")]

    operations = [migrations.RunSQL(BACKFILL, migrations.RunSQL.noop)]
