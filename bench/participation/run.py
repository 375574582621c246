"""Participation benchmark: anonymous submissions under load, and the moderation queue with
10,000 contributions waiting.

Run it alone on the machine, from the project root, with the demo loaded
(``load_demo`` … ``load_demo_forms``) in the database of ``DATABASE_URL``:
    flock /tmp/spass-bench.lock .venv/bin/python bench/participation/run.py

1. **Load**: a form ``bench-charge`` of demo-nord (no minimum fill time, limits raised: the
   bench measures the server, not the anti-abuse) receives, for ``--seconds`` (30), the
   multipart submissions of ``--clients`` (16) concurrent anonymous clients, each with a
   real ~0.5 MB JPEG photo (1600×1200: decoded, EXIF-stripped and re-encoded by the
   server), through ``POST /api/v1/forms/bench-charge/submissions/``. Reported: requests,
   statuses (zero 5xx expected), p50/p95/max, and *lost* = answers 201 minus rows counted
   in the database after (zero expected).
2. **Queue**: 10,000 pending contributions are added to that form (SQL), then ``anim``'s
   queue page and the REST queue are read ``--reps`` times: p50/p95 (target p50 ≤ 300 ms).

The server is granian (``--workers`` 2, as ``make run`` serves) on ``--port``, started and
stopped by the script, or any server already listening with ``--url``. Results go to
``bench/results/participation/results.md`` and ``results.jsonl``.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from PIL import Image  # noqa: E402

from participation.models import Form, Submission  # noqa: E402
from workgroups.models import Group, User  # noqa: E402

SLUG = "bench-charge"
RESULTS = ROOT / "bench" / "results" / "participation"
QUEUE_ROWS = 10_000
SEED_QUEUE = """
INSERT INTO participation_submission (form_id, state, title, description, attributes, geom,
  pseudonym, email, secret, reason, created_at)
SELECT %s, 'pending', 'Contribution générée n° ' || i, 'Pour la mesure de la file.', '{}'::jsonb,
  ST_SetSRID(ST_MakePoint(2.5 + random(), 50.2 + random() * 0.8), 4326), 'banc', '',
  md5(random()::text || i), '', now() - make_interval(secs => i)
