"""Background jobs of the importers, run by ``manage.py procrastinate worker``."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from procrastinate import exceptions as procrastinate_errors
from procrastinate.contrib.django import app

from .drafts import purge_abandoned
from .engine import ImportAborted, run_import
from .files import ImportFileError
from .harvests import run_due
from .models import ImportJob
from .web import build_source, fail_unsigned, import_actor, remove_upload

#: Seconds between two progress writes on the job row.
PROGRESS_EVERY = 0.5


class Progress:
    """Counts rows and writes the count on the job row at most every ``PROGRESS_EVERY`` s."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.pending = 0
        self.last = time.monotonic()

    def __call__(self, rows: int) -> None:
        self.pending += rows
        if time.monotonic() - self.last >= PROGRESS_EVERY:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            ImportJob.objects.filter(pk=self.job_id).update(read=F("read") + self.pending)
            self.pending = 0
        self.last = time.monotonic()


def count_rows(job: ImportJob) -> int | None:
    """Rows of the file, read once before the import so the page can show a percentage;
    None when the file cannot be read (the import itself then reports why)."""
    try:
        return sum(1 for _record in build_source(job).records())
    except ImportFileError:
        return None


def import_lock(job_id: int) -> str:
    """The procrastinate lock and queueing lock of one import job (one uploaded file)."""
    return f"importers.import-{job_id}"


def queue_import(job_id: int) -> bool:
    """Queue the import of a job, at most once: with N workers on several machines, the
    queueing lock refuses a second waiting run of the same file and the lock keeps a second
    run from starting while one is under way. False when a run was already waiting."""
    lock = import_lock(job_id)
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the caller's transaction
            run_web_import.configure(lock=lock, queueing_lock=lock).defer(job_id=job_id)
    except procrastinate_errors.AlreadyEnqueued:
        return False
    return True


@app.task(name="importers.run_web_import", queue="imports")
def run_web_import(job_id: int) -> None:
    """Run a queued web import; the job row holds its progress, counts and report."""
    job = ImportJob.objects.select_related("group", "created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.PENDING:
        return
    source = build_source(job)
    try:
        actor = import_actor(job) if job.group else None
        if actor is None:
            fail_unsigned(job)
            return
        job.total = count_rows(job)
        job.status, job.started_at = ImportJob.Status.RUNNING, timezone.now()
        job.save(update_fields=["total", "status", "started_at"])
        progress = Progress(job.pk)
        try:
            job, _report = run_import(
                source,
                actor=actor,
                group=job.group,
                level=job.options.get("level") or None,
                dry_run=job.dry_run,
                job=job,
                progress=progress,
                validator=job.created_by if job.options.get("validate") else None,
            )
        except ImportAborted:
            return
    finally:
        remove_upload(source.path)


@app.periodic(cron="17 * * * *", periodic_id="purge_import_drafts")
@app.task(name="importers.purge_abandoned_drafts", queue="imports")
def purge_abandoned_drafts(timestamp: int) -> None:
    """Every hour: drafts nobody ran for ``DRAFT_HOURS`` leave with their files."""
    purge_abandoned()


@app.periodic(cron="*/10 * * * *", periodic_id="run_due_harvests")
@app.task(name="importers.run_due_harvests", queue="imports")
def run_due_harvests(timestamp: int) -> None:
    """Every ten minutes: the harvests whose next run has come run, each as an import job
    (a daily harvest thus runs within ten minutes of its hour)."""
    run_due(datetime.fromtimestamp(timestamp, tz=UTC))
