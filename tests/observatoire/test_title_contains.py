"""« Titre contient » of the resource lists: case and accents ignored, answered by an index."""

from __future__ import annotations

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
    """The filter's SQL is the indexed expression: with only bitmap scans allowed, the plan
    reads ``resource_title_plain_trgm`` (a different expression would match no index)."""
    ResourceFactory(title="Église Saint-Maurice")
    query = Resource.objects.title_contains("eglise").order_by().values("pk").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "resource_title_plain_trgm" in plan, plan
