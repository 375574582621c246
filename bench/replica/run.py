"""Reads from a streaming replica against the primary, on the same machine: OGC ``items``
pages and cold tiles (the disk cache off) sent one at a time through
``config.wsgi.application`` (fast paths included), anonymous, in a fresh process per pass,
the primary and the replica alternately. The replica is ``bin/spass-db replica`` of the
embedded cluster; the database is ``spass_bench_replica`` (the API bench's generated rows).

    flock /tmp/spass-bench.lock .venv/bin/python bench/replica/run.py --rows 50000 \\
        --output bench/results/replica/results.md

On one machine a replica adds no capacity (same cores): the figure checks that reading there
costs no more than on the primary (issue #30: within 1.2x).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.benchdb import bench_arguments, bench_database_url, write_report  # noqa: E402

DB = "spass_bench_replica"

#: Run in a fresh process: argv = JSON list of paths; prints per-path wall times (s) as JSON.
CHILD = r"""
import io, json, os, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
from config.wsgi import application
from geo import replicas
paths = json.loads(sys.argv[1])

def call(path):
    p, _, q = path.partition("?")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": p, "QUERY_STRING": q,
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8106", "HTTP_HOST": "127.0.0.1:8106",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
               "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.version": (1, 0), "wsgi.multithread": False,
               "wsgi.multiprocess": True, "wsgi.run_once": False, "REMOTE_ADDR": "127.0.0.1"}
    status = []
    body = application(environ, lambda s, h, e=None: status.append(s))
    b"".join(body)
    getattr(body, "close", lambda: None)()
    assert status[0][:3] in ("200", "204"), (path, status)

for path in paths[:20]:
    call(path)  # warm-up: connections, prepared statements, compiled SQL
times = []
for path in paths:
    t0 = time.perf_counter()
    call(path)
    times.append(time.perf_counter() - t0)
verdicts = {alias: v[1] for alias, v in replicas.health.verdicts.items()}
print(json.dumps({"times": times, "verdicts": verdicts}))
"""


def _paths(rows: int, count: int) -> dict[str, list[str]]:
    """OGC pages across the table and z10 tiles across the seeded area (lon -4.5..8,
    lat 42.5..51), the same for both sides."""
    import math
    import random

    rng = random.Random(30)
    items = [
        f"/ogc/collections/observatoire/items?limit=50&offset={rng.randrange(0, min(rows, 5000))}"
        for _ in range(count)
    ]
    tiles = []
    for _ in range(count):
        lon, lat = rng.uniform(-4.5, 8), rng.uniform(42.5, 51)
        n = 2**10
        x = int((lon + 180) / 360 * n)
        r = math.radians(lat)
        y = int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
        tiles.append(f"/tiles/observatoire/10/{x}/{y}.pbf")
    return {"items": items, "tiles z10": tiles}


def _pass(paths: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(paths)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = bench_arguments(__doc__, reps=3)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    primary = bench_database_url(DB, args.database_url)
    # the database, migrated and seeded, in a child process (Django set up there)
    seed = (
        "import sys; sys.path.insert(0, '.'); from bench.benchdb import open_bench_database;"
        f"from bench.api.bench_list import SEED; open_bench_database({DB!r}, {primary!r}, SEED,"
        f" {args.rows})"
    )
    subprocess.run([sys.executable, "-c", seed], cwd=ROOT, check=True)
    subprocess.run([str(ROOT / "bin/spass-db"), "replica", "start"], check=True)
    replica_port = (ROOT / "var/postgres-replica/port").read_text().strip()
    host, _, rest = primary.rpartition("@")[2].partition(":")
    replica = primary.replace(f"@{host}:{rest.split('/')[0]}/", f"@{host}:{replica_port}/")
    time.sleep(2)  # the seed replayed
    base = {**os.environ, "DATABASE_URL": primary, "SPASS_TILES_CACHE": "false"}
    sides = {"primary": base, "replica": {**base, "SPASS_DATABASE_REPLICA_URLS": replica}}
    results: dict[tuple[str, str], list[float]] = {}
    for _rep in range(args.reps):
        for kind, paths in _paths(args.rows, args.requests).items():
            for side, env in sides.items():
                answer = _pass(paths, env)
                if side == "replica":
                    assert answer["verdicts"] == {"replica_0": True}, answer["verdicts"]
                results.setdefault((kind, side), []).append(statistics.median(answer["times"]))
    load = os.getloadavg()
    lines = [
        f"### Replica vs primary, {args.rows} rows, {args.requests} requests × {args.reps} passes",
        "",
        f"Sequential, in process (fast paths), anonymous; load at the end {load[0]:.2f} "
        f"/ {load[1]:.2f} (2 cores). Median of the passes' medians, ms per request.",
        "",
        "| request | primary | replica | replica / primary |",
        "|---|---|---|---|",
    ]
    for kind in _paths(args.rows, 1):
        p = statistics.median(results[(kind, "primary")]) * 1000
        r = statistics.median(results[(kind, "replica")]) * 1000
        lines.append(f"| {kind} | {p:.2f} | {r:.2f} | **{r / p:.2f}×** |")
    write_report("\n".join(lines), args.output)
    results_json = {f"{k} {s}": v for (k, s), v in results.items()}
    print(json.dumps(results_json))


if __name__ == "__main__":
    main()
