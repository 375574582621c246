"""A real streaming replica of the test cluster (``bin/spass-db replica``) behind the router
of :mod:`geo.replicas`: the leak matrix answered from the replica, a writer pinned to the
primary, the replica's lag and its death sending reads back to the primary without an error.

Proof that the replica answers: its replay is paused, then a public resource is written on
the primary; any read that reached the primary would show it."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connections
from django.test import override_settings
from rest_framework.test import APIClient

from geo import replicas
from workgroups.roles import Level

from ..api.conftest import EXPECTED_VISIBLE, STATES
from ..clients import real_client
from ..conftest import ACTORS
from ..ui.matrix import resource_in_state

ROOT = Path(__file__).resolve().parents[2]
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
ALIAS = "replica_0"

pytestmark = [
    real_client(
        "pg_basebackup",
        (PGBIN / "pg_basebackup").exists(),
        "PostgreSQL 15 de Debian (postgresql-15) pour une réplique en flux",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", ALIAS]),
]


def _embedded_port() -> str:
    return (Path(settings.SPASS["VAR_DIR"]) / "postgres" / "port").read_text().strip()


@pytest.fixture(scope="module", autouse=True)
def replica_dir(django_db_setup) -> Iterator[Path]:
    """A streaming replica of the embedded cluster holding the test database, declared as
    ``DATABASES["replica_0"]`` (a test mirror: never flushed) before the tests' database
    fixtures check their ``databases``."""
    if str(settings.DATABASES["default"]["PORT"]) != _embedded_port():
        pytest.fail("la base de test doit être celle du cluster embarqué (bin/spass-db)")
    folder = Path(settings.SPASS["VAR_DIR"]) / f"replica-{settings.DATABASES['default']['NAME']}"
    shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, "SPASS_REPLICA_DIR": str(folder)}
    run = [str(ROOT / "bin" / "spass-db"), "replica"]
    subprocess.run([*run, "start"], env=env, check=True, capture_output=True)
    connections.settings[ALIAS] = {
        **copy.deepcopy(connections.settings["default"]),
        "PORT": (folder / "port").read_text().strip(),
        "TEST": {"MIRROR": "default"},
    }
    try:
        yield folder
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]
        subprocess.run([*run, "stop"], env=env, check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _replica(folder: Path, command: str) -> None:
    env = {**os.environ, "SPASS_REPLICA_DIR": str(folder)}
    subprocess.run([str(ROOT / "bin/spass-db"), "replica", command], env=env, check=True)


def _on_replica(folder: Path, sql: str):
    with psycopg.connect(
        host="127.0.0.1",
        port=int((folder / "port").read_text()),
        user=settings.DATABASES["default"]["USER"],
        password=settings.DATABASES["default"]["PASSWORD"],
        dbname=settings.DATABASES["default"]["NAME"],
        autocommit=True,
    ) as conn:
        return conn.execute(sql).fetchone()


def _until(condition, what: str, timeout: float = 60) -> None:
    """Wait for the replica to reach a state (replay is asynchronous)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"la réplique n'a pas atteint l'état attendu : {what}")
        time.sleep(0.05)


def _caught_up(folder: Path) -> None:
    """Wait until the replica has replayed everything the primary wrote so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    _until(
        lambda: _on_replica(folder, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0],
        "rejouer le journal du primaire",
    )


@pytest.fixture
def replica(replica_dir) -> Iterator[Path]:
    """The replica running, the router on, the replica's health checked at each request."""
    _replica(replica_dir, "start")
    replicas.health.forget()
    try:
        with override_settings(
            DATABASE_ROUTERS=["geo.replicas.ReplicaRouter"],
            SPASS_REPLICA_CHECK_S=0,
            SPASS_REPLICA_MAX_LAG_S=3600,
        ):
            yield replica_dir
    finally:
        if (replica_dir / "data" / "postmaster.pid").exists():
            _on_replica(replica_dir, "SELECT pg_wal_replay_resume()")
        connections[ALIAS].close()
        replicas.health.forget()


def _client(person=None) -> APIClient:
    client = APIClient()
    if person is not None and person.is_authenticated:
        client.force_authenticate(person)
    return client


def _ids(body: dict) -> set[int]:
    return {f["id"] for f in body["features"]}


