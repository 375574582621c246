"""The web import in three steps, as services the page and the API share.

1. :func:`upload` checks and stores a geodata file (by its content, as every web import) and
   records it as a *draft* job that only its uploader sees; :func:`inspect` says what it
   holds (layers, CRS, columns with sample values) and which mapping the names suggest.
2. :func:`preview` maps and checks the rows exactly as the import will (``rows.check_rows``
   over the same source): the first rows as they will be created, the rejected ones and why.
3. :func:`run` turns the draft into a queued job (the procrastinate task of every web
   import), with the mapping the person chose, saved as a group's profile if they name one.

A draft nobody runs is removed with its file after ``DRAFT_HOURS`` (:func:`purge_abandoned`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.kinds import BASE_OF_KIND
from workgroups.errors import InvalidState, NotAllowed
from workgroups.models import Group, User
from workgroups.permissions import can
from workgroups.roles import Capability

from .files import checksum
from .mapping import ColumnMapping, suggest_mapping
from .models import ImportJob, MappingProfile
from .profiles import profile_named, profiles_for, save_profile
from .rows import check_rows
from .sources.ogr_file import GeodataSource, Layout
from .validation import RowValidator
from .web import check_file, importable_groups, may_import, remove_upload, store_upload

#: Rows a preview shows as they will be created (and draws on its map).
PREVIEW_ROWS = 20
#: Rejected rows a preview lists (all are counted).
PREVIEW_REJECTED = 100
#: Hours after which a draft nobody ran is abandoned: its file and its row are removed.
DRAFT_HOURS = 24


def drafts_of(user: User) -> QuerySet[ImportJob]:
    """The drafts ``user`` uploaded: a draft is nobody else's business (others get 404)."""
    if not user.is_authenticated:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(status=ImportJob.Status.DRAFT, created_by=user)


def source_of(
    job: ImportJob,
    *,
    kind: str = "marqueur",
    layer: str | None = None,
    srid: int | None = None,
    mapping: ColumnMapping | None = None,
) -> GeodataSource:
    """The source reading a draft's file, with the choices made so far."""
    return GeodataSource(
        Path(job.options["path"]),
        base=BASE_OF_KIND[kind],
        kind=kind,
        layer=layer or None,
        srid=srid,
        mapping=mapping,
        complete=mapping is None,
        source_name=f"fichier:{Path(job.file_name).stem}",
    )


def upload(user: User, file: UploadedFile) -> tuple[ImportJob, Layout]:
    """Check, store and inspect an uploaded geodata file; the draft job and what it holds.

    Raises ``NotAllowed`` for someone who may import nowhere, ``UploadTooLarge`` and
    ``ImportFileError`` (nothing kept) for a file refused by its size, name or content."""
    if not importable_groups(user).exists():
        raise NotAllowed(_("Seuls les animateurs d'un groupe peuvent importer."))
    check_file(file, "geodata")
    path = store_upload(file)
    try:
        job = ImportJob(
            source="geodata",
            file_name=Path(file.name or path.name).name[:500],
            options={"path": str(path), "web": True, "uploaded_at": timezone.now().isoformat()},
            created_by=user,
            status=ImportJob.Status.DRAFT,
        )
        layout = source_of(job).inspect()
        job.checksum = checksum(path)
        job.save()
    except BaseException:
        remove_upload(path)
        raise
    return job, layout


def inspect(job: ImportJob, layer: str | None = None) -> Layout:
    return source_of(job, layer=layer).inspect()


def suggestions(user: User, layout: Layout) -> tuple[ColumnMapping, list[MappingProfile]]:
    """The mapping the column names suggest, and the saved profiles made for these columns
    (the first one is preselected: the partner's next file imports as the last did)."""
    return suggest_mapping(layout.columns), list(profiles_for(user, layout.columns))


