"""One uploaded file is never imported twice at once, whatever the number of workers:
procrastinate's queueing lock refuses a second waiting run, its lock keeps a second run from
starting while the first is under way (the real job queue on the test database)."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from django.db import connection, transaction
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from importers.tasks import import_lock, queue_import, run_web_import

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_imports_queue():
    """Jobs other tests left on the imports queue would be fetched first (the queue's tables
    are procrastinate's, not flushed between transactional tests)."""
    with connection.cursor() as cursor:  # the job models are read-only
        cursor.execute("DELETE FROM procrastinate_jobs WHERE queue_name = 'imports'")


def _fetch():
    """What one worker (registered like a real one) takes from the imports queue."""
    worker = async_to_sync(app.job_manager.register_worker)()
    return async_to_sync(app.job_manager.fetch_job)(queues=["imports"], worker_id=worker)


def test_one_file_is_never_imported_twice_at_once():
    assert queue_import(42) is True
    # a second click, a rerun, another web node: refused while the first run waits
    with transaction.atomic():
        assert queue_import(42) is False
        # the transaction is still usable
        assert ProcrastinateJob.objects.filter(queue_name="imports").count() == 1
    job = ProcrastinateJob.objects.get(queue_name="imports")
    assert (job.lock, job.queueing_lock) == (import_lock(42), import_lock(42))
    assert job.task_name == run_web_import.name

    running = _fetch()  # a worker takes it
    assert running is not None and json.loads(running.task_kwargs) == {"job_id": 42}
    # queued again while it runs (a rerun): accepted, but no worker may start it
    assert queue_import(42) is True
    assert _fetch() is None
    # another file is not held back
    assert queue_import(43) is True
    other = _fetch()
    assert other is not None and json.loads(other.task_kwargs) == {"job_id": 43}
