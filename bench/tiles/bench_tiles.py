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
import datetime as dt
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

from django.contrib.gis.geos import Point  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from observatoire.models import Resource  # noqa: E402
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
    """Replace the bench rows with the harness's seeded ones (bulk, no signals)."""
    author, _ = User.objects.get_or_create(username="bench")
    groups = {
        i: Group.objects.get_or_create(slug=f"bench-{i}", defaults={"name": f"Bench {i}"})[0]
        for i in range(1, 51)
    }
    Resource.objects.filter(source="bench").delete()
    gen = subprocess.Popen(
        [sys.executable, str(harness / "gen_data.py"), "--rows", str(rows), "--seed", "42"],
        stdout=subprocess.PIPE,
        text=True,
    )
    now = timezone.now()
    batch: list[Resource] = []
    for line in gen.stdout:
        cols = line.rstrip("\n").split("\t")
        lon, lat = cols[10].split("(")[1].rstrip(")").split()
        level = LEVELS[cols[4]]
        batch.append(
            Resource(
                base="observatoire",
                kind=KINDS[cols[2]],
                title=cols[5][:255],
                geom=Point(float(lon), float(lat), srid=4326),
                group=groups[int(cols[3])],
                author=author,
                level=level,
                validated_at=now if level != Level.UTILISATEUR else None,
                date_start=dt.date.fromisoformat(cols[8][:10]),
                source="bench",
                source_id=cols[0],
            )
        )
        if len(batch) == 5000:
            Resource.objects.bulk_create(batch)
            batch.clear()
    Resource.objects.bulk_create(batch)
    gen.wait()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE observatoire_resource")
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
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--harness", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--no-load", action="store_true", help="keep the rows already loaded")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    if not args.no_load:
        load(args.rows, args.harness)
    machine_load = os.getloadavg()
    results = measure(args.harness, args.reps)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"tiles-{args.rows // 1000}k"
    (args.out / f"{stem}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results))
    (args.out / f"{stem}.md").write_text(markdown(results, args.rows, machine_load))


if __name__ == "__main__":
    main()
