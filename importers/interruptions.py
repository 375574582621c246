"""Interrupted imports: found when someone looks, and run again.

A killed import wrote nothing (its one transaction died with it) but its job stayed « en
cours » for ever. ``mark_interrupted`` runs whenever the jobs list, a job page, its JSON state
or the admin reads jobs (no cron to install), and asks each kind of process what already
knows whether it lives:

- a command (``manage.py import_*``): its heartbeat (``importers.heartbeat``);
- a web import: the procrastinate worker's heartbeat, which procrastinate keeps itself; its
  running jobs whose worker is silent or gone are procrastinate's *stalled jobs*.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from asgiref.sync import async_to_sync
from django.db import transaction
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from .heartbeat import stalled_after
from .models import ImportJob
from .tasks import queue_import, run_web_import

ACTIVE = (ImportJob.Status.PENDING, ImportJob.Status.RUNNING)


class NotRerunnable(Exception):
    """The job cannot run again; the message says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def mark_interrupted() -> None:
    """Mark interrupted the jobs whose process is gone: commands silent for longer than
    ``IMPORT_STALLED_AFTER``, web imports whose procrastinate job is stalled."""
    interrupted = {"status": ImportJob.Status.INTERRUPTED, "finished_at": Now()}
    silent_commands = (
        ImportJob.objects.filter(status=ImportJob.Status.RUNNING)
        .exclude(options__has_key="web")
        .alias(last_sign=Coalesce("heartbeat_at", "started_at"))
        .filter(last_sign__lt=Now() - stalled_after())
    )
    silent_commands.update(
        **interrupted,
        error=_(
            "La commande d'import ne donne plus signe de vie : son processus a été arrêté "
            "(arrêt forcé, redémarrage de la machine…) avant la fin. Rien n'a été écrit dans "
            "les ressources ; relancez la même commande."
        ),
    )
    stalled = async_to_sync(app.job_manager.get_stalled_jobs)(
        task_name=run_web_import.name, seconds_since_heartbeat=stalled_after().total_seconds()
    )
    # the jobs' arguments read through the model: the Django connector leaves them JSON text
    web_jobs = list(
        ProcrastinateJob.objects.filter(pk__in=[job.id for job in stalled]).values_list(
            "args__job_id", flat=True
        )
    )
    if web_jobs:
        ImportJob.objects.filter(status__in=ACTIVE, pk__in=web_jobs).update(
            **interrupted,
            error=_(
                "Le travailleur qui exécutait l'import s'est arrêté avant la fin (arrêt forcé, "
                "redémarrage de la machine…). Rien n'a été écrit dans les ressources ; "
                "l'import peut être relancé."
            ),
        )


def command_line(job: ImportJob) -> str:
    """The shell line that runs a command's import again, with the same arguments ("" for a
    job started otherwise)."""
    argv = job.options.get("command")
    if not argv:
        return ""
    return f"cd {shlex.quote(job.options['cwd'])} && python {shlex.join(argv)}"


def rerun_web_import(job: ImportJob) -> None:
    """Queue an interrupted web import again, from its stored upload.

    Its stalled procrastinate job is retried rather than a new one deferred: left « doing »,
    it would still be stalled and mark the new run interrupted at once."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportJob.Status.INTERRUPTED or not job.options.get("web"):
            raise NotRerunnable(_("Seul un import par le web interrompu peut être relancé."))
        if not Path(job.options["path"]).is_file():
            raise NotRerunnable(
                _("Le fichier déposé n'est plus sur le serveur : importez-le à nouveau.")
            )
        # a killed run saved no count but the rows read (its report comes last)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.PENDING, started_at=None, finished_at=None, read=0, error=""
        )
        queued = (
            ProcrastinateJob.objects.filter(task_name=run_web_import.name, args__job_id=job.pk)
            .order_by("-id")
            .first()
        )
        if queued is not None and queued.status in ("doing", "failed"):
            app.job_manager.retry_job_by_id(queued.id, retry_at=timezone.now())
        else:
            queue_import(job.pk)
