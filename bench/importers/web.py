"""Web import versus CLI import of the 2017 Mérimée file (45,285 rows), in one run (issue 21).

Run it alone on the machine, from the project root:
    flock /tmp/spass-bench.lock .venv/bin/python bench/importers/web.py
It works in the database of ``run.py`` (``spass_bench_importers``, same setup), empties the
Mérimée rows before every import so that each one creates the 45,009 rows, and alternates:

- CLI: ``manage.py import_merimee <file> --group bench-merimee --as bench-animateur``, wall
  time of the whole command;
- web, as the browser does it for a Mérimée file: the one-step form of ``/imports/nouveau/``
  (the three-step API only reads geodata files) posted with the file by a signed-in animateur
  to granian, a real ``manage.py procrastinate worker`` already running (as ``make run``
  starts it), ``/imports/<id>/etat.json`` polled every second as the job page does; from the
  upload request to the first answer saying ``done``.

Medians, the ratio web / CLI (target ≤ 1.3) and the load average before and after go to
``bench/results/importers/web-vs-cli.md`` and ``.jsonl``; each web run is split from the job's
own timestamps (upload, worker pick-up, file counted, import, seen done).
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
from run import (
    BENCH_DB,
    GROUP,
    MERIMEE_2017,
    ROOT,
    manage,
    server_url,
    setup,
    with_database,
)

spec = importlib.util.spec_from_file_location("pages_bench", ROOT / "bench" / "pages" / "run.py")
pages_bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pages_bench)

RESULTS = ROOT / "bench" / "results" / "importers"
USER = "bench-animateur"
PORT = 8771
#: The job page polls its JSON state every second (importers/static/importers/job.js).
POLL_SECONDS = 1.0
TARGET_RATIO = 1.3


def reset(url: str) -> None:
    """No Mérimée row left: the next import creates all of them, on a vacuumed table."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM observatoire_resource WHERE source = 'merimee'")
        conn.execute("VACUUM ANALYZE observatoire_resource")


def last_job(url: str) -> dict:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT id, status, created, rejected, started_at, finished_at "
            "FROM importers_importjob ORDER BY id DESC LIMIT 1"
        ).fetchone()
    keys = ("id", "status", "created", "rejected", "started_at", "finished_at")
    return dict(zip(keys, row, strict=True))


def cli_import(env: dict[str, str], url: str) -> dict:
    seconds, _out = manage(
        env, "import_merimee", str(MERIMEE_2017), "--group", GROUP, "--as", USER, "-v0"
    )
    job = last_job(url)
    return {
        "path": "cli",
        "seconds": round(seconds, 2),
        "job_seconds": round((job["finished_at"] - job["started_at"]).total_seconds(), 2),
        "status": job["status"],
        "created": job["created"],
        "rejected": job["rejected"],
    }


