"""p50 / p95 of a French search at /recherche/ (the search service, with its visibility rule,
count, highlights and facets) over generated resources.

Rows live in a dedicated database (``spass_bench_search`` beside the project's, never its
data): generated once, then every measurement only reads them. From the project root,
database running:

    .venv/bin/python bench/search/run.py --rows 2000000 --generate
    flock /tmp/spass-bench.lock .venv/bin/python bench/search/run.py --rows 2000000 --explain

``--generate`` creates and migrates the database (timing the migrations, which build the
search indexes on the rows already there) and inserts the rows if their number differs.
``--explain`` prints the EXPLAIN ANALYZE of each query's candidate queries (those that read
an index).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.benchdb import connect_bench_database, pending_migrations

DATABASE = "spass_bench_search"

GENERATE = """
INSERT INTO observatoire_resource (base, kind, title, summary, description, themes, geom,
  attributes, group_id, author_id, level, validated_at, source, source_id, created_at,
  updated_at, date_start)
SELECT 'observatoire',
  (ARRAY['marqueur','projet','realisation','action'])[1 + i %% 4],
  (ARRAY['Église','Eglise','Moulin','Beffroi','Halle','Lavoir','Château','Pigeonnier','Ferme',
         'Maison','Pont','Chapelle','Usine','École','Gare','Jardin'])[1 + i %% 16]
    || ' ' || (ARRAY['de Lille','d''Arras','de Roubaix','du Havre','de Béthune','de Douai',
         'de Cambrai','de Valenciennes','d''Amiens','de Rouen','de Caen','de Brest'])
         [1 + (i / 16) %% 12]
    || ' n° ' || i,
  (ARRAY['Un patrimoine rural remarquable.','Une réalisation contemporaine en brique.',
         'Les églises à clocher-porche de la Flandre.','Un moulin à eau restauré.',
         'Projet de requalification des espaces publics.'])[1 + i %% 5],
  'Description générée pour la mesure de la recherche, ligne ' || i || '.',
  ARRAY[(ARRAY['patrimoine','paysage','mobilité','centre-bourg'])[1 + i %% 4]],
  ST_SetSRID(ST_MakePoint(-4 + random() * 12, 42.5 + random() * 8.5), 4326),
  jsonb_build_object('commune_insee', (ARRAY['59350','62041','76540','80021','14118'])[1 + i %% 5]),
  (ARRAY[%(g1)s, %(g2)s])[1 + i %% 2], %(author)s,
  (ARRAY['utilisateur','groupe','communaute','public'])[1 + i %% 4],
  CASE WHEN i %% 3 = 0 THEN NULL ELSE now() END, '', '', now(), now(),
  date '2000-01-01' + (i %% 9000)
FROM generate_series(1, %(rows)s) AS i
"""

QUERIES = ["église", "moulin à eau", "beffroi arras", "patrimoine", "beffroy"]


def _time(user, q: str, reps: int) -> tuple[float, float, int]:
    from search.services import SearchParams, search

    timings = []
    total = 0
    for _ in range(reps):
        start = time.perf_counter()
        result = search(user, SearchParams(q=q))
        timings.append((time.perf_counter() - start) * 1000)
        total = result.total
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, total


def _explain(user, q: str) -> str:
    """EXPLAIN ANALYZE of the candidate queries ``search`` runs, in the same transaction and
    with the settings it set around each (trigram threshold, physical read)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from search.services import SearchParams, search

    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            search(user, SearchParams(q=q))
        plans = []
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                if query["sql"].startswith(("SELECT set_config", "RESET")):
                    cursor.execute(query["sql"])  # the planner settings in force at the time
                elif "LIMIT" in query["sql"] and "workgroups_group" not in query["sql"]:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    plans.append("\n".join(row[0] for row in cursor.fetchall()))
        transaction.set_rollback(True)
    return "\n\n".join(plans)


def _people():
    """The bench's author, the member of the first group, and the two groups."""
    from workgroups.models import Group, Membership, User
    from workgroups.roles import Role

    author, _ = User.objects.get_or_create(username="bench-search-author")
    member, _ = User.objects.get_or_create(username="bench-search-member")
    groups = [
        Group.objects.get_or_create(
            slug=f"bench-search-{n}", defaults={"name": f"Bench {n}", "family": "projet"}
        )[0]
        for n in (1, 2)
    ]
    Membership.objects.get_or_create(
        user=member, group=groups[0], defaults={"role": Role.LECTEUR, "state": "active"}
    )
    return author, member, groups


def _generate(rows: int) -> None:
    """Insert ``rows`` resources unless the database already holds exactly that many."""
    from django.db import connection, transaction

    from observatoire.models import Resource

    if Resource.objects.count() == rows:
        print(f"{rows} lignes déjà présentes")
        return
    start = time.perf_counter()
    with transaction.atomic():
        Resource.objects.all().delete()
        author, _, groups = _people()
        with connection.cursor() as cursor:
            cursor.execute(
                GENERATE,
                {"rows": rows, "g1": groups[0].pk, "g2": groups[1].pk, "author": author.pk},
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE observatoire_resource")
    print(f"{rows} lignes générées en {time.perf_counter() - start:.1f} s")


def _measure(rows: int, reps: int, explain: bool) -> None:
    from django.contrib.auth.models import AnonymousUser

    from observatoire.models import Resource

    pending = pending_migrations()
    found = Resource.objects.count()
    if pending or found != rows:
        sys.exit(f"Base de mesure à préparer (--generate) : {found} lignes, migrations {pending}")
    _, member, _ = _people()
    print(f"Charge au début : `{_uptime()}`\n")
    print("| requête | personne | p50 (ms) | p95 (ms) | résultats |")
    print("|---|---|---|---|---|")
    for q in QUERIES:
        for label, user in (("anonyme", AnonymousUser()), ("membre", member)):
            p50, p95, total = _time(user, q, reps)
            print(f"| {q} | {label} | {p50:.1f} | {p95:.1f} | {total} |")
    print(f"\nCharge à la fin : `{_uptime()}`")
    if explain:
        for q in QUERIES:
            print(f"\n### EXPLAIN ANALYZE « {q} » (membre)\n```\n{_explain(member, q)}\n```")


def _uptime() -> str:
    """``uptime`` in UTC (Django set ``TZ`` to the project's time zone)."""
    env = {**os.environ, "TZ": "UTC"}
    return subprocess.run(["uptime"], capture_output=True, text=True, env=env).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--generate", action="store_true", help="prepare the rows (heavy)")
    parser.add_argument("--database-url", help="default: spass_bench_search beside the project")
    args = parser.parse_args()
    connect_bench_database(DATABASE, args.database_url, migrate=False)
    if args.generate:
        start = time.perf_counter()
        from django.core.management import call_command

        call_command("migrate", verbosity=1)
        print(f"migrations en {time.perf_counter() - start:.1f} s")
        _generate(args.rows)
    else:
        _measure(args.rows, args.reps, args.explain)


if __name__ == "__main__":
    main()
