"""Import benchmark: the full 2017 Mérimée file (45,285 rows), first import then unchanged
re-import, beside the floor (COPY of the same rows into a bare table), in one run.

Run it alone on the machine, from the project root:
    flock /tmp/spass-bench.lock .venv/bin/python bench/importers/run.py
It works in its own database (``spass_bench_importers``) on the project's PostgreSQL
(``DATABASE_URL``, else the embedded cluster), created and migrated on first use, and
writes ``bench/results/importers.md``.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("SPASS_SAMPLE_DATA") or ROOT.parent / "shared" / "data")
MERIMEE_2017 = DATA / "merimee" / "2_datagouv_2017_pipe_popcodes" / "merimee-MH.csv.zip"
BENCH_DB = "spass_bench_importers"
GROUP = "bench-merimee"
CONTENT = (
    "base, kind, title, summary, description, themes, date_start, date_end, geom, attributes, "
    "source, source_id"
)


def server_url() -> str:
    url = (
        os.environ.get("DATABASE_URL")
        or subprocess.run(
            [str(ROOT / "bin" / "spass-db"), "url"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    return url.replace("postgis://", "postgresql://", 1)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def manage(env: dict[str, str], *args: str) -> tuple[float, str]:
    """Run a management command; (wall seconds, stdout)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def setup(url: str, env: dict[str, str]) -> None:
    """Create, migrate and fill the territories of the bench database once."""
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
    with psycopg.connect(with_database(url, BENCH_DB), autocommit=True) as conn:
        for extension in ("postgis", "unaccent", "pg_trgm"):
            conn.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_territories", "--if-empty")
    manage(
        env,
        "shell",
        "-c",
        "from workgroups.models import Group, Membership, User\n"
        "from workgroups.roles import Role\n"
        f"g, _ = Group.objects.get_or_create(slug='{GROUP}', defaults={{'name': 'Bench'}})\n"
        "u, _ = User.objects.get_or_create(username='bench-animateur')\n"
        "Membership.objects.get_or_create(group=g, user=u, "
        "defaults={'role': Role.ANIMATEUR, 'state': Membership.State.ACTIVE})\n",
    )


def raw_rows() -> list[list[str]]:
    """The rows of the 2017 file as the importer reads them (``|``, no quoting)."""
    with zipfile.ZipFile(MERIMEE_2017) as archive:
        (member,) = [m for m in archive.infolist() if not m.is_dir()]
        text = archive.read(member).decode("utf-8")
    lines = [line for line in text.split("\n")[1:] if line.strip()]
    return [line.rstrip("\r").split("|") for line in lines]


def timed_copy(conn: psycopg.Connection, table: str, ddl: str, rows) -> float:
    """Seconds to COPY the rows into a fresh bare table (no index, no key) and commit."""
    conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute(ddl)
    conn.commit()
    start = time.perf_counter()
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} FROM STDIN") as copy:
        if isinstance(rows, bytes | bytearray):
            copy.write(rows)
        else:
            for row in rows:
                copy.write_row(row)
    conn.commit()
    elapsed = time.perf_counter() - start
    conn.execute(f"DROP TABLE {table}")
    conn.commit()
    return elapsed


def row_versions(conn: psycopg.Connection) -> str:
    """A digest of every Mérimée row's physical version: it changes if any row is rewritten."""
    return conn.execute(
        "SELECT md5(string_agg(id::text || ':' || xmin::text, ',' ORDER BY id)) "
        "FROM observatoire_resource WHERE source = 'merimee'"
    ).fetchone()[0]


def history_versions(conn: psycopg.Connection) -> int:
    """Versions the history triggers wrote for resources (``history_resourceevent``)."""
    return conn.execute("SELECT count(*) FROM history_resourceevent").fetchone()[0]


