"""Kept SQL texts as server-side prepared statements (geo/prepared.py), on the real server."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, connection

from geo import prepared

TILE_LIKE = "SELECT %s::bytea, %s::integer + 1, %s::text || '%%', %s::date"
VALUES = (b"\x1a\x00\xff\x01", 41, "cent", "2026-12-04")


def statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_kept_sql_is_prepared_once_and_gives_the_cursors_row():
    name = prepared._statement(TILE_LIKE)[0].decode()
    row = prepared.fetchone(TILE_LIKE, VALUES)
    assert name in statements()
    with connection.cursor() as cursor:
        cursor.execute(TILE_LIKE, VALUES)
        assert row == cursor.fetchone()
    assert row[0] == b"\x1a\x00\xff\x01"  # binary results: bytes as they are, no hex
    assert row[2] == "cent%"  # %% is a literal %, as with Django's cursors
    before = statements()
    assert prepared.fetchone(TILE_LIKE, (b"", 1, "x", "2026-01-01"))[1] == 2
    assert statements() == before  # other values, same statement


@pytest.mark.django_db
def test_no_row_is_none():
    assert prepared.fetchone("SELECT 1 WHERE %s::integer > 1", (0,)) is None


@pytest.mark.django_db(transaction=True)
def test_statement_dropped_behind_our_back_is_prepared_again():
    """A pooler's DISCARD ALL (or DEALLOCATE ALL) forgets what was prepared."""
    assert prepared.fetchone("SELECT %s::integer * 2", (21,)) == (42,)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert prepared.fetchone("SELECT %s::integer * 2", (4,)) == (8,)
    assert prepared._statement("SELECT %s::integer * 2")[0].decode() in statements()


@pytest.mark.django_db(transaction=True)
def test_errors_are_djangos_and_the_connection_goes_on():
    with pytest.raises(DatabaseError, match="division by zero"):
        prepared.fetchone("SELECT 1 / %s::integer", (0,))
    assert prepared.fetchone("SELECT 1 / %s::integer", (1,)) == (1,)


@pytest.mark.django_db
def test_off_runs_the_same_text_unprepared(settings):
    settings.SPASS_DB_PREPARED = False
    sql = f"{TILE_LIKE} -- unprepared"
    assert prepared.fetchone(sql, VALUES)[1:] == (42, "cent%", date(2026, 12, 4))
    assert prepared._statement(sql)[0].decode() not in statements()
