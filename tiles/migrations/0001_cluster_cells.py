"""Formerly the cluster cells table; it now belongs to ``observatoire`` (``ClusterCell``,
migration 0007). Kept empty so applied records stay valid."""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = [("observatoire", "0003_search_extensions")]

    operations = []
