"""Formerly the monuments' geography index; it is now declared on the resource model
(``resource_merimee_geog``, observatoire migration 0007). Kept empty so applied records stay
valid."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0004_job_total"),
        ("observatoire", "0004_attachment"),
    ]

    operations = []
