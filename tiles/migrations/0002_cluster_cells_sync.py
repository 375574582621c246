"""Formerly the triggers of the cluster cells; they now belong to ``observatoire`` (migration
0007, ``observatoire/sql/triggers.sql``). Kept empty so applied records stay valid."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tiles", "0001_cluster_cells")]

    operations = []