def test_replica_serves_reads_pins_writers_and_falls_back(replica, cast):
    states = {
        name: resource_in_state(cast, level, validated, title=f"Ressource {name}")
        for name, (level, validated) in STATES.items()
    }
    _caught_up(replica)
    _on_replica(replica, "SELECT pg_wal_replay_pause()")
    hidden = resource_in_state(cast, Level.PUBLIC, True, title="Écrite après la pause")

    # the leak matrix, answered by the replica (which does not hold `hidden`)
    by_id = {r.pk: name for name, r in states.items()}
    for actor in ACTORS:
        body = _client(cast[actor]).get("/api/v1/resources/").json()
        assert hidden.pk not in _ids(body), actor
        assert {by_id[i] for i in _ids(body) if i in by_id} == EXPECTED_VISIBLE[actor], actor
        for name, resource in states.items():
            detail = _client(cast[actor]).get(f"/api/v1/resources/{resource.pk}/")
            expected = 200 if name in EXPECTED_VISIBLE[actor] else 404
            assert detail.status_code == expected, (actor, name)
    items = _client().get("/ogc/collections/observatoire/items").json()
    assert {f["id"] for f in items["features"]} == {states["public"].pk}
    assert _client().get(f"/ogc/collections/observatoire/items/{hidden.pk}").status_code == 404

    # write then read: the writer is pinned to the primary and sees the row at once
    author = _client(cast["author"])
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [3.0573, 50.6292]},
        "properties": {
            "title": "Beffroi",
            "base": "observatoire",
            "kind": "marqueur",
            "group": cast.group.slug,
        },
    }
    created = author.post("/api/v1/resources/", feature, format="json")
    assert created.status_code == 201
    assert replicas.PIN_COOKIE in created.cookies
    rid = created.json()["id"]
    assert author.get(f"/api/v1/resources/{rid}/").status_code == 200
    # the same person without the pin reads the replica, which has not replayed it yet
    unpinned = _client(cast["author"])
    assert unpinned.get(f"/api/v1/resources/{rid}/").status_code == 404
    # after replay the replica shows it too
    _on_replica(replica, "SELECT pg_wal_replay_resume()")
    _caught_up(replica)
    assert unpinned.get(f"/api/v1/resources/{rid}/").status_code == 200
    assert hidden.pk in _ids(_client().get("/api/v1/resources/").json())

    # a lagging replica: reads go to the primary
    _on_replica(replica, "SELECT pg_wal_replay_pause()")
    late = resource_in_state(cast, Level.PUBLIC, True, title="Pendant le retard")
    _until(
        lambda: _on_replica(replica, "SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()")[
            0
        ],
        "recevoir sans rejouer",
    )
    assert late.pk not in _ids(_client().get("/api/v1/resources/").json())
    with override_settings(SPASS_REPLICA_MAX_LAG_S=0):
        assert late.pk in _ids(_client().get("/api/v1/resources/").json())
    _on_replica(replica, "SELECT pg_wal_replay_resume()")
    _caught_up(replica)

    # the replica dies while believed healthy: the GET is answered again on the primary
    replicas.health.forget()
    with override_settings(SPASS_REPLICA_CHECK_S=3600):
        assert _client().get("/ogc/collections/observatoire/items").status_code == 200
        _replica(replica, "stop")
        survivor = _client()
        response = survivor.get("/api/v1/resources/")
        assert response.status_code == 200
        assert late.pk in _ids(response.json())
        items = _client().get("/ogc/collections/observatoire/items")
        assert items.status_code == 200
    # and with the health checked again it is left aside
    for _ in range(3):
        response = _client().get("/ogc/collections/observatoire/items")
        assert response.status_code == 200
        assert late.pk in {f["id"] for f in response.json()["features"]}


def test_outside_requests_everything_goes_to_the_primary(replica, cast):
    """Workers, migrations, commands: no request context, no replica."""
    assert replicas.read_alias() == "default"
    with replicas.reading("POST", {}):
        assert replicas.read_alias() == "default"
    with replicas.reading("GET", {}):
        assert replicas.read_alias() == ALIAS
        replicas.wrote()
        assert replicas.read_alias() == "default"
    router = replicas.ReplicaRouter()
    assert router.allow_migrate(ALIAS, "observatoire") is False
    assert router.allow_migrate("default", "observatoire") is True
