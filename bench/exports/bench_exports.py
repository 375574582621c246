"""Download of 50k features (``GET /exports/observatoire.geojson``) against the raw SQL floor.

Reproducible: a dedicated database (``spass_bench_exports`` on the same server as the
project's, or ``--database-url``) is migrated and seeded with ``--rows`` public, validated
resources (seeded points over metropolitan France); each case runs ``--reps`` times after a
warm-up, alternating floor and ours so load drifts hit both. Ours is the whole streamed
response read through Django's test client in-process, as an anonymous visitor (the
visibility rule runs; no HTTP server noise). The floor is PostgreSQL alone writing the same
Feature texts (same properties, same visibility condition, same order) with
``COPY … TO STDOUT``, every byte read by the client. Issue 8's target: ours ≤ 2× the floor.

    flock /tmp/spass-bench.lock .venv/bin/python bench/exports/bench_exports.py --rows 50000
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.benchdb import open_bench_database  # noqa: E402

SEED = """
INSERT INTO observatoire_resource (base, kind, title, summary, description, themes, geom,
  date_start, attributes, group_id, author_id, level, validated_at, validated_by_id, source,
  source_id, created_at, updated_at)
SELECT 'observatoire',
  (ARRAY['marqueur', 'projet', 'realisation', 'action'])[1 + (i %% 4)],
  (ARRAY['Église', 'Beffroi', 'Courée', 'Filature', 'Jardin', 'Moulin'])[1 + (i %% 6)]
    || ' n° ' || i,
  'Ressource de banc d''essai', '', ARRAY['patrimoine'],
  ST_SetSRID(ST_MakePoint(-4.5 + 12.5 * random(), 42.5 + 8.5 * random()), 4326),
  DATE '2000-01-01' + (i %% 9000), '{"commune_insee": "59350"}'::jsonb,
  %(group)s, %(user)s, 'public', now(), %(user)s, 'bench', i::text, now(), now()
FROM generate_series(1, %(rows)s) AS i
"""

#: The same Feature text as exports.services.geojson_features, for the anonymous visitor.
FLOOR = """
COPY (SELECT json_build_object('type', 'Feature', 'id', r.id,
        'geometry', ST_AsGeoJSON(r.geom, 6)::json,
        'properties', json_build_object('id', r.id, 'titre', r.title, 'base', r.base,
            'type', r.kind, 'resume', r.summary, 'themes', r.themes, 'date_debut', r.date_start,
            'date_fin', r.date_end, 'groupe', g.slug, 'partage', r.level,
            'attributs', r.attributes,
            'lien', 'http://testserver/ressources/' || r.id || '/'))::text
      FROM observatoire_resource r JOIN workgroups_group g ON g.id = r.group_id
     WHERE r.base = 'observatoire' AND r.level = 'public' AND r.validated_at IS NOT NULL
     ORDER BY r.id) TO STDOUT
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    open_bench_database("spass_bench_exports", args.database_url, SEED, args.rows)
    from django.db import connection
    from django.test import Client

    client = Client()

    def floor() -> int:
        size = 0
        with connection.cursor() as cursor, cursor.copy(FLOOR) as copy:
            for block in copy:
                size += len(block)
        return size

    def ours(fmt: str) -> int:
        response = client.get(f"/exports/observatoire.{fmt}")
        assert response.status_code == 200, response.content[:200]
        return sum(len(chunk) for chunk in response.streaming_content)

    cases = {
        "floor (COPY)": floor,
        "ours geojson": lambda: ours("geojson"),
        "ours csv": lambda: ours("csv"),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    sizes: dict[str, int] = {}
    for name, fn in cases.items():  # warm-up
        sizes[name] = fn()
    for _ in range(args.reps):
        for name, fn in cases.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    floor_median = statistics.median(times["floor (COPY)"])
    print(f"rows={args.rows} reps={args.reps} (median, min, max in s); uptime: {load}")
    print(f"{'case':14} {'median':>7} {'min':>6} {'max':>6} {'MB':>6} {'ratio':>6}")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"{name:14} {median:7.2f} {min(values):6.2f} {max(values):6.2f} "
            f"{sizes[name] / 1e6:6.1f} {median / floor_median:6.2f}"
        )


if __name__ == "__main__":
    main()
