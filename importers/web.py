"""Imports started from the web: who may, which sources, the uploaded file, the queued job.

The request only checks, stores the file and queues a procrastinate job (in the same
transaction as the ``ImportJob`` row, so neither exists without the other); the worker runs
``importers.tasks.run_web_import``, which calls the same engine as the commands.
"""

from __future__ import annotations

import uuid
import zipfile
from contextlib import suppress
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workgroups.models import Group, User
from workgroups.permissions import can
from workgroups.progress import progress_state
from workgroups.roles import Capability
from workgroups.visibility import groups_where

from .base import Source
from .cli import default_actor
from .files import ImportFileError
from .mapping import ColumnMapping
from .models import ImportJob
from .sources.archires import ArchiresSource
from .sources.merimee import MerimeeSource
from .sources.ogr_file import GeodataSource
from .sources.omeka import OmekaSource

#: Sources offered on the web page: name → (label, accepted file suffixes).
WEB_SOURCES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "merimee": (gettext_lazy("Mérimée (monuments historiques)"), (*MerimeeSource.suffixes, ".zip")),
    "archires": (
        gettext_lazy("Archirès (travaux d'étudiants, UNIMARC ISO 2709)"),
        (*ArchiresSource.suffixes, ".zip"),
    ),
    "omeka": (gettext_lazy("Omeka S (export CSV ou JSON-LD)"), (*OmekaSource.suffixes, ".zip")),
    "geodata": (
        gettext_lazy("Fichier géographique (GeoPackage, Shapefile zippé, GeoJSON…)"),
        (*GeodataSource.suffixes, ".zip"),
    ),
}
#: Sources whose file alone says everything (no base, kind or column to choose).
FILE_SOURCES: dict[str, type[Source]] = {
    "merimee": MerimeeSource,
    "archires": ArchiresSource,
    "omeka": OmekaSource,
}


class UploadTooLarge(Exception):
    """The upload exceeds ``IMPORT_MAX_UPLOAD_BYTES``: answered 413."""


def max_upload_bytes() -> int:
    return settings.SPASS["IMPORT_MAX_UPLOAD_BYTES"]


def too_large_message() -> str:
    return _("Fichier trop volumineux : %(mb)s Mo au plus.") % {
        "mb": round(max_upload_bytes() / (1024 * 1024), 1)
    }


def importable_groups(user: User) -> QuerySet[Group]:
    """Groups ``user`` may import into: those they animate; every group for staff."""
    if not user.is_authenticated:
        return Group.objects.none()
    if user.is_staff:
        return Group.objects.order_by("name")
    return Group.objects.filter(pk__in=groups_where(user, Capability.VALIDATE)).order_by("name")


def visible_jobs(user: User) -> QuerySet[ImportJob]:
    """The jobs ``importers.views.can_see_job`` lets ``user`` see, as one query: staff all
    but others' drafts, else the ones they ran and those of the groups they animate."""
    jobs = ImportJob.objects.order_by("-id").exclude(
        Q(status=ImportJob.Status.DRAFT) & ~Q(created_by=user)
    )
    if user.is_staff:
        return jobs
    return jobs.filter(Q(created_by=user) | Q(group_id__in=groups_where(user, Capability.VALIDATE)))


#: The counters of a job, in the order the admin, the page and the JSON show them.
COUNTERS = ("read", "created", "updated", "unchanged", "rejected", "warnings")


def job_state(job: ImportJob) -> dict[str, Any]:
    """Status, progress and counts of a job: what its page polls and the API answers."""
    return {
        **progress_state(job, job.read, unknown=None),
        **{name: getattr(job, name) for name in (*COUNTERS, "conflicts", "removed")},
        "finished_at": job.finished_at,
    }


def may_import(user: User, group: Group) -> bool:
    return user.is_authenticated and (user.is_staff or can(user, group, Capability.VALIDATE))


def check_file(upload: UploadedFile, source: str) -> None:
    """Refuse a file whose name or content does not fit the source (before anything is written)."""
    if upload.size > max_upload_bytes():
        raise UploadTooLarge(too_large_message())
    suffixes = WEB_SOURCES[source][1]
    name = upload.name or ""
    if not name.lower().endswith(suffixes):
        raise ImportFileError(
            _("Type de fichier refusé : « %(name)s » (attendus : %(suffixes)s).")
            % {"name": name, "suffixes": ", ".join(suffixes)}
        )
    head = upload.read(4096)
    upload.seek(0)
    if not head.strip():
        raise ImportFileError(_("Le fichier est vide."))
    if name.lower().endswith(".zip"):
        if not zipfile.is_zipfile(upload):
            raise ImportFileError(_("« %(name)s » n'est pas une archive zip.") % {"name": name})
        upload.seek(0)
    elif name.lower().endswith((".csv", ".txt", ".utf", ".json", ".geojson", ".kml")) and (
        b"\x00" in head
    ):
        raise ImportFileError(
            _("« %(name)s » n'est pas un fichier texte (contenu binaire).") % {"name": name}
        )


def upload_dir() -> Path:
    return Path(settings.SPASS["VAR_DIR"]) / "imports" / "uploads"


def store_upload(upload: UploadedFile) -> Path:
    """Copy the upload under ``VAR_DIR`` (the worker reads it there, then removes it)."""
    folder = upload_dir() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / get_valid_filename(Path(upload.name).name)
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return path


def queue_import(
    user: User, group: Group, source: str, upload: UploadedFile, options: dict[str, Any]
) -> ImportJob:
    """Store the file, create the pending job and queue it; all or nothing."""
    from .tasks import queue_import

    path = store_upload(upload)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                source=source,
                file_name=Path(upload.name).name[:500],
                options={**options, "path": str(path), "web": True},
                created_by=user,
                group=group,
                dry_run=bool(options.get("dry_run")),
            )
            queue_import(job.pk)
    except BaseException:
        remove_upload(path)
        raise
    return job


def remove_upload(path: Path) -> None:
    path.unlink(missing_ok=True)
    if path.parent.parent == upload_dir():
        with suppress(FileNotFoundError):
            path.parent.rmdir()


def build_source(job: ImportJob) -> Source:
    """The importer of a queued job, from its stored options: a file source, or a geodata
    file with the mapping chosen on the mapping step (run as previewed, not completed), or
    with the one-step form's identifier column (completed with what the names suggest)."""
    options = job.options
    path = Path(options["path"])
    if job.source in FILE_SOURCES:
        return FILE_SOURCES[job.source](path)
    if "mapping" in options:
        mapping, complete = ColumnMapping.from_json(options["mapping"]), False
    else:
        id_column = options.get("id_column")
        mapping, complete = ColumnMapping({"source_id": id_column} if id_column else {}), True
    return GeodataSource(
        path,
        base=options["base"],
        kind=options["kind"],
        layer=options.get("layer") or None,
        srid=options.get("srid"),
        mapping=mapping,
        complete=complete,
        source_name=f"fichier:{Path(job.file_name).stem}",
    )


def import_actor(job: ImportJob) -> User | None:
    """The author of the imported resources: who started the job when they may create in the
    group, else (staff importing for a group) its first animateur."""
    if job.created_by is not None and can(job.created_by, job.group, Capability.CREATE):
        return job.created_by
    return default_actor(job.group)


def fail_unsigned(job: ImportJob) -> None:
    """Record the job as failed: no one may sign its rows (the group has no animateur)."""
    job.status, job.finished_at = ImportJob.Status.FAILED, timezone.now()
    job.error = _("Le groupe n'a pas d'animateur pour signer l'import.")
    job.save()