def job_seconds(conn: psycopg.Connection) -> float:
    return conn.execute(
        "SELECT extract(epoch FROM finished_at - started_at) FROM importers_importjob "
        "ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "importers.md"))
    args = parser.parse_args()
    url = server_url()
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        # bytecode cached under var/, as a deployed server has it (not recompiled each run)
        "PYTHONPYCACHEPREFIX": str(ROOT / "var" / "pycache"),
        "DATABASE_URL": with_database(url, BENCH_DB).replace("postgresql://", "postgis://", 1),
        "SPASS_VAR_DIR": str(ROOT / "var" / "bench-importers"),
    }
    Path(env["SPASS_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    setup(url, env)
    load_before = uptime()
    conn = psycopg.connect(with_database(url, BENCH_DB))
    conn.execute("DELETE FROM observatoire_resource WHERE source = 'merimee'")
    conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM ANALYZE observatoire_resource")
    conn.autocommit = False

    rows = raw_rows()
    columns = ", ".join(f"c{i} text" for i in range(len(rows[0])))
    floor_raw = timed_copy(
        conn, "bench_floor_raw", f"CREATE TABLE bench_floor_raw ({columns})", rows
    )

    command = ("import_merimee", str(MERIMEE_2017), "--group", GROUP, "-v0")
    versions_start = history_versions(conn)
    conn.commit()
    first_wall, first_out = manage(env, *command)
    first_job = job_seconds(conn)
    conn.commit()

    shaped = io.BytesIO()
    with (
        conn.cursor() as cursor,
        cursor.copy(
            f"COPY (SELECT {CONTENT} FROM observatoire_resource WHERE source = 'merimee') TO STDOUT"
        ) as copy,
    ):
        for block in copy:
            shaped.write(block)
    conn.commit()
    floor_shaped = timed_copy(
        conn,
        "bench_floor_resource",
        "CREATE TABLE bench_floor_resource AS SELECT "
        f"{CONTENT} FROM observatoire_resource WITH NO DATA",
        shaped.getvalue(),
    )
    before = row_versions(conn)
    versions_first = history_versions(conn) - versions_start
    versions_before = history_versions(conn)
    conn.commit()

    again_wall, again_out = manage(env, *command)
    again_job = job_seconds(conn)
    rewritten = row_versions(conn) != before
    versions_again = history_versions(conn) - versions_before
    conn.commit()
    conn.close()
    load_after = uptime()

    first_summary, first_report = first_out.strip().splitlines()[-2:]
    again_summary = again_out.strip().splitlines()[-2]
    report_lines = len(Path(first_report).read_text(encoding="utf-8").splitlines()) - 1
    text = f"""# Importer benchmark — Mérimée 2017, whole of France

Command: `flock /tmp/spass-bench.lock .venv/bin/python bench/importers/run.py`
(file `merimee/2_datagouv_2017_pipe_popcodes/merimee-MH.csv.zip`, {len(rows):,} rows;
database `{BENCH_DB}` on the project's PostgreSQL, territories loaded).

Load before: `{load_before}`
Load after: `{load_after}`

| step | seconds | target | summary line |
|---|---:|---:|---|
| floor: COPY of the raw rows into a bare 14-column text table | {floor_raw:.2f} | | |
| floor: COPY of the same rows as resources into a bare table | {floor_shaped:.2f} | | |
| first import, whole command | {first_wall:.2f} | ≤ 20 | `{first_summary}` |
| first import, job only (read → report written) | {first_job:.2f} | | |
| unchanged re-import, whole command | {again_wall:.2f} | ≤ 10 | `{again_summary}` |
| unchanged re-import, job only | {again_job:.2f} | | |

- Ratio first import / resource-shaped COPY floor: {first_wall / floor_shaped:.1f}×;
  re-import / floor: {again_wall / floor_shaped:.1f}×.
- Report of the first import: {report_lines} rows (rejections and warnings).
- Rows rewritten by the unchanged re-import (`xmin` digest of every Mérimée row compared
  before and after): {"some — FAILED" if rewritten else "none"}.
- History (triggers on): the first import wrote {versions_first:,} versions (one per created
  row); the unchanged re-import wrote {versions_again:,}.
"""
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
