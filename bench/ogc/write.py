"""Write throughput of the OGC API (Features Part 4) at 50k: concurrent PATCHes of distinct
features (issue 29, « Bench »).

Run it under the bench lock, with the embedded PostGIS running and ``bench_50k_ours`` loaded
(``SIZES=50k flock /tmp/spass-bench.lock bench/ogc/run.sh load``)::

    flock /tmp/spass-bench.lock .venv/bin/python bench/ogc/write.py
    CONC=16 DURATION=30 PER_WORKER=50 MODES="plain ifmatch" SPASS_ROOT=/path/to/code \\
      RESULTS=bench/results/ogc-write/results.jsonl \\
      flock /tmp/spass-bench.lock .venv/bin/python bench/ogc/write.py

What it does:

1. setup (``manage.py shell``): gives the account ``bench`` (the author of every row, see
   ``make_people.py``) a known password and an active ``contributeur`` membership in the
   groups of the chosen features (``editable_by``: the author while contributeur of the
   group); picks ``CONC × PER_WORKER`` distinct feature ids at random (seed 29) and keeps
   their title and ``updated_at``;
2. serves ``SPASS_ROOT`` (default: this repository) with granian exactly as ``run.sh`` does
   (``--interface wsgi config.wsgi:application --workers $WORKERS --blocking-threads 1
   --no-ws``) on a free port, ``DATABASE_URL`` on ``bench_50k_ours``;
3. for each mode of ``MODES``: a warm-up (every connection GETs its first feature three
   times: the Basic credential is verified once per process, then remembered), then ``CONC``
   threads, each with its own keep-alive ``http.client`` connection, ``PATCH`` their own
   features in turn for ``DURATION`` seconds, ``Authorization: Basic``,
   ``Content-Type: application/merge-patch+json``, body
   ``{"properties": {"title": "<original title> (modif <n>)"}}``:

   - ``plain``: the PATCH alone, no ``If-Match`` (what QGIS sends);
   - ``ifmatch``: ``GET`` the item, then ``PATCH`` with ``If-Match: <its ETag>`` (a client
     that reads before writing; 412 expected only if someone else wrote in between: never
     here, each feature has one writer);

   counts every answer by status (2xx, 4xx, 5xx, connection errors), latency percentiles per
   method, requests/s; samples ``pg_stat_activity`` every 100 ms for backends waiting on a
   lock, and reads ``pg_stat_database.deadlocks`` before and after;
4. teardown: checks that each feature holds its last title, then puts back every title and
   ``updated_at`` (one UPDATE), removes the memberships it added and the password, drops
   the title word « modif » if it was not there before, ``VACUUM ANALYZE`` the table: the
   database is left as ``run.sh load`` made it (the read benches use it).

Prints a table and appends one JSON line per mode and method to ``RESULTS``; ``uptime`` before
and after each mode goes into the JSON line.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ROOT = Path(os.environ.get("SPASS_ROOT", REPO)).resolve()
DB = os.environ.get("DB", "bench_50k_ours")
SIZE = os.environ.get("SIZE", "50k")
CONC = int(os.environ.get("CONC", "16"))
DURATION = float(os.environ.get("DURATION", "30"))
PER_WORKER = int(os.environ.get("PER_WORKER", "50"))
WORKERS = int(os.environ.get("WORKERS", "2"))
MODES = os.environ.get("MODES", "plain ifmatch").split()
# REP: a number recorded with the figures (repeat the command with REP=2, 3… to append reps)
RESULTS = Path(os.environ.get("RESULTS", REPO / "bench/results/ogc-write/results.jsonl"))
COLLECTION = "observatoire"
USERNAME = "bench"
PASSWORD = "bench-write-29"  # set in setup, made unusable again in teardown
SUFFIX = " (modif "

PGDIR = ROOT / "var/postgres"
PG = {
    "host": "127.0.0.1",
    "port": (PGDIR / "port").read_text().strip(),
    "user": "spass",
    "password": (PGDIR / "password").read_text().strip(),
}
DATABASE_URL = f"postgis://{PG['user']}:{PG['password']}@{PG['host']}:{PG['port']}/{DB}"


def code_commit(root: Path) -> str:
    """The commit of the code served: ROOT/.commit (written next to a ``git archive`` export),
    else ROOT's own HEAD."""
    mark = root / ".commit"
    if mark.exists():
        return mark.read_text().strip()
    return subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def connect(dbname: str = DB) -> psycopg.Connection:
    return psycopg.connect(dbname=dbname, autocommit=True, **PG)


