"""« Titre contient » of the resource lists: case and accents ignored, answered by an index."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from observatoire.models import Resource
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_title_contains_ignores_case_and_accents():
    church = ResourceFactory(title="Église Saint-Maurice")
    upper = ResourceFactory(title="ÉGLISE DE L'IMMACULÉE")
    ResourceFactory(title="Chapelle des Carmes")
    for text in ("eglise", "Église", "EGLISE", "églis"):
        found = set(Resource.objects.title_contains(text).values_list("pk", flat=True))
        assert found == {church.pk, upper.pk}, text
    assert not Resource.objects.title_contains("eglise_").exists()  # LIKE wildcards are text
    assert not Resource.objects.title_contains("%").exists()


def test_title_contains_is_answered_by_the_trigram_index():
    """The filter's SQL is the trigram index's own expression (a different one would match no
    index), and with every other index out of the way the plan reads that index. On a table
    this small PostgreSQL may prefer a full scan of another index (``resource_title_id``), so
    the plan is asked of the trigram index alone: the others are dropped inside the test's
    transaction, which rolls back."""
    ResourceFactory(title="Église Saint-Maurice")
    query = Resource.objects.title_contains("eglise").order_by().values("pk").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef('resource_title_plain_trgm'::regclass)")
        expression = re.search(r"USING gin \((.+) gin_trgm_ops\)", cursor.fetchone()[0])[1]
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index "
            "WHERE indrelid = 'observatoire_resource'::regclass AND NOT indisprimary "
            "AND NOT indisunique AND indexrelid::regclass::text <> 'resource_title_plain_trgm'"
        )
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"{expression} ~~ " in plan, (expression, plan)
    assert "resource_title_plain_trgm" in plan, plan
