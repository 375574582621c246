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
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402

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


def measure(harness: Path, reps: int) -> list[dict]:
    workload = _harness_module(harness, "make_workload")
    client = Client()
    variant = TileParams.from_query(QueryDict("")).key
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
                response = client.get(f"/tiles/observatoire/{z}/{x}/{y}.pbf")
                cold.append(_ms(start))
                assert response.status_code in (200, 204), response.content
                sizes.append(len(response.content))
                start = time.perf_counter()
                client.get(f"/tiles/observatoire/{z}/{x}/{y}.pbf")
                warm.append(_ms(start))
        row = {"zoom": z, "tiles": len(tiles), "reps": reps}
        for name, values in (("floor", floor), ("cold", cold), ("warm", warm)):
            values.sort()
            row[f"{name}_median_ms"] = round(statistics.median(values), 2)
            row[f"{name}_p95_ms"] = round(values[int(0.95 * (len(values) - 1))], 2)
        row["ours_mean_kb"] = round(statistics.mean(sizes) / 1024, 1)
        row["floor_mean_kb"] = round(statistics.mean(floor_sizes) / 1024, 1)
        row["cold_to_floor"] = round(row["cold_median_ms"] / row["floor_median_ms"], 2)
        results.append(row)
        print(json.dumps(row), flush=True)
    return results


def markdown(results: list[dict], rows: int, load: tuple[float, float, float]) -> str:
    lines = [
        f"### Tuiles, {rows} lignes (séquentiel, une requête à la fois, médiane / p95)",
        "",
        f"Charge de la machine (partagée) au départ : {load[0]:.1f} / {load[1]:.1f} / "
        f"{load[2]:.1f} sur {os.cpu_count()} cœurs ; froid = sans le cache disque, à travers "
        "Django ; plancher = la requête ST_AsMVT brute du banc partagé, sans règle de "
        "visibilité ni HTTP.",
        "",
        "| zoom | tuiles × passes | plancher SQL | nous à froid | nous en cache | "
        "froid / plancher | taille moyenne nous / plancher |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| z{r['zoom']} | {r['tiles']} × {r['reps']} | "
            f"{r['floor_median_ms']} / {r['floor_p95_ms']} ms | "
            f"{r['cold_median_ms']} / {r['cold_p95_ms']} ms | "
            f"{r['warm_median_ms']} / {r['warm_p95_ms']} ms | **{r['cold_to_floor']}×** | "
            f"{r['ours_mean_kb']} kB / {r['floor_mean_kb']} kB |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["load", "measure"])
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--harness", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    if args.action == "load":
        load(args.rows, args.harness)
        return
    machine_load = os.getloadavg()
    results = measure(args.harness, args.reps)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"tiles-{args.rows // 1000}k"
    (args.out / f"{stem}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results))
    (args.out / f"{stem}.md").write_text(markdown(results, args.rows, machine_load))


if __name__ == "__main__":
    main()