def manage_shell(code: str) -> str:
    env = {**os.environ, "DATABASE_URL": DATABASE_URL}
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


# --- setup and teardown ------------------------------------------------------------------


def pick_features(conn: psycopg.Connection) -> list[tuple[int, str, object, int]]:
    """CONC × PER_WORKER distinct features of the account, at random (seed 29)."""
    rows = conn.execute(
        "SELECT r.id, r.title, r.updated_at, r.group_id FROM observatoire_resource r "
        "JOIN workgroups_user u ON u.id = r.author_id WHERE u.username = %s ORDER BY r.id",
        (USERNAME,),
    ).fetchall()
    chosen = random.Random(29).sample(rows, CONC * PER_WORKER)
    return chosen


def setup(groups: set[int]) -> list[int]:
    """Password and contributeur memberships; returns the ids of the memberships added."""
    code = f"""
from workgroups.models import Membership, User
from workgroups.roles import Role
u = User.objects.get(username={USERNAME!r})
u.set_password({PASSWORD!r}); u.save(update_fields=["password"])
added = []
for g in {sorted(groups)!r}:
    m, created = Membership.objects.get_or_create(
        user=u, group_id=g,
        defaults=dict(role=Role.CONTRIBUTEUR, state=Membership.State.ACTIVE))
    if created:
        added.append(m.pk)
    elif m.role == Role.LECTEUR or m.state != Membership.State.ACTIVE:
        raise SystemExit(f"membership {{m.pk}} exists but does not allow editing")
print("ADDED", added)
"""
    for line in manage_shell(code).splitlines():
        if line.startswith("ADDED "):
            return json.loads(line[6:])
    raise RuntimeError("setup printed no ADDED line")


def teardown(conn: psycopg.Connection, features, added: list[int], had_modif: bool) -> dict:
    """Put the database back as run.sh load made it; returns what was checked."""
    ids = [f[0] for f in features]
    changed = conn.execute(
        "SELECT count(*) FROM observatoire_resource "
        "WHERE id = ANY(%s) AND position(%s in title) > 0",
        (ids, SUFFIX),
    ).fetchone()[0]
    with conn.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_restore (id bigint, title text, updated_at timestamptz)"
        )
        with cur.copy("COPY bench_restore FROM STDIN") as copy:
            for pk, title, updated, _group in features:
                copy.write_row((pk, title, updated))
        restored = cur.execute(
            "UPDATE observatoire_resource r SET title = b.title, updated_at = b.updated_at "
            "FROM bench_restore b WHERE r.id = b.id AND (r.title, r.updated_at) "
            "IS DISTINCT FROM (b.title, b.updated_at)"
        ).rowcount
        cur.execute("DROP TABLE bench_restore")
        if added:
            cur.execute("DELETE FROM workgroups_membership WHERE id = ANY(%s)", (added,))
        if not had_modif:
            cur.execute("DELETE FROM observatoire_title_word WHERE word = 'modif'")
        cur.execute("VACUUM ANALYZE observatoire_resource")
    manage_shell(
        f"from workgroups.models import User\nu = User.objects.get(username={USERNAME!r})\n"
        'u.set_unusable_password(); u.save(update_fields=["password"])'
    )
    return {"features_with_suffix": changed, "rows_restored": restored}


