"""Interrupted imports: a job whose process is gone says so and can run again; a live one is
left alone (the killed command import is in ``test_robustness.py``)."""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from importers.interruptions import mark_interrupted
from importers.models import ImportJob
from observatoire.models import Resource
from workgroups.models import Membership
from workgroups.roles import Role

from ..workers import run_worker, start_worker
from .conftest import MERIMEE_FILES
from .test_robustness import STALLED_AFTER


@pytest.fixture
def stalled_soon(settings):
    settings.SPASS = {**settings.SPASS, "IMPORT_STALLED_AFTER": STALLED_AFTER}


def test_only_jobs_silent_too_long_are_interrupted(cast, stalled_soon):
    """A command's running job is interrupted once its last sign of life (heartbeat, else its
    start) is older than the threshold; a fresh heartbeat keeps it running however old it is;
    a web job is left to procrastinate (no stalled worker here); finished jobs stay finished."""
    long_ago = timezone.now() - timedelta(hours=5)
    recent = timezone.now() - timedelta(seconds=1)

    def job(status="running", **fields):
        return ImportJob.objects.create(
            source="merimee", group=cast.group, status=status, started_at=long_ago, **fields
        )

    alive = job(heartbeat_at=recent, pid=1, host="ici")
    silent = job(heartbeat_at=long_ago, pid=2, host="ici")
    legacy = job()  # started before heartbeats existed
    just_started = ImportJob.objects.create(source="merimee", status="running", started_at=recent)
    web = job(options={"web": True, "path": "/nulle/part.csv"})
    done = job(status="succeeded", heartbeat_at=long_ago)
    mark_interrupted()
    status = dict(ImportJob.objects.values_list("pk", "status"))
    assert status[alive.pk] == status[just_started.pk] == status[web.pk] == "running"
    assert status[silent.pk] == status[legacy.pk] == "interrupted"
    assert status[done.pk] == "succeeded"
    silent.refresh_from_db()
    assert "ne donne plus signe de vie" in silent.error and silent.finished_at is not None


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_web_import_whose_worker_is_gone_is_interrupted_and_runs_again(
    client, cast, territories, tmp_path, settings
):
    """While its worker lives, a web import stays « en cours »; the worker is killed: once
    procrastinate counts it stalled, the page says « Interrompu » (its JSON: done, so the
    progress bar stops polling); people without the right to import cannot run it again; the
    group's animateur can, and the retried job imports the whole file."""
    client.force_login(cast["animateur"])
    response = client.post(
        "/imports/nouveau/",
        {
            "group": cast.group.pk,
            "source": "merimee",
            "level": "public",
            "file": SimpleUploadedFile("merimee-MH.csv.zip", MERIMEE_FILES["2017zip"].read_bytes()),
        },
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    worker = start_worker("imports", tmp_path)
    try:
        _wait(
            lambda: (
                worker.poll() is not None
                or ImportJob.objects.filter(pk=job.pk, read__gt=0)
                .exclude(status="pending")
                .exists()
            ),
            300,
            "the worker never started the import",
        )
        job.refresh_from_db()
        assert worker.poll() is None and job.status == "running", (job.status, job.error)
        # the worker's heartbeat (every 10 s) is fresh for the default threshold
        assert client.get(f"/imports/{job.pk}/etat.json").json()["status"] == "running"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()

    settings.SPASS = {**settings.SPASS, "IMPORT_STALLED_AFTER": STALLED_AFTER}

    def interrupted() -> bool:
        return client.get(f"/imports/{job.pk}/etat.json").json()["status"] == "interrupted"

    _wait(interrupted, 60, "the import of the dead worker was never marked interrupted")
    state = client.get(f"/imports/{job.pk}/etat.json").json()
    assert state["done"] and state["status_label"] == "Interrompu" and state["finished_at"]
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Interrompu" in page and "Le travailleur qui exécutait l&#x27;import" in page
    assert f'action="/imports/{job.pk}/relancer/"' in page and "importers/job.js" not in page
    assert not Resource.objects.exists()

    for actor in ("anonymous", "contributeur", "other_animateur"):
        client.logout()
        if actor != "anonymous":
            client.force_login(cast[actor])
        assert client.post(f"/imports/{job.pk}/relancer/").status_code == 404, actor
    Membership.objects.filter(user=cast["animateur"], group=cast.group).update(
        role=Role.CONTRIBUTEUR
    )
    client.force_login(cast["animateur"])  # who ran it sees it, but may no longer import
    assert client.post(f"/imports/{job.pk}/relancer/").status_code == 403
    assert "Relancer" not in client.get(f"/imports/{job.pk}/").content.decode()
    Membership.objects.filter(user=cast["animateur"], group=cast.group).update(role=Role.ANIMATEUR)
    job.refresh_from_db()
    assert job.status == "interrupted"

    response = client.post(f"/imports/{job.pk}/relancer/")
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.read, job.error) == ("pending", 0, "")
    queued = ProcrastinateJob.objects.get(args__job_id=job.pk)
    assert (queued.status, queued.attempts) == ("todo", 1)  # the stalled job, retried
    assert client.post(f"/imports/{job.pk}/relancer/").status_code == 409  # not twice
    run_worker("imports", tmp_path)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.read == 45285 and job.created + job.rejected == 45285
    assert Resource.objects.count() == job.created
