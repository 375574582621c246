#!/usr/bin/env python3
"""50 sequential OGC API pages with HTTP Basic against the same pages with a feed key.

What QGIS does with a layer: page after page of ``/ogc/collections/observatoire/items`` on one
kept connection, each request carrying the same credentials. A dedicated database
(``spass_bench_auth``, created, migrated and seeded once per size like the API bench) holds
``--rows`` resources of the account ``bench``, whose password is hashed by Django's default
hasher (PBKDF2, as in production) and who has a feed key. The server is ``make run``'s:
granian, WSGI, ``--blocking-threads 1``, ``--workers`` 2; it is started fresh for each mode so
that every run pays its first password check (no warm-up is hidden):

- ``key``:   ``?key=…`` (the WSGI fast path);
- ``basic``: ``Authorization: Basic`` (Django's path; the password remembered per process);
- ``basic-unremembered``: the same with ``SPASS_BASIC_AUTH_REMEMBER_SECONDS=0`` (before).

    .venv/bin/python bench/auth/bench_auth.py --rows 50000 --reps 3 --output bench/auth/results.md
"""

from __future__ import annotations

import base64
import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.api.bench_list import SEED  # noqa: E402
from bench.benchdb import bench_arguments, open_bench_database, write_report  # noqa: E402

PAGES = 50
PASSWORD = "banc-essai-auth"


class Server:
    """granian serving ``config.wsgi`` on ``port`` with ``env`` added to the environment."""

    def __init__(self, port: int, workers: int, env: dict[str, str]) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "granian"),
                *("--interface", "wsgi", "config.wsgi:application", "--host", "127.0.0.1"),
                *("--port", str(port), "--workers", str(workers), "--blocking-threads", "1"),
                *("--no-ws", "--log-level", "warning"),
            ],
            cwd=ROOT,
            env={**os.environ, **env},
        )
        for _ in range(120):
            try:
                self.connect().request("GET", "/ogc/conformance")
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("granian did not start")

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def fifty_pages(server: Server, limit: int, query: str, headers: dict[str, str]) -> list[float]:
    """Seconds of each of the 50 pages, on one kept connection."""
    connection = server.connect()
    durations = []
    for page in range(PAGES):
        path = f"/ogc/collections/observatoire/items?limit={limit}&offset={page * limit}{query}"
        start = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        durations.append(time.perf_counter() - start)
        assert response.status == 200, (response.status, body[:200])
    connection.close()
    return durations


def main() -> None:
    parser = bench_arguments(__doc__, reps=3)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8741)
    args = parser.parse_args()

    open_bench_database("spass_bench_auth", args.database_url, SEED, args.rows)
    from workgroups.auth import create_feed_key
    from workgroups.models import User

    user = User.objects.get(username="bench")
    user.set_password(PASSWORD)  # Django's default hasher: PBKDF2, as in production
    user.save()
    key = user.feed_keys.filter(revoked_at__isnull=True).first() or create_feed_key(user)
    basic = base64.b64encode(f"bench:{PASSWORD}".encode()).decode()
    env = {"DATABASE_URL": os.environ["DATABASE_URL"]}
    modes = {
        "key": (f"&key={key.key}", {}, env),
        "basic": ("", {"Authorization": f"Basic {basic}"}, env),
        "basic-unremembered": (
            "",
            {"Authorization": f"Basic {basic}"},
            {**env, "SPASS_BASIC_AUTH_REMEMBER_SECONDS": "0"},
        ),
    }
    totals: dict[str, list[float]] = {mode: [] for mode in modes}
    medians: dict[str, list[float]] = {mode: [] for mode in modes}
    rest: dict[str, list[float]] = {mode: [] for mode in modes}
    load_before = os.getloadavg()[0]
    for _ in range(args.reps):
        for mode, (query, headers, server_env) in modes.items():
            server = Server(args.port, args.workers, server_env)
            try:
                durations = fifty_pages(server, args.limit, query, headers)
            finally:
                server.stop()
            totals[mode].append(sum(durations))
            medians[mode].append(statistics.median(durations))
            rest[mode].append(sum(durations[1:]))
    key_total = statistics.median(totals["key"])
    lines = [
        f"### {args.rows} lignes, {PAGES} pages de {args.limit}, {args.reps} répétitions, "
        f"granian {args.workers} workers — charge avant {load_before:.1f}, "
        f"après {os.getloadavg()[0]:.1f}",
        "",
        "| mode | 50 pages (médiane des répétitions) | toutes les répétitions | page médiane "
        "| pages 2 à 50 | rapport à la clé (50 pages) |",
        "|---|---|---|---|---|---|",
    ]
    for mode in modes:
        total = statistics.median(totals[mode])
        lines.append(
            f"| {mode} | {total:.3f} s | {', '.join(f'{t:.3f}' for t in totals[mode])} s "
            f"| {statistics.median(medians[mode]) * 1000:.1f} ms "
            f"| {statistics.median(rest[mode]):.3f} s | **{total / key_total:.2f}×** |"
        )
    write_report("\n".join(lines) + "\n", args.output)


if __name__ == "__main__":
    main()