FROM generate_series(1, %s) AS i
"""


def bench_form() -> Form:
    group = Group.objects.get(slug="demo-nord")
    form, _ = Form.objects.update_or_create(
        slug=SLUG,
        defaults={
            "group": group,
            "title": "Formulaire de mesure",
            "kind": "marqueur",
            "place": "point",
            "max_photos": 1,
            "consent": "Mesure de charge.",
            "min_seconds": 0,
            "per_address_daily": 10**7,
            "daily_cap": 10**7,
            "created_by": User.objects.get(username="anim"),
        },
    )
    return form


def photo_bytes() -> bytes:
    """A 1600×1200 JPEG with some texture (about 0.5 MB), like a phone photo resized."""
    image = Image.new("RGB", (1600, 1200))
    pixels = [
        ((x * 7) % 256, (x * y) % 256, (y * 3) % 256)
        for y in range(0, 1200, 8)
        for x in range(0, 1600, 8)
    ]
    small = Image.new("RGB", (200, 150))
    small.putdata(pixels)
    image = small.resize((1600, 1200), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def multipart(fields: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + f"{value}\r\n".encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="photo.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def p95(sorted_times: list[float]) -> float:
    return sorted_times[min(len(sorted_times) - 1, math.ceil(len(sorted_times) * 0.95) - 1)]


def token(host: str, port: int) -> str:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", f"/participer/{SLUG}/")
    page = conn.getresponse().read().decode()
    return page.split('name="debut" value="', 1)[1].split('"', 1)[0]


def load(host: str, port: int, clients: int, seconds: float) -> dict:
    photo = photo_bytes()
    start_token = token(host, port)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection(host, port, timeout=60)
        i = 0
        while time.monotonic() < deadline:
            i += 1
            body, content_type = multipart(
                {
                    "debut": start_token,
                    "pseudonyme": f"client {n}",
                    "titre": f"Charge {n}-{i}",
                    "longitude": f"{3.0 + rng.random() * 0.2:.5f}",
                    "latitude": f"{50.6 + rng.random() * 0.1:.5f}",
                    "consentement": "on",
                },
                photo,
            )
            began = time.perf_counter()
            try:
                conn.request(
                    "POST",
                    f"/api/v1/forms/{SLUG}/submissions/",
                    body=body,
                    headers={"Content-Type": content_type},
                )
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    before = Submission.objects.filter(form__slug=SLUG).count()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = Submission.objects.filter(form__slug=SLUG).count() - before
    latencies.sort()
    return {
        "bench": "load",
        "clients": clients,
        "seconds": seconds,
        "photo_bytes": len(photo),
        "requests": len(latencies),
        "statuses": statuses,
        "errors_5xx": sum(c for s, c in statuses.items() if s >= 500 or s == 0),
        "created_201": statuses.get(201, 0),
        "stored": stored,
        "lost": statuses.get(201, 0) - stored,
        "rps": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(p95(latencies) * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
    }


def session_cookie(username: str) -> str:
    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def queue(host: str, port: int, form: Form, reps: int) -> list[dict]:
    pending = Submission.objects.filter(form=form, state="pending").count()
    if pending < QUEUE_ROWS:
        with connection.cursor() as cursor:
            cursor.execute(SEED_QUEUE, [form.pk, QUEUE_ROWS - pending])
            cursor.execute("ANALYZE participation_submission")
    cookie = session_cookie("anim")
    out = []
    for name, path in (
        ("file de modération (page)", "/groupes/demo-nord/contributions/"),
        ("file de modération page 100", "/groupes/demo-nord/contributions/?page=100"),
        ("file filtrée (titre)", "/groupes/demo-nord/contributions/?q=n%C2%B0+42"),
        ("mon espace : contributions", "/mon-espace/contributions/"),
        ("API file", "/api/v1/groups/demo-nord/submissions/?state=pending"),
    ):
        conn = http.client.HTTPConnection(host, port, timeout=60)
        times, size, status = [], 0, 0
        for _ in range(reps + 2):
            began = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            body = response.read()
            times.append(time.perf_counter() - began)
            size, status = len(body), response.status
        times = sorted(times[2:])  # two warm-up reads
        out.append(
            {
                "bench": "queue",
                "page": name,
                "path": path,
                "pending": Submission.objects.filter(
                    form__group__slug="demo-nord", state="pending"
                ).count(),
                "status": status,
                "bytes": size,
                "p50_ms": round(statistics.median(times) * 1000, 1),
                "p95_ms": round(p95(times) * 1000, 1),
            }
        )
    return out


def serve(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "SPASS_DEBUG": "false"}
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "granian"),
            "--interface",
            "wsgi",
            "config.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(240):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/")
            return process
        except OSError:
            time.sleep(0.5)
    raise SystemExit("granian did not start")


def report(rows: list[dict]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "results.jsonl").open("a", encoding="utf-8") as out:
        for row in rows:
            out.write(
                json.dumps({**row, "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}) + "\n"
            )
    load_row = next(r for r in rows if r["bench"] == "load")
    lines = [
        "# Participation",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on this machine "
        "(2 cores shared), granian 2 workers, `bench/participation/run.py`.",
        "",
        "## Anonymous submissions with a photo",
        "",
        "| clients | seconds | photo | requests | req/s | statuses | 5xx | lost | p50 | p95 "
        "| max |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {load_row['clients']} | {load_row['seconds']} | {load_row['photo_bytes'] // 1024} kB "
        f"| {load_row['requests']} | {load_row['rps']} | {load_row['statuses']} "
        f"| {load_row['errors_5xx']} | {load_row['lost']} | {load_row['p50_ms']} ms "
        f"| {load_row['p95_ms']} ms | {load_row['max_ms']} ms |",
        "",
        f"## Moderation queue with {QUEUE_ROWS:,} pending (target p50 ≤ 300 ms)",
        "",
        "| page | pending | status | size | p50 | p95 |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row["bench"] == "queue":
            lines.append(
                f"| {row['page']} (`{row['path']}`) | {row['pending']} | {row['status']} "
                f"| {row['bytes'] // 1024} kB | {row['p50_ms']} ms | {row['p95_ms']} ms |"
            )
    (RESULTS / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", default="", help="a server already running (no granian)")
    args = parser.parse_args()
    form = bench_form()
    process = None
    if args.url:
        parts = urlsplit(args.url)
        host, port = parts.hostname, parts.port or 80
    else:
        host, port = "127.0.0.1", args.port
        process = serve(port, args.workers)
    try:
        rows = [load(host, port, args.clients, args.seconds)]
        rows += queue(host, port, form, args.reps)
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    report(rows)


if __name__ == "__main__":
    main()
