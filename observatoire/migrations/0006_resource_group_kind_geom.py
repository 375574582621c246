"""One GiST index on (group, kind, geom) for the map's usual filter (btree_gist, a trusted
extension: the database owner may create it)."""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("observatoire", "0005_resource_group_kind")]

    operations = [
        BtreeGistExtension(),
        migrations.AddIndex(
            model_name="resource",
            index=django.contrib.postgres.indexes.GistIndex(
                fields=["group", "kind", "geom"], name="resource_group_kind_geom"
            ),
        ),
    ]
