"""All DDL on ``observatoire_resource`` in this app (issue 19).

The search vector, its GIN index and the monuments' geography index are now declared on the
model; the triggers (words of titles, cluster cells) are in ``observatoire/sql/triggers.sql``;
the cluster cells table (formerly ``tiles_clustercell``) and the dictionary of title words
(formerly ``search_title_word``) are summaries this app keeps. The migrations of ``search``,
``tiles`` and ``importers`` that wrote them are now empty.

Works on a fresh database (everything is created here) and on one migrated by those former
migrations (existing objects are renamed or adopted, never created twice): every step checks
what exists. The summaries are filled in 0008, once the cells' unique key (created when this
migration's schema editor closes) exists.
"""

from pathlib import Path

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import observatoire.models

TRIGGERS_SQL = Path(__file__).resolve().parent.parent / "sql" / "triggers.sql"

def _drop_cell_triggers(prefix: str) -> str:
    """The statement triggers of the cluster cells and their functions, named ``prefix_*``."""
    triggers = "".join(
        f"DROP TRIGGER IF EXISTS {prefix}_{event} ON observatoire_resource;\n"
        for event in ("insert", "update", "delete", "truncate")
    )
    functions = "".join(
        f"DROP FUNCTION IF EXISTS {prefix}_{name};\n"
        for name in ("truncate()", "sync()", "upsert(text)")
    )
    return triggers + functions


#: What tiles/ and search/ used to own: their triggers go (triggers.sql creates this app's),
#: their tables are renamed into this app (with their sequence, key and indexes).
FROM_FORMER_OWNERS = _drop_cell_triggers("tiles_cells") + """
ALTER TABLE IF EXISTS tiles_clustercell RENAME TO observatoire_clustercell;
ALTER SEQUENCE IF EXISTS tiles_clustercell_id_seq RENAME TO observatoire_clustercell_id_seq;
ALTER INDEX IF EXISTS tiles_clustercell_pkey RENAME TO observatoire_clustercell_pkey;
ALTER INDEX IF EXISTS tiles_cell_key RENAME TO clustercell_key;
ALTER TABLE IF EXISTS search_title_word RENAME TO observatoire_title_word;
ALTER INDEX IF EXISTS search_title_word_pkey RENAME TO observatoire_title_word_pkey;
ALTER INDEX IF EXISTS search_title_word_trgm RENAME TO observatoire_title_word_trgm;
DROP INDEX IF EXISTS resource_title_trgm_gin;
"""

#: Back to 0006: what triggers.sql created.
DROP_TRIGGERS = _drop_cell_triggers("resource_cells") + """
DROP TRIGGER IF EXISTS resource_title_words_update ON observatoire_resource;
DROP TRIGGER IF EXISTS resource_title_words_insert ON observatoire_resource;
DROP FUNCTION IF EXISTS spass_add_title_words();
DROP FUNCTION IF EXISTS spass_title_words(text);
DROP TABLE IF EXISTS observatoire_title_word;
DROP FUNCTION IF EXISTS spass_unaccent(text);
DROP FUNCTION IF EXISTS spass_join_words(text[]);
DROP TEXT SEARCH CONFIGURATION IF EXISTS fr_unaccent;
"""

_CONFIG = django.contrib.postgres.search.SearchConfig("fr_unaccent")


def _vector(expression, weight: str) -> django.contrib.postgres.search.SearchVector:
    return django.contrib.postgres.search.SearchVector(
        expression, config="fr_unaccent", weight=weight
    )


def _or(lhs, rhs) -> django.contrib.postgres.search.CombinedSearchVector:
    return django.contrib.postgres.search.CombinedSearchVector(lhs, "||", rhs, _CONFIG)


#: ``Resource.search_vector`` as declared today (frozen here, as migrations do).
SEARCH_VECTOR_FIELD = models.GeneratedField(
    db_persist=True,
    expression=_or(
        _or(
            _or(
                _vector("title", "A"),
                _vector(
                    models.Func(
                        "themes", function="spass_join_words", output_field=models.TextField()
                    ),
                    "B",
                ),
            ),
            _vector("summary", "B"),
        ),
        _vector("description", "C"),
    ),
    output_field=django.contrib.postgres.search.SearchVectorField(),
    verbose_name="vecteur de recherche",
)

RESOURCE_INDEXES = ("resource_search_vector_gin", "resource_merimee_geog")


def run_triggers_sql(apps, schema_editor) -> None:
    """Run ``observatoire/sql/triggers.sql`` (idempotent) as it is today."""
    schema_editor.execute(TRIGGERS_SQL.read_text(), None)  # no placeholders: % is SQL


def drop_triggers(apps, schema_editor) -> None:
    schema_editor.execute(DROP_TRIGGERS)


def create_cells_table(apps, schema_editor) -> None:
    """The cluster cells table, unless renamed from ``tiles_clustercell`` above."""
    model = apps.get_model("observatoire", "ClusterCell")
    with schema_editor.connection.cursor() as cursor:
        tables = schema_editor.connection.introspection.table_names(cursor)
    if model._meta.db_table not in tables:
        schema_editor.create_model(model)


def drop_cells_table(apps, schema_editor) -> None:
    schema_editor.delete_model(apps.get_model("observatoire", "ClusterCell"))


def add_resource_ddl(apps, schema_editor) -> None:
    """The search vector and the resource indexes, unless search/ and importers/ made them."""
    model = apps.get_model("observatoire", "Resource")
    table = model._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        described = schema_editor.connection.introspection.get_table_description(cursor, table)
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    if "search_vector" not in {column.name for column in described}:
        schema_editor.add_field(model, model._meta.get_field("search_vector"))
    for index in model._meta.indexes:
        if index.name in RESOURCE_INDEXES and index.name not in constraints:
            schema_editor.add_index(model, index)


def remove_resource_ddl(apps, schema_editor) -> None:
    model = apps.get_model("observatoire", "Resource")
    for index in model._meta.indexes:
        if index.name in RESOURCE_INDEXES:
            schema_editor.remove_index(model, index)
    schema_editor.remove_field(model, model._meta.get_field("search_vector"))


class Migration(migrations.Migration):
    dependencies = [("observatoire", "0006_resource_geom_mercator")]

    operations = [
        migrations.RunSQL(FROM_FORMER_OWNERS, migrations.RunSQL.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ClusterCell",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
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
                ),
                migrations.AddConstraint(
                    model_name="clustercell",
                    constraint=models.UniqueConstraint(
                        fields=("zoom", "cx", "cy", "base", "kind", "level", "validated_at"),
                        name="clustercell_key",
                        nulls_distinct=False,
                    ),
                ),
            ],
        ),
        # after the state: RunPython sees the models of the state before it
        migrations.RunPython(create_cells_table, drop_cells_table),
        # before the search vector, which calls its functions and text search configuration
        migrations.RunPython(run_triggers_sql, drop_triggers),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="resource",
                    name="search_vector",
                    field=SEARCH_VECTOR_FIELD,
                ),
                migrations.AddIndex(
                    model_name="resource",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="resource_search_vector_gin"
                    ),
                ),
                migrations.AddIndex(
                    model_name="resource",
                    index=django.contrib.postgres.indexes.GistIndex(
                        observatoire.models.Geography("geom"),
                        condition=models.Q(("source", "merimee")),
                        name="resource_merimee_geog",
                    ),
                ),
            ],
        ),
        migrations.RunPython(add_resource_ddl, remove_resource_ddl),
    ]
