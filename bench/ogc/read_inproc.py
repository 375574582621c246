"""Cost of one read request of the OGC API in process, for several checkouts of the code
alternately: the `items` and `item` requests of run.sh (the harness's paths, feed key of
``bench``) sent one at a time through ``config.wsgi.application`` (fast paths included),
on ``bench_50k_ours``. Wall time and the process's CPU time per request (median of each pass):
CPU time moves far less than wrk's r/s when other jobs load the machine.

    flock /tmp/spass-bench.lock .venv/bin/python bench/ogc/read_inproc.py ROOT_A ROOT_B …
    PASSES=3 ITEMS=300 RESULTS=bench/results/ogc-write/read-inproc.jsonl …

Each ROOT is a tree of the code (e.g. ``git archive <commit> | tar -x -C /tmp/x`` with
``.venv`` and ``var`` linked to the worktree's); each pass runs every ROOT once, in a fresh
process, in the order given.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
DB = os.environ.get("DB", "bench_50k_ours")
PASSES = int(os.environ.get("PASSES", "3"))
ITEMS = int(os.environ.get("ITEMS", "300"))
HARNESS = Path(os.environ.get("BENCH", REPO.parent / "shared/bench"))
RESULTS = Path(os.environ.get("RESULTS", REPO / "bench/results/ogc-write/read-inproc.jsonl"))

#: Run inside each ROOT (cwd): argv = paths file of items, paths file of item, count of items.
CHILD = r"""
import io, json, os, statistics, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
from config.wsgi import application
items = open(sys.argv[1]).read().split()
item = open(sys.argv[2]).read().split()
n_items = int(sys.argv[3])

def environ(path):
    p, _, q = path.partition("?")
    return {"REQUEST_METHOD": "GET", "PATH_INFO": p, "QUERY_STRING": q, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8101", "HTTP_HOST": "127.0.0.1:8101", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True,
            "wsgi.run_once": False, "REMOTE_ADDR": "127.0.0.1"}

def call(path):
    status = []
    body = application(environ(path), lambda s, h, e=None: status.append(s))
    size = sum(len(b) for b in body)
    getattr(body, "close", lambda: None)()
    assert status[0].startswith("200"), (path, status)
    return size

def measure(paths):
    wall, cpu, size = [], [], 0
    for path in paths:
        w0, c0 = time.perf_counter(), time.process_time()
        size = call(path)
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return {"n": len(paths), "wall_ms_median": round(statistics.median(wall), 3),
            "cpu_ms_median": round(statistics.median(cpu), 3),
            "wall_ms_mean": round(statistics.fmean(wall), 3), "bytes_last": size}

for p in item[:50] + items[:1] * 20:  # warm-up: connections, prepared statements, caches
    call(p)
print("JSON " + json.dumps({"items": measure(items * n_items), "item": measure(item)}))
"""


def code_commit(root: Path) -> str:
    """The commit of the code served: ROOT/.commit (written next to a ``git archive`` export),
    else ROOT's own HEAD."""
    mark = root / ".commit"
    if mark.exists():
        return mark.read_text().strip()
    return subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()


def main() -> int:
    roots = [Path(r).resolve() for r in sys.argv[1:]]
    if not roots:
        print(__doc__)
        return 2
    pgdir = roots[0] / "var/postgres"
    port, password = (pgdir / "port").read_text().strip(), (pgdir / "password").read_text().strip()
    url = f"postgis://spass:{password}@127.0.0.1:{port}/{DB}"
    key = subprocess.run(
        ["psql", "-qXtA", "-d", DB, "-c", "select key from workgroups_feedkey order by id limit 1"],
        env={**os.environ, "PGHOST": "127.0.0.1", "PGPORT": port, "PGUSER": "spass",
             "PGPASSWORD": password},
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="read-inproc-"))
    subprocess.run(
        ["python3", str(HARNESS / "make_workload.py"), "http", "--rows", "50000", "--out",
         str(tmp), "--items", "/ogc/collections/observatoire/items", "--tile", "/none/{z}/{x}/{y}",
         "--query", f"key={key}"],
        check=True,
    )  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    for rep in range(1, PASSES + 1):
        for root in roots:
            commit = subprocess.run(
                ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True
            ).stdout.strip()
            load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
            out = subprocess.run(
                [str(root / ".venv/bin/python"), "-c", CHILD, str(tmp / "items.txt"),
                 str(tmp / "item.txt"), str(ITEMS)],
                cwd=root, env={**os.environ, "DATABASE_URL": url},
                capture_output=True, text=True,
            )  # fmt: skip
            line = next((x for x in out.stdout.splitlines() if x.startswith("JSON ")), None)
            if line is None:
                print(out.stdout, out.stderr, file=sys.stderr)
                return 1
            for endpoint, figures in json.loads(line[5:]).items():
                row = {"size": "50k", "endpoint": endpoint, "kind": "inproc", "rep": rep,
                       "code_root": str(root), "code_commit": code_commit(root),
                       "repo_head": commit, "load_before": load,
                       **figures}  # fmt: skip
                print(json.dumps(row), flush=True)
                with RESULTS.open("a") as f:
                    f.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
