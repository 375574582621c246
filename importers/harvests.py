"""Harvests: a source URL re-imported into a group on a schedule by the job queue.

Each run is an ordinary ``ImportJob`` run by the engine, so progress, report, undo and the
interrupted state apply as to any import. Its source downloads the URL when the engine first
asks for rows: an unreachable, missing, oversized or unexpected source fails the run as an
unreadable file does — recorded on the job, nothing written.

In the transaction of the rows it writes, a run flags the rows of the harvest's earlier runs
that the source no longer has: kept, with the attribute ``REMOVED_FLAG`` (the run's date, shown
on the resource's page), counted (``ImportJob.removed``) and named in the report. Never
deleted: a source that drops a row may be wrong, and a person decides. The flag is written as
an update of the run (the engine's record of overwritten values, the run's stamps), so undoing
the run lifts it, and a row back at the source loses it as any changed row is updated.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from observatoire.kinds import BASE_OF_KIND, Kind
from observatoire.models import Resource
from workgroups.errors import InvalidState, NotAllowed
from workgroups.models import Group, User

from .base import REMOVED, Issue, Mapped, Record, Source
from .download import CSV_TYPES, JSON_TYPES, check_url, download, download_pages
from .engine import ImportAborted, announce, record_overwritten, run_import, start_job
from .files import ImportFileError
from .heartbeat import Heartbeat
from .mapping import ColumnMapping
from .models import Harvest, ImportJob
from .profiles import profile_named
from .sources.merimee import MerimeeSource
from .sources.ogr_file import GeodataSource
from .web import fail_unsigned, import_actor, may_import

#: The attribute flagging a row its harvest's source no longer has (value: the run's date).
REMOVED_FLAG = "retire_de_la_source"
Format = Harvest.Format
#: Media types each downloaded format may come as (OGC pages are checked page by page).
MEDIA_TYPES = {
    Format.GEOJSON: JSON_TYPES,
    Format.CSV: CSV_TYPES,
    Format.MERIMEE: JSON_TYPES | CSV_TYPES,
}
NAME_MAX = Harvest._meta.get_field("name").max_length


def guess_format(url: str) -> str:
    """The format an address suggests: an OGC API collection's ``…/items``, a ``.csv``
    file, else GeoJSON (a Mérimée export is named explicitly)."""
    path = urlsplit(url).path.lower().rstrip("/")
    if path.endswith("/items"):
        return Format.OGC
    if path.endswith((".csv", ".csv.zip")):
        return Format.CSV
    return Format.GEOJSON


def add_harvest(
    user: User,
    *,
    name: str,
    url: str,
    group: Group,
    kind: str,
    fmt: str | None = None,
    profile: str | None = None,
    every: str = Harvest.Every.DAILY,
    now: datetime | None = None,
) -> Harvest:
    """Add a harvest of ``url`` into ``group``, due at once; ``user`` must be allowed to
    import there (an animateur) and signs its rows while they may. Without ``profile``, the
    columns are mapped as their names suggest; ``fmt`` defaults to :func:`guess_format`."""
    if not may_import(user, group):
        raise NotAllowed(
            _("« %(user)s » n'est pas animateur du groupe « %(group)s » : pas de moisson.")
            % {"user": user.username, "group": group.name}
        )
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise InvalidState(
            _("Nom de moisson attendu (%(max)s caractères au plus).") % {"max": NAME_MAX}
        )
    if Harvest.objects.filter(name=name).exists():
        raise InvalidState(_("Une moisson s'appelle déjà « %(name)s ».") % {"name": name})
    try:
        check_url(url)
    except ImportFileError as exc:
        raise InvalidState(exc.message) from None
    fmt = fmt or guess_format(url)
    if fmt not in Format.values or kind not in Kind.values or every not in Harvest.Every.values:
        raise InvalidState(
            _("Format, type ou fréquence inconnu : %(values)s.")
            % {"values": ", ".join((fmt, kind, every))}
        )
    if fmt == Format.MERIMEE and (kind != MerimeeSource.kind or profile):
        raise InvalidState(
            _(
                "Un export Mérimée se lit sans profil de correspondance et donne des ressources "
                "de type « %(kind)s »."
            )
            % {"kind": MerimeeSource.kind}
        )
    return Harvest.objects.create(
        name=name,
        group=group,
        url=url,
        format=fmt,
        kind=kind,
        profile=profile_named(group, profile) if profile else None,
        every=every,
        created_by=user,
        next_run_at=now or timezone.now(),
    )


def harvest_named(name: str) -> Harvest:
    harvest = (
        Harvest.objects.select_related("group", "profile", "created_by")
        .filter(name=" ".join(name.split()))
        .first()
    )
    if harvest is None:
        raise InvalidState(_("Moisson inconnue : « %(name)s ».") % {"name": name})
    return harvest


def _local_file(url: str, folder: Path, suffix: str) -> Path:
    """Where the download goes, named after the URL (the report names the file)."""
    stem = get_valid_filename(Path(urlsplit(url).path).stem) if urlsplit(url).path else ""
    return folder / f"{stem or 'source'}{suffix}"


def _file_source(harvest: Harvest, folder: Path) -> Source:
    """The file source of the harvest's format, reading where its download will be."""
    if harvest.format == Format.MERIMEE:
        suffix = Path(urlsplit(harvest.url).path).suffix.lower()
        known = (*MerimeeSource.suffixes, ".zip")
        return MerimeeSource(_local_file(harvest.url, folder, suffix if suffix in known else ""))
    if harvest.profile is not None:
        mapping, complete = ColumnMapping.from_json(harvest.profile.mapping), False
    else:
        mapping, complete = ColumnMapping(), True
    suffix = ".csv" if harvest.format == Format.CSV else ".geojson"
    return GeodataSource(
        _local_file(harvest.url, folder, suffix),
        base=BASE_OF_KIND[harvest.kind],
        kind=harvest.kind,
        mapping=mapping,
        complete=complete,
        source_name=f"moisson:{harvest.pk}",
    )


