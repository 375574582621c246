"""Pages benchmark: the pages people open, with the full 2017 Mérimée file (45,285 rows)
imported into ``demo-nord`` as ``anim`` and 300 resources pinned into its portal, served by
granian as ``make run`` does (the portal's pages and feeds included).

Run it alone on the machine, from the project root:
    flock /tmp/spass-bench.lock .venv/bin/python bench/pages/run.py
It works in its own database (``spass_bench_pages``, created, migrated, demo loaded and the
file imported on first use), measures p50/p95 and HTML size of each page (logged in through
a session cookie), the resident memory of the granian workers after the run, and writes
``bench/results/pages/pages.md`` and ``pages.jsonl``. Targets: p50 ≤ 300 ms, ≤ 500 kB.

``--extra-rows 2000000`` measures the same pages with that many generated resources added to
``demo-nord`` (its own database, ``spass_bench_pages_2000000``, seeded once): the lists of
``anim`` then hold two million rows more. ``--bulk`` then validates the whole Mérimée import
as a browser does (the « tout cet import » form of « à valider », a real procrastinate
worker, the progress JSON polled) and records how long it took.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "importers"))

import run as importers_bench  # noqa: E402
from run import MERIMEE_2017, manage, server_url, with_database  # noqa: E402

BENCH_DB = "spass_bench_pages"
#: Generated resources of ``--extra-rows``: every kind of the Observatoire, every level, a
#: third waiting for validation, none reviewed, spread over mainland France. Kind, title and
#: level vary independently (``i % 4``, ``i / 4 % 8``, ``i / 32 % 4``; validation ``i % 3``):
#: tied to one modulus, every generated « Église » and every marqueur was private, and the
#: filtered lists measured nearly empty pages.
GENERATE = """
INSERT INTO observatoire_resource (base, kind, title, summary, description, themes, geom,
  attributes, group_id, author_id, level, validated_at, source, source_id, created_at,
  updated_at, date_start)
SELECT 'observatoire', (ARRAY['marqueur','projet','realisation','action'])[1 + i %% 4],
  (ARRAY['Église','Moulin','Beffroi','Halle','Lavoir','Château','Ferme','Pont'])[1 + i / 4 %% 8]
    || ' n° ' || i,
  'Ressource générée pour la mesure des pages.', '', ARRAY['patrimoine'],
  ST_SetSRID(ST_MakePoint(-4 + random() * 12, 42.5 + random() * 8.5), 4326), '{}'::jsonb,
  g.id, u.id, (ARRAY['utilisateur','groupe','communaute','public'])[1 + i / 32 %% 4],
  CASE WHEN i %% 3 = 0 THEN NULL ELSE now() END, 'bench', i::text, now(), now(),
  date '2000-01-01' + (i %% 9000)
FROM generate_series(1, %s) AS i,
  (SELECT id FROM workgroups_group WHERE slug = 'demo-nord') AS g,
  (SELECT id FROM workgroups_user WHERE username = 'anim') AS u
"""
#: The portal's 300 pins: resources of the other groups first, then demo-nord's own.
PINS = 300
SEED_PINS = """
INSERT INTO pins_pin (group_id, resource_id, pinned_by_id, pinned_at)
SELECT g.id, r.id, u.id, now() - make_interval(secs => r.n)
FROM (SELECT id FROM workgroups_group WHERE slug = 'demo-nord') AS g,
  (SELECT id FROM workgroups_user WHERE username = 'anim') AS u,
  LATERAL (SELECT id, row_number() OVER (ORDER BY group_id = g.id, id) AS n
           FROM observatoire_resource ORDER BY group_id = g.id, id LIMIT %s) AS r
ON CONFLICT DO NOTHING
"""
#: anim's unread notifications (the bell of every page, /mon-espace/notifications/).
NOTIFICATIONS = 1000
SEED_NOTIFICATIONS = """
INSERT INTO notifications_notification (recipient_id, kind, actor_id, group_id, label,
  created_at)
SELECT u.id, 'role', u.id, g.id, '', now() - make_interval(secs => i)
FROM generate_series(1, %s) AS i,
  (SELECT id FROM workgroups_user WHERE username = 'anim') AS u,
  (SELECT id FROM workgroups_group WHERE slug = 'demo-nord') AS g
WHERE NOT EXISTS (SELECT 1 FROM notifications_notification n WHERE n.recipient_id = u.id
  AND n.label = '' AND n.kind = 'role')
