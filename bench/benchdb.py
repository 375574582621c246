"""The dedicated database of an in-process benchmark (API list, exports).

A database beside the project's (never its data), created on first use, migrated, and
seeded once per size with the benchmark's own ``INSERT … SELECT … generate_series`` text;
Django is then set up on it, so the caller measures with the test client.
"""

from __future__ import annotations

import os
import sys


def bench_database_url(name: str, explicit: str | None = None) -> str:
    """``explicit``, else database ``name`` on the server of ``DATABASE_URL`` or the embedded
    cluster."""
    if explicit:
        return explicit
    from config.settings import _embedded_database_url

    base = os.environ.get("DATABASE_URL") or _embedded_database_url()
    return base.rsplit("/", 1)[0] + "/" + name


def _ensure_database(url: str) -> None:
    import psycopg

    target = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgis://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone():
            conn.execute(f'CREATE DATABASE "{target}"')


def _seed(seed_sql: str, rows: int) -> None:
    from django.db import connection

    from observatoire.models import Resource
    from workgroups.models import Group, User

    if Resource.objects.filter(source="bench").count() == rows:
        return
    Resource.objects.all().delete()
    user, _ = User.objects.get_or_create(username="bench")
    group, _ = Group.objects.get_or_create(
        slug="bench", defaults={"name": "Bench", "family": "projet"}
    )
    with connection.cursor() as cursor:
        cursor.execute(seed_sql, {"group": group.pk, "user": user.pk, "rows": rows})
        cursor.execute("ANALYZE observatoire_resource")


def connect_bench_database(name: str, explicit: str | None, migrate: bool = True) -> None:
    """Create (and migrate unless told not to) the benchmark database, with Django set up on
    it. A read-only measurement passes ``migrate=False`` so it never builds an index."""
    url = bench_database_url(name, explicit)
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    sys.modules.pop("config.settings", None)  # read again with the bench database's URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def pending_migrations() -> list[str]:
    """Migrations not applied yet to the database Django is set up on."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


def open_bench_database(name: str, explicit: str | None, seed_sql: str, rows: int) -> None:
    """Create, migrate and seed the benchmark database, with Django set up on it."""
    connect_bench_database(name, explicit)
    _seed(seed_sql, rows)


def write_report(report: str, output=None) -> None:
    """Print a bench's Markdown table and append it to ``output`` (a Path) when given."""
    print(report)
    if output:
        with output.open("a", encoding="utf-8") as out:
            out.write(report + "\n")


def bench_arguments(doc: str, reps: int):
    """The options every in-process bench takes: ``--rows``, ``--reps``, ``--database-url``,
    ``--output``; the caller adds its own and parses."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--reps", type=int, default=reps)
    parser.add_argument("--database-url")
    parser.add_argument("--output", type=Path, help="append the table (Markdown) to this file")
    return parser