# --- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int, log: Path) -> subprocess.Popen:
    cmd = [
        str(ROOT / ".venv/bin/granian"), "--interface", "wsgi", "config.wsgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS),
        "--blocking-threads", "1", "--no-ws", "--log-level", "warning",
    ]  # fmt: skip
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": DATABASE_URL},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/ogc/")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"granian did not answer on {port}; see {log}")


# --- the load ----------------------------------------------------------------------------


class Worker(threading.Thread):
    def __init__(self, port: int, features, mode: str, stop_at: float, auth: str) -> None:
        super().__init__(daemon=True)
        self.port, self.features, self.mode, self.stop_at = port, features, mode, stop_at
        self.headers = {"Authorization": auth}
        self.lat: dict[str, list[float]] = {"PATCH": [], "GET": []}
        self.status: Counter = Counter()
        self.errors: Counter = Counter()
        self.samples: list[str] = []
        self.conn = None
        self.n = 0

    def _conn(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return self.conn

    def call(self, method: str, path: str, body: bytes | None = None, headers=None):
        t0 = time.perf_counter()
        try:
            c = self._conn()
            c.request(method, path, body=body, headers={**self.headers, **(headers or {})})
            r = c.getresponse()
            data = r.read()
        except (OSError, http.client.HTTPException) as exc:
            self.errors[f"{method} {type(exc).__name__}"] += 1
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return None, None, None
        self.lat[method].append((time.perf_counter() - t0) * 1000)
        self.status[(method, r.status)] += 1
        if r.status >= 400 and len(self.samples) < 3:
            self.samples.append(f"{method} {path} {r.status} {data[:300]!r}")
        if r.getheader("Connection", "").lower() == "close":
            c.close()
            self.conn = None
        return r.status, r.getheader("ETag"), data

    def run(self) -> None:
        i = 0
        while time.monotonic() < self.stop_at:
            pk, title, _updated, _group = self.features[i % len(self.features)]
            i += 1
            path = f"/ogc/collections/{COLLECTION}/items/{pk}"
            headers = {"Content-Type": "application/merge-patch+json"}
            if self.mode == "ifmatch":
                status, tag, _ = self.call("GET", path, headers={"Accept": "application/geo+json"})
                if status != 200 or not tag:
                    continue
                headers["If-Match"] = tag
            self.n += 1
            body = json.dumps(
                {"properties": {"title": f"{title}{SUFFIX}{self.n})"}}, ensure_ascii=False
            ).encode()
            self.call("PATCH", path, body=body, headers=headers)


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return round(s[min(len(s) - 1, int(q * len(s)))], 2)


class LockSampler(threading.Thread):
    """Every 100 ms: how many backends of the database wait on a lock (heavyweight)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.samples = 0
        self.waiting = 0
        self.max_waiting = 0

    def run(self) -> None:
        with connect() as conn:
            while not self.stop.wait(0.1):
                n = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND wait_event_type = 'Lock'",
                    (DB,),
                ).fetchone()[0]
                self.samples += 1
                self.waiting += n
                self.max_waiting = max(self.max_waiting, n)


def deadlocks(conn: psycopg.Connection) -> int:
    return conn.execute(
        "SELECT deadlocks FROM pg_stat_database WHERE datname = %s", (DB,)
    ).fetchone()[0]


def run_mode(port: int, mode: str, slices, auth: str, conn) -> list[dict]:
    # warm-up: each connection reads its first feature (Basic verified once per process)
    warm = [Worker(port, s, mode, 0, auth) for s in slices]  # used, not started
    for w in warm:
        for _ in range(3):
            w.call("GET", f"/ogc/collections/{COLLECTION}/items/{w.features[0][0]}")
        if w.conn is not None:
            w.conn.close()
    warm_status = sum((w.status for w in warm), Counter())
    load_before = uptime()
    dl_before = deadlocks(conn)
    sampler = LockSampler()
    sampler.start()
    t0 = time.monotonic()
    workers = [Worker(port, s, mode, t0 + DURATION, auth) for s in slices]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - t0
    sampler.stop.set()
    sampler.join()
    dl_after = deadlocks(conn)
    load_after = uptime()
    out = []
    for method in ("PATCH", "GET") if mode == "ifmatch" else ("PATCH",):
        lat = [x for w in workers for x in w.lat[method]]
        status = Counter()
        for w in workers:
            for (m, code), n in w.status.items():
                if m == method:
                    status[code] += n
        errors = Counter()
        for w in workers:
            for k, n in w.errors.items():
                if k.startswith(method):
                    errors[k] += n
        total = sum(status.values())
        out.append(
            {
                "size": SIZE,
                "server": "ours",
                "endpoint": f"write-{mode}",
                "method": method,
                "kind": "write",
                "rep": int(os.environ.get("REP", "1")),
                "conc": CONC,
                "workers": WORKERS,
                "duration_s": round(elapsed, 3),
                "features": len(slices) * len(slices[0]),
                "requests": total,
                "rps": round(total / elapsed, 1),
                "ok_2xx": sum(n for c, n in status.items() if 200 <= c < 300),
                "err_4xx": sum(n for c, n in status.items() if 400 <= c < 500),
                "err_5xx": sum(n for c, n in status.items() if c >= 500),
                "by_status": {str(c): n for c, n in sorted(status.items())},
                "conn_errors": dict(errors),
                "p50_ms": pct(lat, 0.50),
                "p90_ms": pct(lat, 0.90),
                "p95_ms": pct(lat, 0.95),
                "p99_ms": pct(lat, 0.99),
                "max_ms": round(max(lat), 2) if lat else None,
                "mean_ms": round(sum(lat) / len(lat), 2) if lat else None,
                "lock_wait_samples": sampler.samples,
                "lock_waiting_mean": round(sampler.waiting / max(1, sampler.samples), 3),
                "lock_waiting_max": sampler.max_waiting,
                "deadlocks": dl_after - dl_before,
                "warmup_status": {f"{m} {c}": n for (m, c), n in warm_status.items()},
                "error_samples": [s for w in workers for s in w.samples][:5],
                "load_before": load_before,
                "load_after": load_after,
            }
        )
    return out


def main() -> int:
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with connect() as conn:
        features = pick_features(conn)
        had_modif = bool(
            conn.execute("SELECT 1 FROM observatoire_title_word WHERE word = 'modif'").fetchone()
        )
        added = setup({f[3] for f in features})
        print(f"setup: {len(features)} features, {len(added)} memberships added", flush=True)
        slices = [features[i * PER_WORKER : (i + 1) * PER_WORKER] for i in range(CONC)]
        auth = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        port = free_port()
        log = (
            Path(os.environ.get("WORK", "/tmp/bench-ogc-work")) / f"granian-write-{os.getpid()}.log"
        )
        log.parent.mkdir(parents=True, exist_ok=True)
        proc = serve(port, log)
        rows = []
        try:
            for mode in MODES:
                for row in run_mode(port, mode, slices, auth, conn):
                    row.update(
                        code_root=str(ROOT), code_commit=code_commit(ROOT), repo_head=commit, db=DB
                    )
                    rows.append(row)
                    print(json.dumps(row, ensure_ascii=False), flush=True)
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
            check = teardown(conn, features, added, had_modif)
            print(f"teardown: {check}", flush=True)
    for row in rows:
        row["teardown"] = check
        row["server_log"] = {"path": str(log), "bytes": log.stat().st_size}  # warnings, tracebacks
    with RESULTS.open("a") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print()
    print("| mode | method | requests | r/s | 2xx | 4xx | 5xx | p50 | p95 | p99 | max (ms) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['endpoint']} | {r['method']} | {r['requests']} | {r['rps']} | {r['ok_2xx']} "
            f"| {r['err_4xx']} | {r['err_5xx']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} "
            f"| {r['max_ms']} |"
        )
    return 1 if any(r["err_5xx"] or r["conn_errors"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
