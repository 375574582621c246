"""Territories benchmark (issue 26), in a scratch database of the project's PostgreSQL
(``spass_bench_territories``, created, migrated and filled with the territories on first use):

1. **derivation**: ``N`` resources (default 500,000; ``--rows 2000000`` for the target size)
   generated around real town halls (COPY, derivation off), then their communes, EPCI,
   départements and régions derived in ONE set-based statement
   (:func:`observatoire.territories.rederive`), timed;
2. **OGC items ``epci=``** at that size: p50 of ``/ogc/collections/observatoire/items
   ?epci=200093201&limit=100`` (anonymous, public validated rows), through Django's test
   client in process;
3. **the activity report** of a group holding 50,000 missions: p50 of the page (``anim``)
   and of its choropleth's GeoJSON (``rapport-communes.geojson``, fetched by the page's map).

Run alone: ``flock /tmp/spass-bench.lock .venv/bin/python bench/territories/run.py``.
``--only report`` measures step 3 alone over the database as it is (nothing generated nor
derived, ``run.md`` left as it is; ``--runs`` sets the runs) and prints its table. The
Mérimée import with derivation on is ``bench/importers/run.py --out
bench/results/territories/importers.md``. Results: ``bench/results/territories/run.md``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
DB = "spass_bench_territories"
OUT = ROOT / "bench" / "results" / "territories" / "run.md"


def server_url() -> str:
    url = (
        os.environ.get("DATABASE_URL")
        or subprocess.run(
            [str(ROOT / "bin" / "spass-db"), "url"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    return url.replace("postgis://", "postgresql://", 1)


def with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return done.stdout


POINTS = """
CREATE TEMP TABLE pts AS
  SELECT row_number() OVER (ORDER BY insee) AS n, mairie FROM geo_commune
   WHERE type = 'COM' AND mairie IS NOT NULL
"""
GENERATE = """
INSERT INTO observatoire_resource (base, kind, title, summary, description, themes, date_start,
    geom,
    attributes, communes, epcis, departements, regions, group_id, author_id, level,
    validated_at, source, source_id, created_at, updated_at)
SELECT b.base, b.kind, 'Ressource ' || i, '', '', '{}', DATE '2022-01-01' + (i %% 1400),
       ST_SetSRID(ST_Translate(t.mairie, (random() - 0.5) * 0.01, (random() - 0.5) * 0.01), 4326),
       '{}', '{}', '{}', '{}', '{}', %(group)s, %(author)s,
       CASE WHEN i %% 3 = 0 THEN 'groupe' ELSE 'public' END, now(), 'bench-terr', i::text,
       now(), now()
  FROM generate_series(1, %(rows)s) AS i
  JOIN pts t ON t.n = 1 + (i::bigint * 7919) %% 34000
  CROSS JOIN LATERAL (SELECT CASE WHEN i <= %(missions)s THEN 'activite'
                             ELSE 'observatoire' END AS base,
                             CASE WHEN i <= %(missions)s THEN (ARRAY['formation',
                               'sensibilisation', 'edition', 'conseil_collectivites'])[1 + i %% 4]
                             ELSE 'marqueur' END AS kind) b
"""


#: Step 3, run in ``manage.py shell``: the p50 (ms) of the report page and of its GeoJSON,
#: then the missions counted, one per line.
REPORT = """import statistics, time
from django.test import Client
from workgroups.models import User
from observatoire.models import Resource
def p50(f, runs):
    ts = []
    for _ in range(runs):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return statistics.median(ts) * 1000