"""
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
        "from observatoire.models import Resource\n"
        "r = Resource.objects.filter(group=g).exclude(level='utilisateur').order_by('id').first()\n"
        "print(g.pk, m.slug, r.pk)"
    )
    line = manage(env, "shell", "-c", code)[1].strip().splitlines()[-1]
    group, carte, resource = line.split(" ")
    return {"group": group, "map": carte, "resource": resource}


def pages(known: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, user, path); the user "" is an anonymous visitor (no session)."""
    return [
        ("accueil anonyme", "", "/"),
        ("accueil anim", "anim", "/"),
        ("mon-espace anim", "anim", "/mon-espace/"),
        ("mon-espace contrib", "contrib", "/mon-espace/"),
        ("groupe demo-nord", "anim", "/groupes/demo-nord/"),
        ("groupe nouveau", "anim", "/groupes/nouveau/"),
        ("groupe parametres", "anim", "/groupes/demo-nord/parametres/"),
        (
            "a-valider filtré",
            "anim",
            f"/mon-espace/a-valider/?groupe={known['group']}&type=marqueur&tri=titre",
        ),
        ("moderation page 40", "anim", "/mon-espace/moderation/?page=40"),
        ("a-relire", "anim", "/mon-espace/a-relire/?q=eglise"),
        ("recherche eglise", "anim", "/recherche/?q=eglise"),
        ("carte", "anim", f"/cartes/{known['map']}/"),
        ("cartes du groupe", "anim", "/cartes/?groupe=demo-nord"),
        ("carte nouvelle", "anim", "/cartes/nouvelle/"),
        ("carte modifier", "anim", f"/cartes/{known['map']}/modifier/"),
        ("api maps", "anim", "/api/v1/maps/"),
        ("ogc items html", "anim", "/ogc/collections/observatoire/items?f=html"),
        ("imports", "anim", "/imports/"),
        ("portails", "anim", "/portails/"),
        ("portail demo-nord", "anim", "/portails/demo-nord/"),
        ("portail observatoire", "anim", "/portails/demo-nord/observatoire/?page=40"),
        ("portail mediatheque", "anim", "/portails/demo-nord/mediatheque/"),
        ("portail activite", "anim", "/portails/demo-nord/activite/"),
        ("portail cartes", "anim", "/portails/demo-nord/cartes/"),
        ("portail recherche", "anim", "/portails/demo-nord/?q=eglise"),
        ("portail modifier", "anim", "/portails/demo-nord/modifier/"),
        ("portail anonyme", "", "/portails/demo-nord/"),
        ("portail observatoire anonyme", "", "/portails/demo-nord/observatoire/"),
        ("portail actualites", "anim", "/portails/demo-nord/actualites/"),
        ("portail agenda", "anim", "/portails/demo-nord/agenda/"),
        ("portail integrer anonyme", "", "/portails/demo-nord/integrer/"),
        ("flux actualites.atom", "", "/portails/demo-nord/actualites.atom"),
        ("flux ressources.atom", "", "/portails/demo-nord/ressources.atom"),
        ("flux ressources.atom anim", "anim", "/portails/demo-nord/ressources.atom"),
        ("flux agenda.ics", "", "/portails/demo-nord/agenda.ics"),
        ("api pins", "anim", "/api/v1/groups/demo-nord/pins/"),
        ("mon-espace anim (1000 non lues)", "anim", "/mon-espace/"),
        ("notifications anim", "anim", "/mon-espace/notifications/"),
        ("notifications anim page 30", "anim", "/mon-espace/notifications/?page=30"),
        ("api notifications", "anim", "/api/v1/me/notifications/?unread=1"),
        ("preferences notifications", "anim", "/profil/notifications/"),
        ("cles", "anim", "/profil/cles/"),
        ("participer formulaire anonyme", "", "/participer/signaler-un-patrimoine/"),
        ("participer carte anonyme", "", "/participer/signaler-un-patrimoine/carte/"),
        ("participer integrer anonyme", "", "/participer/signaler-un-patrimoine/integrer/"),
        ("participer qr.png", "", "/participer/signaler-un-patrimoine/qr.png"),
        ("formulaires demo-nord", "anim", "/groupes/demo-nord/formulaires/"),
        (
            "formulaire modifier",
            "anim",
            "/groupes/demo-nord/formulaires/signaler-un-patrimoine/modifier/",
        ),
        ("contributions demo-nord", "anim", "/groupes/demo-nord/contributions/"),
        ("mon-espace contributions", "anim", "/mon-espace/contributions/"),
        ("api contributions", "anim", "/api/v1/groups/demo-nord/submissions/?state=pending"),
        ("historique ressource", "anim", f"/ressources/{known['resource']}/historique/"),
        ("api historique", "anim", f"/api/v1/resources/{known['resource']}/history/"),
        ("journal du groupe", "anim", "/groupes/demo-nord/journal/"),
        ("journal du groupe page 5", "anim", "/groupes/demo-nord/journal/?page=5"),
        ("acteurs", "anim", "/acteurs/"),
        ("acteurs anonyme commune", "", "/acteurs/?commune=59350"),
        ("acteurs recherche", "", "/acteurs/?q=paysage&type=professionnel"),
        ("acteurs carte geojson", "", "/acteurs/experiences.geojson"),
        ("acteur profil", "", "/acteurs/collectif-traverses/"),
        ("acteur vcard", "anim", "/acteurs/caue-du-nord.vcf"),
        ("acteur nouveau", "contrib", "/acteurs/nouveau/"),
        ("acteur modifier", "contrib", "/acteurs/collectif-traverses/modifier/"),
        ("api actors", "", "/api/v1/actors/?commune=59512"),
        ("ogc acteurs-experiences", "", "/ogc/collections/acteurs-experiences/items"),
        ("rapport activite", "anim", "/groupes/demo-nord/activite/rapport/"),
        ("carnets", "anim", "/publications/"),
        ("carnets anonyme", "", "/publications/"),
        ("carnet beffrois anonyme", "", "/publications/les-beffrois-du-nord/"),
        ("carnet beffrois anim", "anim", "/publications/les-beffrois-du-nord/"),
        ("carnet modifier", "anim", "/publications/les-beffrois-du-nord/modifier/"),
        ("carnet nouveau", "anim", "/publications/nouvelle/"),
        ("carnet integrer anonyme", "", "/publications/les-beffrois-du-nord/integrer/"),
        ("api publications", "anim", "/api/v1/publications/"),
    ]