class HarvestSource(Source):
    """A harvest's URL read by the file source of its format, downloaded when the engine
    first asks for records, so that a failed download is the run's failure."""

    def __init__(self, harvest: Harvest, folder: Path) -> None:
        self.harvest = harvest
        self.inner = _file_source(harvest, folder)
        super().__init__(self.inner.path)
        self.file_issues = self.inner.file_issues
        self.name, self.base, self.kind = self.inner.name, self.inner.base, self.inner.kind
        self.default_level = self.inner.default_level

    def records(self) -> Iterator[Record]:
        if self.harvest.format == Format.OGC:
            download_pages(self.harvest.url, self.path)
        else:
            download(self.harvest.url, self.path, MEDIA_TYPES[self.harvest.format])
        yield from self.inner.records()

    def map(self, record: Record) -> Mapped:
        return self.inner.map(record)


def flag_removed(
    harvest: Harvest, source_name: str, job: ImportJob, present: set[str]
) -> list[Issue]:
    """Flag the rows of the harvest's runs whose key is not among ``present`` (the source
    ids the run read), those not flagged yet as an update of ``job``; count and report them
    all. Runs in the run's transaction (``engine.AfterWrite``), under its source lock."""
    table = Resource._meta.db_table
    missing = (
        f"FROM {table} r WHERE r.source = %s AND r.group_id = %s AND r.import_job_id IN "
        f"(SELECT id FROM {ImportJob._meta.db_table} WHERE harvest_id = %s) "
        "AND NOT (r.source_id = ANY(%s))"
    )
    params = [source_name, harvest.group_id, harvest.pk, sorted(present)]
    unflagged, unflagged_params = f"{missing} AND NOT (r.attributes ? %s)", [*params, REMOVED_FLAG]
    with connection.cursor() as cursor:
        record_overwritten(cursor, job, unflagged, unflagged_params)
        cursor.execute(
            f"""UPDATE {table} SET attributes = attributes || jsonb_build_object(%s::text,
                       %s::text), import_job_id = %s, updated_at = now()
                 WHERE id IN (SELECT r.id {unflagged})""",
            [REMOVED_FLAG, timezone.localdate().isoformat(), job.pk, *unflagged_params],
        )
        cursor.execute(f"SELECT r.source_id, r.title {missing} ORDER BY r.source_id", params)
        removed = cursor.fetchall()
    job.removed = len(removed)
    return [
        Issue(
            0,
            sid,
            "",
            REMOVED,
            _("Absente de la source : « %(title)s » est gardée, marquée « %(flag)s ».")
            % {"title": title, "flag": REMOVED_FLAG},
        )
        for sid, title in removed
    ]


def _claim(harvest: Harvest, now: datetime) -> None:
    """Move the harvest's next run on, before running it."""
    harvest.next_run_at = now + harvest.interval
    Harvest.objects.filter(pk=harvest.pk).update(next_run_at=harvest.next_run_at)


def run_harvest(harvest: Harvest, *, now: datetime | None = None) -> ImportJob:
    """Run the harvest now (its next run moves one interval on); returns its job, succeeded
    or failed — a failed run is recorded on its job and report, not raised."""
    _claim(harvest, now or timezone.now())
    folder = Path(settings.SPASS["VAR_DIR"]) / "imports" / "harvests" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    source = HarvestSource(harvest, folder)
    options = {
        "harvest": harvest.name,
        "level": source.default_level,
        # an interrupted run says how to run it again
        "command": ["manage.py", "harvest", "run", harvest.name],
        "cwd": str(settings.BASE_DIR),
    }
    job = start_job(
        source,
        harvest.created_by,
        harvest.group,
        options,
        harvest=harvest,
        file_name=harvest.url[:500],
    )
    try:
        actor = import_actor(job)
        if actor is None:
            fail_unsigned(job)
            return job
        with Heartbeat():
            job, _report = run_import(
                source,
                actor=actor,
                group=harvest.group,
                job=job,
                after_write=partial(flag_removed, harvest, source.name),
            )
    except ImportAborted as exc:
        return exc.job or job
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if job.removed:
        announce(Resource.objects.filter(import_job=job), moved=False)
    return job


def run_due(now: datetime) -> list[ImportJob]:
    """Run the harvests due at ``now``, each claimed first in one committed transaction (its
    next run moved on, locked rows skipped), so that two workers never run one twice."""
    with transaction.atomic():
        due = list(
            Harvest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("group", "profile", "created_by")
            .filter(next_run_at__lte=now)
            .order_by("next_run_at", "pk")
        )
        for harvest in due:
            _claim(harvest, now)
    return [run_harvest(harvest, now=now) for harvest in due]
