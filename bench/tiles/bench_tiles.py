#!/usr/bin/env python3
"""Tiles benchmark: ours (cold and warm cache) against the SQL floor, on the same rows.

One light sequential run (no concurrent load: the machine is shared): for each z6/z10/z14
tile of the shared harness's workload over Paris and Lille, time
  floor : the harness's raw ST_AsMVT query on our table (every row, no visibility rule),
  cold  : GET /tiles/observatoire/z/x/y.pbf through Django, tile cache emptied first,
  warm  : the same request again, answered from the disk cache,
as an anonymous visitor (visibility rule applied, clusters below z10). Rows come from the
harness's seeded generator (``gen_data.py``), loaded into ``observatoire_resource``.

Run on a database of its own (see bench/tiles/run.sh), never on real data:
    DATABASE_URL=… python bench/tiles/bench_tiles.py --rows 50000 --harness ../shared/bench
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402

from tiles import cache  # noqa: E402
from tiles.params import TileParams  # noqa: E402
from workgroups.models import Group, User  # noqa: E402
from workgroups.roles import Level  # noqa: E402

#: Harness types → kinds of the Observatoire (so that its collection holds every row).
KINDS = {
    "marqueur": "marqueur",
    "projet": "projet",
    "realisation": "realisation",
    "action": "action",
    "activite": "action",
    "media": "realisation",
    "evenement": "action",
    "acteur": "projet",
}
LEVELS = {"public": Level.PUBLIC, "members": Level.COMMUNAUTE, "private": Level.UTILISATEUR}
FLOOR_SQL = (
    "SELECT ST_AsMVT(t.*, 'default', 4096, 'geom') FROM ("
    "SELECT f.id, f.kind, f.group_id, f.title, "
    "ST_AsMVTGeom(ST_Transform(f.geom, 3857), e.env, 4096, 64, true) AS geom "
    "FROM observatoire_resource f, (SELECT ST_TileEnvelope(%s, %s, %s) AS env) e "
    "WHERE f.geom && ST_Transform(e.env, 4326)) t"
)


def _harness_module(harness: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, harness / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load(rows: int, harness: Path) -> None:
    """Replace the bench rows with the harness's seeded ones: COPY into the harness's own
    table shape, then one INSERT … SELECT (2M rows in minutes; no signals, no per-row Python)."""
    author, _ = User.objects.get_or_create(username="bench")
    for i in range(1, 51):
        Group.objects.get_or_create(slug=f"bench-{i}", defaults={"name": f"Bench {i}"})
    kinds = " ".join(f"WHEN '{t}' THEN '{k}'" for t, k in KINDS.items())
    levels = " ".join(f"WHEN '{v}' THEN '{level.value}'" for v, level in LEVELS.items())
    gen = subprocess.Popen(
        [sys.executable, str(harness / "gen_data.py"), "--rows", str(rows), "--seed", "42"],
        stdout=subprocess.PIPE,
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM observatoire_resource WHERE source = 'bench'")
        cursor.execute((harness / "sql" / "schema.sql").read_text())
        with cursor.copy("COPY observatoire_feature FROM STDIN") as copy:
            while chunk := gen.stdout.read(1 << 20):
                copy.write(chunk)
        gen.wait()
        cursor.execute(
            "INSERT INTO observatoire_resource (base, kind, title, summary, description, themes,"
            " date_start, geom, attributes, level, validated_at, checked_at, source, source_id,"
            " created_at, updated_at, author_id, group_id) "
            f"SELECT 'observatoire', CASE f.type {kinds} END, f.title, '', '', '{{}}',"
            f" f.created::date, f.geom, '{{}}', CASE f.visibility {levels} END,"
            " CASE WHEN f.visibility <> 'private' THEN now() END, NULL, 'bench', f.id::text,"
            " now(), now(), %s, g.id "
            "FROM observatoire_feature f "
            "JOIN workgroups_group g ON g.slug = 'bench-' || f.group_id",
            [author.pk],
        )
        cursor.execute("DROP TABLE observatoire_feature")
        cursor.execute("VACUUM ANALYZE observatoire_resource")
    cache.invalidate_all()


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


#: WSGI servers measured, 2 workers each: gunicorn's sync workers (one request at a time per
#: process) and granian (Rust HTTP server calling the WSGI app from its blocking threads).
SERVERS: dict[str, list[str]] = {
    "gunicorn-sync": [
        "gunicorn",
        "config.wsgi:application",
        "--workers",
        "2",
        "--timeout",
        "120",
        "--log-level",
        "warning",
        "--bind",
    ],
    "granian": [
        "granian",
        "--interface",
        "wsgi",
        "config.wsgi:application",
        "--workers",
        "2",
        "--no-ws",
        "--log-level",
        "warning",
        "--host",
        "127.0.0.1",
        "--port",
    ],
}


class Server:
    """The project's WSGI application (the WSGI fast path included), 2 workers, as deployed."""

    def __init__(self, port: int, name: str) -> None:
        self.port, self.name = port, name
        self.connection: http.client.HTTPConnection | None = None
        command = SERVERS[name]
        address = f"127.0.0.1:{port}" if command[-1] == "--bind" else str(port)
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / command[0]), *command[1:], address], cwd=ROOT
        )
        for _ in range(120):
            try:
                self.get(_tile_url(14, 0, 0))
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"{name} did not start")

    def get(self, path: str) -> tuple[int, int]:
        """One GET on a kept connection (reopened when the server closed it, as gunicorn's
        sync workers do after each answer): the client costs as little as it can."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            return response.status, len(response.read())
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise

    def stop(self) -> None:
        """Stop and wait until the port is free again (the next server binds it)."""
        self.process.terminate()
        self.process.wait(30)
        for _ in range(60):
            try:
                self.get("/")
            except (OSError, http.client.HTTPException):
                if self.connection is None:
                    return
            time.sleep(0.5)


def _tile_url(z: int, x: int, y: int) -> str:
    return f"/tiles/observatoire/{z}/{x}/{y}.pbf"


def measure(harness: Path, reps: int, server: Server) -> list[dict]:
    """Sequential: floor, ours cold (tile removed from the disk cache), ours warm, per tile."""
    workload = _harness_module(harness, "make_workload")
    variant = TileParams.from_query(QueryDict("")).key
    # Warm both workers (imports, database connection, catalog caches) on tiles next to the
    # workload's, never measured, so that the first measured tile is not a server start.
    for z in (6, 10, 14):
        _, x, y = workload.tiles(z)[0]
        for dx in range(1, 5):
            server.get(_tile_url(z, x + 2 * dx, y))
    results = []
    for z in (6, 10, 14):
        tiles = workload.tiles(z)
        floor, cold, warm, sizes, floor_sizes = [], [], [], [], []
        for _ in range(reps):
            for _, x, y in tiles:
                start = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(FLOOR_SQL, (z, x, y))
                    floor_sizes.append(len(bytes(cursor.fetchone()[0] or b"")))
                floor.append(_ms(start))
                # Cold: this tile is not cached (the cache folders exist, as in production).
                cache.tile_path("observatoire", variant, z, x, y).unlink(missing_ok=True)
                start = time.perf_counter()
                status, size = server.get(_tile_url(z, x, y))
                cold.append(_ms(start))
                assert status in (200, 204), status
                sizes.append(size)
                start = time.perf_counter()
                server.get(_tile_url(z, x, y))
                warm.append(_ms(start))
        row = {"test": "sequential", "server": server.name, "zoom": z, "tiles": len(tiles)}
        row["reps"] = reps
        for name, values in (("floor", floor), ("cold", cold), ("warm", warm)):
            values.sort()
            row[f"{name}_median_ms"] = round(statistics.median(values), 2)
            row[f"{name}_p95_ms"] = round(values[math.ceil(0.95 * len(values)) - 1], 2)
        row["ours_mean_kb"] = round(statistics.mean(sizes) / 1024, 1)
        row["floor_mean_kb"] = round(statistics.mean(floor_sizes) / 1024, 1)
        row["cold_to_floor"] = round(row["cold_median_ms"] / row["floor_median_ms"], 2)
        results.append(row)
        print(json.dumps(row), flush=True)
    return results


def throughput(harness: Path, server: Server, seconds: int) -> list[dict]:
    """Warm cache under load: wrk, 16 connections, the harness's path script, per zoom."""
    workload = _harness_module(harness, "make_workload")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for z in (6, 10, 14):
            paths = Path(tmp) / f"z{z}.txt"
            paths.write_text("".join(_tile_url(*tile) + "\n" for tile in workload.tiles(z)))
            for tile in workload.tiles(z):
                server.get(_tile_url(*tile))
            script, url = str(harness / "wrk_paths.lua"), f"http://127.0.0.1:{server.port}"
            out = subprocess.run(
                ["wrk", "-t1", "-c16", f"-d{seconds}s", "--timeout", "60s", "-s", script, url],
                env={**os.environ, "PATHS": str(paths)},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            stats = json.loads(out.split("JSON ", 1)[1])
            row = {
                "test": "wrk-warm",
                "server": server.name,
                "zoom": z,
                "rps": round(stats["rps"]),
                "p50_ms": stats["p50_ms"],
                "p99_ms": stats["p99_ms"],
                "errors": sum(v for k, v in stats.items() if k.startswith("err_")),
            }
            results.append(row)
            print(json.dumps(row), flush=True)
    return results


def markdown(results: list[dict], rows: int, load: tuple[float, float, float]) -> str:
    lines = [
        f"### Tuiles, {rows} lignes",
        "",
        f"Charge de la machine (partagée, `uptime`) au départ : {load[0]:.1f} / {load[1]:.1f} / "
        f"{load[2]:.1f} sur {os.cpu_count()} cœurs. Séquentiel, une requête à la fois, médiane "
        "/ p95 : plancher = la requête ST_AsMVT brute du banc partagé (toutes les lignes, sans "
        "règle de visibilité ni HTTP) ; froid = HTTP (`http.client`, connexion gardée quand le "
        "serveur la garde) vers le serveur (2 workers), tuile retirée du cache disque ; en cache "
        "= la même requête ensuite. Les deux passent par le chemin rapide WSGI "
        "(`tiles/fastpath.py`).",
        "",
        "| serveur | zoom | tuiles × passes | plancher SQL | nous à froid | nous en cache | "
        "froid / plancher | taille moyenne nous / plancher |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r["test"] != "sequential":
            continue
        lines.append(
            f"| {r['server']} | z{r['zoom']} | {r['tiles']} × {r['reps']} | "
            f"{r['floor_median_ms']} / {r['floor_p95_ms']} ms | "
            f"{r['cold_median_ms']} / {r['cold_p95_ms']} ms | "
            f"{r['warm_median_ms']} / {r['warm_p95_ms']} ms | **{r['cold_to_floor']}×** | "
            f"{r['ours_mean_kb']} kB / {r['floor_mean_kb']} kB |"
        )
    lines += [
        "",
        "Tuiles en cache sous charge : wrk, 16 connexions, 2 workers.",
        "",
        "| zoom | serveur | requêtes/s | p50 / p99 | erreurs |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        if r["test"] == "wrk-warm":
            lines.append(
                f"| z{r['zoom']} | {r['server']} | **{r['rps']}** | "
                f"{r['p50_ms']} / {r['p99_ms']} ms | {r['errors']} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["load", "measure"])
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--harness", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--servers", default=",".join(SERVERS), help="among: " + ", ".join(SERVERS))
    args = parser.parse_args()
    if args.action == "load":
        load(args.rows, args.harness)
        return
    machine_load = os.getloadavg()
    results = []
    for name in args.servers.split(","):
        server = Server(args.port, name)
        try:
            results += measure(args.harness, args.reps, server)
            results += throughput(args.harness, server, args.seconds)
        finally:
            server.stop()
    args.out.mkdir(parents=True, exist_ok=True)
    size = f"{args.rows // 10**6}m" if args.rows % 10**6 == 0 else f"{args.rows // 1000}k"
    stem = f"tiles-{size}"
    (args.out / f"{stem}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results))
    (args.out / f"{stem}.md").write_text(markdown(results, args.rows, machine_load))


if __name__ == "__main__":
    main()