a = Client(); a.force_login(User.objects.get(username='anim'))
r = '/groupes/demo-nord/activite/rapport/'
g = '/groupes/demo-nord/activite/rapport-communes.geojson'
assert a.get(r).status_code == 200 and a.get(g).status_code == 200
print(round(p50(lambda: a.get(r), RUNS), 1))
print(round(p50(lambda: a.get(g), RUNS), 1))
print(Resource.objects.filter(group__slug='demo-nord', base='activite').count())
"""


def report_rows(env: dict[str, str], runs: int) -> list[str]:
    """Step 3: the table rows of the report page's and its GeoJSON's p50."""
    out = manage(env, "shell", "-c", REPORT.replace("RUNS", str(runs)))
    page, geojson, missions = out.split()[-3:]
    n = f"{int(missions):,}"
    return [
        f"| activity report page of demo-nord ({n} missions), p50 of {runs} (ms) | {page} |",
        f"| its `rapport-communes.geojson`, p50 of {runs} (ms) | {geojson} |",
    ]


def only_report(env: dict[str, str], runs: int) -> None:
    """``--only report``: step 3 over the database as it is, printed (run.md untouched)."""
    lines = [f"Load before: `{os.getloadavg()}`", "", "| measure | value |", "|---|---:|"]
    lines += report_rows(env, runs)
    lines += ["", f"Load after: `{os.getloadavg()}`"]
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--missions", type=int, default=50_000)
    parser.add_argument("--only", choices=["report"], help="measure only this step")
    parser.add_argument("--runs", type=int, default=5, help="runs of the report's p50")
    args = parser.parse_args()
    url = server_url()
    with psycopg.connect(with_db(url, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f"CREATE DATABASE {DB}")
    db_url = with_db(url, DB).replace("postgresql://", "postgis://", 1)
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    if args.only == "report":
        only_report(env, args.runs)
        return
    manage(env, "migrate", "-v0")
    manage(env, "load_territories", "--if-empty", "-v0")
    manage(env, "load_demo", "-v0")
    lines = [f"# Territories benchmark ({args.rows:,} resources)", ""]
    lines.append(f"Load before: `{os.getloadavg()}`")
    pg = with_db(url, DB)
    with psycopg.connect(pg, autocommit=True) as conn:
        group, author = conn.execute(
            "SELECT g.id, u.id FROM workgroups_group g, workgroups_user u "
            "WHERE g.slug = 'demo-nord' AND u.username = 'anim'"
        ).fetchone()
        have = conn.execute(
            "SELECT count(*) FROM observatoire_resource WHERE source = 'bench-terr'"
        ).fetchone()[0]
        if have != args.rows:
            conn.execute("DELETE FROM observatoire_resource WHERE source = 'bench-terr'")
            start = time.perf_counter()
            conn.execute(POINTS)
            conn.execute("SET spass.territories_written = 'on'")
            conn.execute(
                GENERATE,
                {"group": group, "author": author, "rows": args.rows, "missions": args.missions},
            )
            conn.execute("RESET spass.territories_written")
            conn.execute("VACUUM ANALYZE observatoire_resource")
            lines.append(f"- generated {args.rows:,} rows in {time.perf_counter() - start:.1f} s")
    code = (
        "import time\nfrom observatoire.territories import rederive\n"
        "t = time.perf_counter()\nn = rederive(\"r.source = 'bench-terr'\")\n"
        "print(n, round(time.perf_counter() - t, 2))"
    )
    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute("SET spass.territories_written = 'on'")
        conn.execute(
            "UPDATE observatoire_resource SET communes = '{}', epcis = '{}', "
            "departements = '{}', regions = '{}' WHERE source = 'bench-terr'"
        )
        conn.execute("RESET spass.territories_written")
        conn.execute("VACUUM ANALYZE observatoire_resource")
    count, seconds = manage(env, "shell", "-c", code).split()[-2:]
    lines += ["", "| measure | value |", "|---|---:|"]
    lines.append(f"| derivation, one UPDATE over {int(count):,} rows (s) | {seconds} |")
    code = (
        "import statistics, time\nfrom django.test import Client\n"
        "def p50(f, runs=9):\n    ts = []\n    for _ in range(runs):\n"
        "        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)\n"
        "    return statistics.median(ts) * 1000\n"
        "c = Client()\n"
        "u = '/ogc/collections/observatoire/items?epci=200093201&limit=100&f=json'\n"
        "assert c.get(u).status_code == 200\n"
        "print(round(p50(lambda: c.get(u)), 1))"
    )
    ogc = manage(env, "shell", "-c", code).split()[-1]
    lines.append(f"| OGC items `epci=200093201` limit 100, p50 (ms) | {ogc} |")
    lines += report_rows(env, args.runs)
    lines += ["", f"Load after: `{os.getloadavg()}`", ""]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
