"""Formerly the search vector of resources; that DDL now belongs to ``observatoire`` (migration
0007, ``observatoire/sql/triggers.sql``). Kept empty so applied records stay valid."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("observatoire", "0003_search_extensions")]

    operations = []