def multipart(fields: dict[str, str], name: str, filename: str, content: bytes):
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: application/zip\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def web_import(url: str, session: str, group_id: int) -> dict:
    """The browser's way: the form (its CSRF token), the upload, the job page's polling."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
    conn.request("GET", "/imports/nouveau/", headers={"Cookie": f"sessionid={session}"})
    response = conn.getresponse()
    page = response.read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    token = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    cookies = f"sessionid={session}; csrftoken={token}"
    fields = {"csrfmiddlewaretoken": csrf, "group": str(group_id), "source": "merimee"}
    body, content_type = multipart(fields, "file", MERIMEE_2017.name, MERIMEE_2017.read_bytes())
    start = time.perf_counter()
    start_wall = time.time()
    conn.request(
        "POST",
        "/imports/nouveau/",
        body=body,
        headers={"Cookie": cookies, "Content-Type": content_type},
    )
    response = conn.getresponse()
    response.read()
    uploaded = time.perf_counter() - start
    location = response.getheader("Location") or ""
    if response.status != 302 or not re.fullmatch(r"/imports/\d+/", location):
        sys.exit(f"upload refused: {response.status} {location}")
    state: dict = {}
    polls = 0
    while not state.get("done") and time.perf_counter() - start < 1800:
        time.sleep(POLL_SECONDS)
        conn.request("GET", f"{location}etat.json", headers={"Cookie": cookies})
        state = json.loads(conn.getresponse().read())
        polls += 1
    seconds = time.perf_counter() - start
    conn.close()
    job = last_job(url)
    with psycopg.connect(url) as db:
        picked = db.execute(
            "SELECT min(e.at) FROM procrastinate_events e JOIN procrastinate_jobs j "
            "ON j.id = e.job_id WHERE e.type = 'started' AND j.args->>'job_id' = %s",
            [str(job["id"])],
        ).fetchone()[0]

    def since_start(moment) -> float:
        return round(moment.timestamp() - start_wall, 2)

    return {
        "path": "web",
        "seconds": round(seconds, 2),
        "job_seconds": round((job["finished_at"] - job["started_at"]).total_seconds(), 2),
        "status": job["status"],
        "created": job["created"],
        "rejected": job["rejected"],
        "polls": polls,
        # seconds from the upload request: answered, picked by the worker, file counted
        # (the job's started_at), import finished, seen done by the poll
        "upload_answered": round(uploaded, 2),
        "picked_up": since_start(picked),
        "counted": since_start(job["started_at"]),
        "finished": since_start(job["finished_at"]),
        "seen_done": round(seconds, 2),
    }


def stop(process: subprocess.Popen, sig: int) -> None:
    process.send_signal(sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--out", default=str(RESULTS / "web-vs-cli.md"))
    parser.add_argument("--note", default="", help="a line added to the results (what changed)")
    args = parser.parse_args()
    url = server_url()
    database_url = with_database(url, BENCH_DB)
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "PYTHONPYCACHEPREFIX": str(ROOT / "var" / "pycache"),
        "DATABASE_URL": database_url.replace("postgresql://", "postgis://", 1),
        "SPASS_VAR_DIR": str(ROOT / "var" / "bench-importers"),
        "SPASS_DEBUG": "false",
    }
    Path(env["SPASS_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    setup(url, env)
    session = pages_bench.session_cookie(env, USER)
    with psycopg.connect(database_url) as conn:
        group_id = conn.execute(
            "SELECT id FROM workgroups_group WHERE slug = %s", [GROUP]
        ).fetchone()[0]
    # what make run starts: the site under granian and the procrastinate worker
    server = pages_bench.serve(env, 2, PORT)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    load_before = os.getloadavg()
    runs: list[dict] = []
    try:
        time.sleep(3)  # the worker connects and listens
        for _ in range(args.reps):
            for measure in (
                lambda: cli_import(env, database_url),
                lambda: web_import(database_url, session, group_id),
            ):
                reset(database_url)
                runs.append(measure())
                print(runs[-1], flush=True)
    finally:
        stop(worker, signal.SIGTERM)
        stop(server, signal.SIGINT)
    load_after = os.getloadavg()

    cli = statistics.median(r["seconds"] for r in runs if r["path"] == "cli")
    web = statistics.median(r["seconds"] for r in runs if r["path"] == "web")
    ok = all(r["status"] == "succeeded" and r["created"] == 45009 for r in runs)
    record = {
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "note": args.note,
        "cli_median": cli,
        "web_median": web,
        "ratio": round(web / cli, 3),
        "load_before": load_before,
        "load_after": load_after,
        "all_created_45009": ok,
        "runs": runs,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.with_suffix(".jsonl"), "a") as fh:
        fh.write(json.dumps(record) + "\n")
    webs = [r for r in runs if r["path"] == "web"]

    def load(values) -> str:
        return ", ".join(f"{v:.2f}" for v in values)

    ratio = web / cli
    lines = [
        "# Web import versus CLI import — Mérimée 2017 (issue 21)",
        "",
        "Command: `flock /tmp/spass-bench.lock .venv/bin/python bench/importers/web.py`",
        "(file `merimee/2_datagouv_2017_pipe_popcodes/merimee-MH.csv.zip`, 45,285 rows; database",
        f"`{BENCH_DB}`, the Mérimée rows emptied and the table vacuumed before every import).",
        *([args.note] if args.note else []),
        "",
        f"- CLI: `manage.py import_merimee merimee-MH.csv.zip --group {GROUP} --as {USER}`,",
        "  the whole command.",
        "- Web: the one-step form `/imports/nouveau/` (the page's way for a Mérimée file) posted",
        "  by a signed-in animateur to granian (2 workers), a `manage.py procrastinate worker`",
        f"  running, `/imports/<id>/etat.json` polled every {POLL_SECONDS:g} s as the job page",
        "  does; from the upload request to the first answer with `done`.",
        "",
        f"Load average (1, 5, 15 min) at start: {load(load_before)}; at end: "
        f"{load(load_after)} (2 cores).",
        "",
        "| run | path | whole s | job s (started → finished) | created | rejected |",
        "|---:|---|---:|---:|---:|---:|",
        *[
            f"| {i // 2 + 1} | {r['path']} | {r['seconds']:.2f} | {r['job_seconds']:.2f} | "
            f"{r['created']} | {r['rejected']} |"
            for i, r in enumerate(runs)
        ],
        "",
        f"**Medians: CLI {cli:.2f} s, web {web:.2f} s; ratio web / CLI {ratio:.2f}** "
        f"(target ≤ {TARGET_RATIO}: {'met' if ratio <= TARGET_RATIO else 'NOT met'}).",
        f"Every import created 45,009 rows: {'yes' if ok else 'NO'}.",
        "",
        "Where the web run's time goes (seconds from the upload request):",
        "",
        "| run | upload answered | worker picked the job | file counted, import starts "
        "| import finished | seen done (polls) |",
        "|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {i + 1} | {r['upload_answered']:.2f} | {r['picked_up']:.2f} | "
            f"{r['counted']:.2f} | {r['finished']:.2f} | {r['seen_done']:.2f} ({r['polls']}) |"
            for i, r in enumerate(webs)
        ],
        "",
    ]
    text = "\n".join(lines)
    out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
