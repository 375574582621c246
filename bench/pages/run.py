"""Pages benchmark: the pages people open, with the full 2017 Mérimée file (45,285 rows)
imported into ``demo-nord`` as ``anim``, served by granian as ``make run`` does.

Run it alone on the machine, from the project root:
    flock /tmp/spass-bench.lock .venv/bin/python bench/pages/run.py
It works in its own database (``spass_bench_pages``, created, migrated, demo loaded and the
file imported on first use), measures p50/p95 and HTML size of each page (logged in through
a session cookie), the resident memory of the granian workers after the run, and writes
``bench/results/pages/pages.md`` and ``pages.jsonl``. Targets: p50 ≤ 300 ms, ≤ 500 kB.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "importers"))

import run as importers_bench  # noqa: E402
from run import MERIMEE_2017, manage, server_url, with_database  # noqa: E402

BENCH_DB = "spass_bench_pages"
RESULTS = ROOT / "bench" / "results" / "pages"
PORT = 8765
TARGET_MS, TARGET_BYTES = 300, 500_000


def session_cookie(env: dict[str, str], username: str) -> str:
    code = (
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, "
        "HASH_SESSION_KEY\nfrom django.contrib.sessions.backends.db import SessionStore\n"
        f"u = get_user_model().objects.get(username={username!r})\ns = SessionStore()\n"
        "s[SESSION_KEY] = str(u.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash()\ns.create()\nprint(s.session_key)"
    )
    return manage(env, "shell", "-c", code)[1].strip().splitlines()[-1]


def ids(env: dict[str, str]) -> dict[str, str]:
    code = (
        "from workgroups.models import Group\nfrom layers.models import Map\n"
        "g = Group.objects.get(slug='demo-nord')\n"
        "m = Map.objects.filter(level='public').order_by('id').first()\n"
        "print(g.pk, m.slug)"
    )
    group, carte = manage(env, "shell", "-c", code)[1].strip().splitlines()[-1].split(" ")
    return {"group": group, "map": carte}


def pages(known: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, user, path)."""
    return [
        ("mon-espace anim", "anim", "/mon-espace/"),
        ("mon-espace contrib", "contrib", "/mon-espace/"),
        ("groupe demo-nord", "anim", "/groupes/demo-nord/"),
        (
            "a-valider filtré",
            "anim",
            f"/mon-espace/a-valider/?groupe={known['group']}&type=marqueur&tri=titre",
        ),
        ("moderation page 40", "anim", "/mon-espace/moderation/?page=40"),
        ("a-relire", "anim", "/mon-espace/a-relire/?q=eglise"),
        ("recherche eglise", "anim", "/recherche/?q=eglise"),
        ("carte", "anim", f"/cartes/{known['map']}/"),
        ("ogc items html", "anim", "/ogc/collections/observatoire/items?f=html"),
        ("imports", "anim", "/imports/"),
    ]


def fetch(conn: http.client.HTTPConnection, path: str, cookie: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = conn.getresponse()
    body = response.read()
    return (time.perf_counter() - start) * 1000, response.status, len(body)


def rss_kib(pid: int) -> dict[int, int]:
    """Resident memory (KiB) of the granian processes under ``pid``."""
    out = {}
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    for p in [pid, *map(int, children.split())]:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out[p] = int(line.split()[1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = server_url()
    env = {**os.environ, "DATABASE_URL": with_database(url, BENCH_DB), "SPASS_DEBUG": "false"}
    importers_bench.BENCH_DB = BENCH_DB  # its setup: database, extensions, migrations, territories
    importers_bench.setup(url, env)
    manage(env, "load_demo")
    manage(env, "load_demo_maps")
    seconds, out = manage(
        env, "import_merimee", str(MERIMEE_2017), "--group", "demo-nord", "--as", "anim"
    )
    print(f"import: {seconds:.1f} s {out.strip().splitlines()[0] if out.strip() else ''}")
    manage(env, "collectstatic", "--noinput", "-v0")
    cookies = {u: session_cookie(env, u) for u in ("anim", "contrib")}
    known = ids(env)
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "granian"), "--interface", "wsgi", "config.wsgi:application",
         "--host", "127.0.0.1", "--port", str(PORT), "--workers", str(args.workers),
         "--blocking-threads", "1", "--no-ws"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    rows = []
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=2).request("GET", "/")
                break
            except OSError:
                time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        for name, user, path in pages(known):
            fetch(conn, path, cookies[user])  # warm-up
            timings, sizes, statuses = [], [], set()
            for _ in range(args.reps):
                ms, status, size = fetch(conn, path, cookies[user])
                timings.append(ms)
                sizes.append(size)
                statuses.add(status)
            timings.sort()
            row = {
                "page": name,
                "path": path,
                "status": sorted(statuses),
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
                "bytes": max(sizes),
            }
            row["ok"] = row["p50_ms"] <= TARGET_MS and row["bytes"] <= TARGET_BYTES
            rows.append(row)
            print(row)
        memory = rss_kib(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / "pages.jsonl", "a") as fh:
        fh.write(
            json.dumps(
                {
                    "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "rows": rows,
                    "rss_kib": memory,
                }
            )
            + "\n"
        )
    lines = [
        "# Pages bench (Mérimée 2017, 45,285 rows in demo-nord)",
        "",
        f"{args.reps} requests per page after one warm-up, one keep-alive connection, granian "
        f"{args.workers} workers. Targets: p50 ≤ {TARGET_MS} ms, ≤ {TARGET_BYTES // 1000} kB.",
        "",
        "| page | path | status | p50 ms | p95 ms | bytes | target met |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {r['page']} | `{r['path']}` | {r['status']} | {r['p50_ms']} | {r['p95_ms']} | "
            f"{r['bytes']} | {'yes' if r['ok'] else 'NO'} |"
            for r in rows
        ],
        "",
        "Resident memory after the run (KiB, granian main then workers): "
        + ", ".join(str(v) for v in memory.values()),
        "",
    ]
    (RESULTS / "pages.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
