"""Cluster cells: per-cell counts of resources for clusters at low zoom."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("observatoire", "0003_search_extensions")]

    operations = [
        migrations.CreateModel(
            name="ClusterCell",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("zoom", models.SmallIntegerField()),
                ("cx", models.IntegerField()),
                ("cy", models.IntegerField()),
                ("base", models.CharField(max_length=16)),
                ("kind", models.CharField(max_length=32)),
                ("level", models.CharField(max_length=16)),
                ("validated_at", models.DateTimeField(null=True)),
                ("count", models.IntegerField()),
                ("sum_lon", models.FloatField()),
                ("sum_lat", models.FloatField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("zoom", "cx", "cy", "base", "kind", "level", "validated_at"),
                        name="tiles_cell_key",
                        nulls_distinct=False,
                    )
                ],
            },
        ),
    ]