@dataclass
class Preview:
    """The rows of a draft as the import will write them, and those it will reject."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    read: int = 0
    accepted: int = 0
    rejected_count: int = 0
    file_warnings: list[str] = field(default_factory=list)


def _row(checked: Any) -> dict[str, Any]:
    fields = dict(checked.fields)
    geom = fields.pop("geom", None)
    for name in ("date_start", "date_end"):
        if fields.get(name) is not None:
            fields[name] = fields[name].isoformat()
    fields.pop("base", None)
    return {
        "row": checked.row,
        "source_id": checked.source_id,
        **fields,
        "geometry": json.loads(geom.json) if geom is not None else None,
        "warnings": [{"field": f, "message": m} for f, m in checked.warnings],
    }


def preview(
    job: ImportJob, *, kind: str, layer: str | None, srid: int | None, mapping: ColumnMapping
) -> Preview:
    """Map and check every row of the draft (``ImportFileError`` for a file refused as a
    whole: wrong CRS, missing column); nothing is written."""
    source = source_of(job, kind=kind, layer=layer, srid=srid, mapping=mapping)
    result = Preview()
    for checked in check_rows(source, RowValidator(), {}):
        result.read += 1
        if checked.fields is not None:
            result.accepted += 1
            if len(result.rows) < PREVIEW_ROWS:
                result.rows.append(_row(checked))
            continue
        result.rejected_count += 1
        if len(result.rejected) < PREVIEW_REJECTED:
            result.rejected.append(
                {
                    "row": checked.row,
                    "source_id": checked.source_id,
                    "problems": [{"field": f, "message": m} for f, m in checked.problems],
                }
            )
    result.file_warnings = [issue.message for issue in source.file_issues]
    return result


@dataclass
class RunChoices:
    """What a person chose on the mapping step (or a script sends to ``run/``)."""

    group: Group
    kind: str
    mapping: ColumnMapping | None = None
    layer: str | None = None
    srid: int | None = None
    profile: str = ""
    level: str = ""
    validate: bool = False
    dry_run: bool = False


def run(user: User, job: ImportJob, choices: RunChoices) -> ImportJob:
    """Queue the draft's import with the chosen mapping; saves it as the group's profile
    ``choices.profile`` when a mapping is given, or uses that profile when none is.

    Checks the same rights as every web import (an animateur of the group, or staff), and
    that the file as a whole passes with these choices (``ImportFileError``)."""
    from .tasks import queue_import

    group = choices.group
    if not may_import(user, group):
        raise NotAllowed(
            _("Vous n'êtes pas animateur du groupe « %(group)s » : import impossible.")
            % {"group": group.name}
        )
    if choices.validate and not can(user, group, Capability.VALIDATE):
        raise NotAllowed(
            _("Vous n'êtes pas animateur du groupe « %(group)s » : vous ne pouvez pas valider.")
            % {"group": group.name}
        )
    if job.status != ImportJob.Status.DRAFT:
        raise InvalidState(_("Cet import est déjà lancé."))
    layout = inspect(job, choices.layer)
    mapping = choices.mapping
    if mapping is None:
        if choices.profile:
            mapping = ColumnMapping.from_json(profile_named(group, choices.profile).mapping)
        else:
            mapping = suggest_mapping(layout.columns)
    # the whole file's checks (columns, CRS area) run now, so a refused file is said here
    # and not in a failed job
    source = source_of(
        job, kind=choices.kind, layer=choices.layer, srid=choices.srid, mapping=mapping
    )
    next(source.records(), None)
    with transaction.atomic():
        if choices.profile and choices.mapping is not None:
            save_profile(user, group, choices.profile, mapping, layout.columns)
        job.group, job.dry_run = group, choices.dry_run
        job.status = ImportJob.Status.PENDING
        job.options = {
            **job.options,
            "base": BASE_OF_KIND[choices.kind],
            "kind": choices.kind,
            "layer": layout.layer,
            "srid": choices.srid,
            "mapping": mapping.to_json(),
            "profile": choices.profile,
            "level": choices.level,
            "validate": choices.validate,
            "dry_run": choices.dry_run,
        }
        job.save(update_fields=["group", "dry_run", "status", "options"])
        queue_import(job.pk)
    return job


def purge_abandoned(now: datetime | None = None) -> int:
    """Remove the drafts uploaded more than ``DRAFT_HOURS`` ago, and their files; how many."""
    limit = (now or timezone.now()) - timedelta(hours=DRAFT_HOURS)
    count = 0
    for job in ImportJob.objects.filter(status=ImportJob.Status.DRAFT):
        if datetime.fromisoformat(job.options["uploaded_at"]) < limit:
            remove_upload(Path(job.options["path"]))
            job.delete()
            count += 1
    return count
