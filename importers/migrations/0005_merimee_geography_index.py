"""Index of the monuments' geography, for the heritage crossing (``importers.heritage``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0004_job_total"),
        ("observatoire", "0004_attachment"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS resource_merimee_geog ON observatoire_resource "
            "USING gist ((geom::geography)) WHERE source = 'merimee'",
            "DROP INDEX IF EXISTS resource_merimee_geog",
        ),
    ]
