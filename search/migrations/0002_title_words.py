"""Formerly the dictionary of title words and its triggers; that DDL now belongs to
``observatoire`` (migration 0007, ``observatoire/sql/triggers.sql``). Kept empty so applied
records stay valid."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_vector")]

    operations = []