def seed(url: str, rows: int) -> None:
    """Add ``rows`` generated resources to ``demo-nord`` once (they keep source ``bench``)."""
    with psycopg.connect(url, autocommit=True) as conn:
        have = conn.execute(
            "SELECT count(*) FROM observatoire_resource WHERE source = 'bench'"
        ).fetchone()[0]
        if have == rows:
            return
        conn.execute("DELETE FROM observatoire_resource WHERE source = 'bench'")
        start = time.perf_counter()
        conn.execute(GENERATE, [rows])
        conn.execute("VACUUM ANALYZE observatoire_resource")
        print(f"seeded {rows} rows in {time.perf_counter() - start:.0f} s")


def seed_pins(url: str) -> int:
    """Pin :data:`PINS` resources into demo-nord's portal once, and give anim
    :data:`NOTIFICATIONS` unread notifications once; the number of pins."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(SEED_PINS, [PINS])
        conn.execute(SEED_NOTIFICATIONS, [NOTIFICATIONS])
        return conn.execute(
            "SELECT count(*) FROM pins_pin p JOIN workgroups_group g ON g.id = p.group_id "
            "WHERE g.slug = 'demo-nord'"
        ).fetchone()[0]


def fetch(conn: http.client.HTTPConnection, path: str, cookie: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = conn.getresponse()
    body = response.read()
    return (time.perf_counter() - start) * 1000, response.status, len(body)


def bulk_validate(conn: http.client.HTTPConnection, env: dict[str, str], url: str, cookie: str):
    """Validate every row of the Mérimée import as the browser does: the form of « à valider »
    with « tout cet import », a real worker on the ``moderation`` queue, the progress JSON
    polled every half second. The import's rows are made to wait again first, so that runs
    compare."""
    with psycopg.connect(url, autocommit=True) as db:
        job = db.execute(
            "SELECT max(import_job_id) FROM observatoire_resource WHERE source = 'merimee'"
        ).fetchone()[0]
        db.execute(
            "UPDATE observatoire_resource SET validated_at = NULL, validated_by_id = NULL "
            "WHERE import_job_id = %s",
            [job],
        )
    filters = f"import={job}"
    session = {"Cookie": f"sessionid={cookie}"}
    conn.request("GET", f"/mon-espace/a-valider/?{filters}", headers=session)
    response = conn.getresponse()
    page = response.read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    token = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    cookies = f"sessionid={cookie}; csrftoken={token}"
    body = urlencode(
        {"csrfmiddlewaretoken": csrf, "section": "a-valider", "filtres": filters,
         "portee": "filtre", "action": "valider"}
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "-q", "moderation"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    start = time.perf_counter()
    try:
        conn.request(
            "POST", "/mon-espace/actions/", body=body,
            headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        response = conn.getresponse()
        response.read()
        location = response.getheader("Location") or ""
        state: dict = {}
        polls = 0
        while not state.get("done") and time.perf_counter() - start < 1800:
            time.sleep(0.5)
            conn.request("GET", f"{location}etat.json", headers={"Cookie": cookies})
            state = json.loads(conn.getresponse().read())
            polls += 1
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    seconds = time.perf_counter() - start
    return {
        "page": "validation groupée de l'import",
        "path": location,
        "status": [state.get("status")],
        "seconds": round(seconds, 1),
        "rows": state.get("read"),
        "refused": state.get("refused"),
        "polls": polls,
        "ok": state.get("status") == "succeeded",
    }


def rss_kib(pid: int) -> dict[int, int]:
    """Resident memory (KiB) of the granian processes under ``pid``."""
    out = {}
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    for p in [pid, *map(int, children.split())]:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out[p] = int(line.split()[1])
    return out


def serve(env: dict[str, str], workers: int, port: int = PORT) -> subprocess.Popen:
    """granian serving the site on ``port`` as ``make run`` does, once it answers; stop it
    with SIGINT."""
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "granian"), "--interface", "wsgi", "config.wsgi:application",
         "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
         "--blocking-threads", "1", "--no-ws"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/")
            break
        except OSError:
            time.sleep(0.2)
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--extra-rows", type=int, default=0)
    parser.add_argument("--bulk", action="store_true", help="then validate the whole import")
    args = parser.parse_args()
    url = server_url()
    database = BENCH_DB + (f"_{args.extra_rows}" if args.extra_rows else "")
    env = {**os.environ, "DATABASE_URL": with_database(url, database), "SPASS_DEBUG": "false"}
    importers_bench.BENCH_DB = database  # its setup: database, extensions, migrations, territories
    importers_bench.setup(url, env)
    manage(env, "load_demo")
    manage(env, "load_demo_maps")
    manage(env, "load_demo_news")
    manage(env, "load_demo_portals")
    manage(env, "load_demo_forms")
    manage(env, "load_demo_actors")
    manage(env, "load_demo_carnets")
    seconds, out = manage(
        env, "import_merimee", str(MERIMEE_2017), "--group", "demo-nord", "--as", "anim"
    )
    print(f"import: {seconds:.1f} s {out.strip().splitlines()[0] if out.strip() else ''}")
    pins = seed_pins(with_database(url, database))
    print(f"pins in demo-nord's portal: {pins}")
    if args.extra_rows:
        seed(with_database(url, database), args.extra_rows)
    manage(env, "collectstatic", "--noinput", "-v0")
    cookies = {"": "", **{u: session_cookie(env, u) for u in ("anim", "contrib")}}
    known = ids(env)
    server = serve(env, args.workers)
    rows = []
    try:
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
        if args.bulk:
            rows.append(bulk_validate(conn, env, with_database(url, database), cookies["anim"]))
            print(rows[-1])
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    RESULTS.mkdir(parents=True, exist_ok=True)
    record = {"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "rows": rows}
    record.update({"extra_rows": args.extra_rows, "rss_kib": memory, "load": os.getloadavg()})
    with open(RESULTS / "pages.jsonl", "a") as fh:
        fh.write(json.dumps(record) + "\n")
    size = f"45,285 rows and {pins} pins in demo-nord, {NOTIFICATIONS} unread for anim"
    if args.extra_rows:
        size += f", plus {args.extra_rows:,} generated rows in demo-nord"
    pages_rows = [r for r in rows if "p50_ms" in r]
    lines = [
        f"# Pages bench (Mérimée 2017, {size})",
        "",
        f"{args.reps} requests per page after one warm-up, one keep-alive connection, granian "
        f"{args.workers} workers. Targets: p50 ≤ {TARGET_MS} ms, ≤ {TARGET_BYTES // 1000} kB. "
        f"Load average at the end: {os.getloadavg()[0]:.2f} (2 cores).",
        "",
        "| page | path | status | p50 ms | p95 ms | bytes | target met |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {r['page']} | `{r['path']}` | {r['status']} | {r['p50_ms']} | {r['p95_ms']} | "
            f"{r['bytes']} | {'yes' if r['ok'] else 'NO'} |"
            for r in pages_rows
        ],
        "",
        "Resident memory after the pages (KiB, granian main then workers): "
        + ", ".join(str(v) for v in memory.values()),
        "",
        *[
            f"Bulk validation of the whole import from the form « tout cet import » "
            f"(`{r['path']}`): {r['status'][0]}, {r['rows']} rows read, {r['refused']} refused, "
            f"{r['seconds']} s with a real worker ({r['polls']} polls of the progress JSON).\n"
            for r in rows
            if "seconds" in r
        ],
    ]
    name = f"pages-{args.extra_rows}.md" if args.extra_rows else "pages.md"
    (RESULTS / name).write_text("\n".join(lines))


if __name__ == "__main__":
    main()
