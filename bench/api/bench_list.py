"""List of 100 features through ``GET /api/v1/resources/`` against the raw SQL floor.

Reproducible: a dedicated database (``spass_bench_api`` on the same server as the project's,
or ``--database-url``) is migrated and seeded with ``--rows`` public, validated resources
(seeded random points over metropolitan France), then each case runs ``--reps`` times after a
warm-up. The API is called in-process through Django's test client as an anonymous visitor
(so no HTTP server or network noise is measured); the floor is the same page built as GeoJSON
by PostgreSQL alone, plus the count the API returns, on one connection.

    .venv/bin/python bench/api/bench_list.py --rows 50000 --reps 30 --output bench/results/api.md
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.benchdb import bench_arguments, open_bench_database, write_report  # noqa: E402

CASES = {
    "page": "limit=100",
    "filter": "limit=100&kind=projet,realisation&bbox=2.8,50.4,3.4,50.8",
    "search": "limit=100&q=eglise",
}

FLOOR_FILTERS = {
    "page": "",
    "filter": "AND r.kind IN ('projet', 'realisation') "
    "AND r.geom && ST_MakeEnvelope(2.8, 50.4, 3.4, 50.8, 4326) "
    "AND ST_Intersects(r.geom, ST_MakeEnvelope(2.8, 50.4, 3.4, 50.8, 4326))",
    "search": "AND (unaccent(r.title) ILIKE unaccent('%%eglise%%') "
    "OR unaccent(r.summary) ILIKE unaccent('%%eglise%%') "
    "OR unaccent(r.description) ILIKE unaccent('%%eglise%%'))",
}

FLOOR_PAGE = """
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f), '[]'))
FROM (
  SELECT json_build_object(
    'type', 'Feature', 'id', r.id, 'geometry', ST_AsGeoJSON(r.geom)::json,
    'properties', json_build_object(
      'title', r.title, 'summary', r.summary, 'description', r.description, 'base', r.base,
      'kind', r.kind, 'group', g.slug, 'level', r.level, 'themes', r.themes,
      'date_start', r.date_start, 'date_end', r.date_end, 'attributes', r.attributes,
      'author', u.username, 'validated_at', r.validated_at, 'created', r.created_at,
      'updated', r.updated_at)) AS f
  FROM observatoire_resource r
  JOIN workgroups_group g ON g.id = r.group_id
  JOIN workgroups_user u ON u.id = r.author_id
  WHERE r.level = 'public' AND r.validated_at IS NOT NULL {where}
  ORDER BY r.id DESC LIMIT 100
) AS page
"""
FLOOR_COUNT = """
SELECT count(*) FROM (SELECT 1 FROM observatoire_resource r
  WHERE r.level = 'public' AND r.validated_at IS NOT NULL {where} LIMIT 100001) AS c
"""

SEED = """
INSERT INTO observatoire_resource (base, kind, title, summary, description, themes, geom,
  attributes, group_id, author_id, level, validated_at, validated_by_id, source, source_id,
  created_at, updated_at)
SELECT 'observatoire',
  (ARRAY['marqueur', 'projet', 'realisation', 'action'])[1 + (i %% 4)],
  (ARRAY['Église', 'Beffroi', 'Courée', 'Filature', 'Jardin', 'Moulin'])[1 + (i %% 6)]
    || ' n° ' || i,
  'Ressource de banc d''essai', '', '{}',
  ST_SetSRID(ST_MakePoint(-4.5 + 12.5 * random(), 42.5 + 8.5 * random()), 4326),
  '{}'::jsonb, %(group)s, %(user)s, 'public', now(), %(user)s, 'bench', i::text, now(), now()
FROM generate_series(1, %(rows)s) AS i
"""


def _timed(fn, reps: int) -> list[float]:
    fn()
    durations = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        durations.append(time.perf_counter() - start)
    return durations


def main() -> None:
    args = bench_arguments(__doc__, reps=30).parse_args()

    open_bench_database("spass_bench_api", args.database_url, SEED, args.rows)
    from django.db import connection
    from django.test import Client

    client = Client()
    lines = [
        f"### {args.rows} lignes, {args.reps} répétitions — charge : {os.getloadavg()[0]:.1f}",
        "",
        "| cas | plancher SQL (médiane) | API (médiane) | API req/s | rapport |",
        "|---|---|---|---|---|",
    ]
    for case, query in CASES.items():
        where = FLOOR_FILTERS[case]

        def floor(where=where) -> None:
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_PAGE.format(where=where), [])
                cursor.fetchone()
                cursor.execute(FLOOR_COUNT.format(where=where), [])
                cursor.fetchone()

        def api(query=query) -> None:
            response = client.get(f"/api/v1/resources/?{query}")
            assert response.status_code == 200, response.content[:200]

        floor_t = _timed(floor, args.reps)
        api_t = _timed(api, args.reps)
        f_med, a_med = statistics.median(floor_t) * 1000, statistics.median(api_t) * 1000
        lines.append(
            f"| {case} | {f_med:.1f} ms | {a_med:.1f} ms | {1 / statistics.mean(api_t):.1f} "
            f"| **{a_med / f_med:.2f}×** |"
        )
    write_report("\n".join(lines) + "\n", args.output)


if __name__ == "__main__":
    main()
