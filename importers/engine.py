"""Running an import: read, map, validate every row, then upsert in one transaction.

Valid rows are staged with ``COPY`` into a temporary table; the rows equal to their stored
version are deleted from the stage first (by the key index), so only changed and new rows
reach the resources table, by an ``UPDATE`` and an ``INSERT`` of the keys not stored yet
(``ON CONFLICT DO NOTHING`` as the last guard). An unchanged re-import thus rewrites no row,
computes no generated column and fires no trigger.
Everything happens in one transaction, so a failed, refused or killed import leaves the
resources table as it was. The job and its report are written outside that transaction, so
a dry run or a failure still leaves its report.

Undo: before the ``UPDATE``, one ``INSERT … SELECT`` over the same join copies the values it
is about to replace into ``OverwrittenRow`` (same transaction, no per-row Python), and the job
keeps the transaction's timestamp (``written_at``), which every row it writes carries as
``updated_at``; ``importers.undo`` relies on both.

Identity and rights: the key ``(source, source_id)`` is global — one monument is one feature in
every public channel, whichever group imported it first. An import writes only rows of its own
group that ``editable_by(importer)`` allows; a staged row whose key belongs to any other stored
row is a *conflict*: it leaves the stage before anything is written (one set-based statement
over the compiled rule, no per-row Python) and is reported with the group that holds it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.models import Resource
from observatoire.signals import resources_changed
from observatoire.territories import COLUMNS as TERRITORY_COLUMNS
from observatoire.territories import derived_sql
from workgroups import events
from workgroups.errors import NotAllowed
from workgroups.models import Group, User
from workgroups.permissions import can
from workgroups.roles import Capability
from workgroups.sharing import apply_level

from .base import CONFLICT, ERROR, WARNING, Issue, Source
from .files import ImportFileError, checksum
from .heartbeat import this_process
from .models import ImportIssue, ImportJob, OverwrittenRow
from .rows import check_rows
from .validation import RowValidator

#: Resource columns written from the file, in staging order.
CONTENT_COLUMNS = (
    "base",
    "kind",
    "title",
    "summary",
    "description",
    "themes",
    "date_start",
    "date_end",
    "geom",
    "attributes",
)

#: What an import changes on a row it updates: what an undo restores.
RESTORED_COLUMNS = (*CONTENT_COLUMNS, "updated_at")

#: The stored row of a staged key (``r`` the resources, ``s`` the stage; one parameter, the
#: source), answered by the key index.
STAGED_KEY = "r.source = %s AND r.source <> '' AND r.source_id = s.source_id"

#: Rows written above which the table's planner statistics are refreshed.
ANALYZE_AFTER = 1000


class ImportAborted(Exception):
    """The import stopped before writing anything; the job holds the reason."""

    def __init__(self, message: str, job: ImportJob | None = None, report: Path | None = None):
        super().__init__(message)
        self.message = message
        self.job = job
        self.report = report


def _prototype(actor: User, group: Group, level: str, validator: User | None = None) -> Resource:
    """The level and validation every new row gets, decided once by the sharing workflow
    (an animateur sharing beyond the group validates by doing so); ``validator`` (who
    imports with « valider ») validates every row, if they may validate in the group."""
    proto = Resource(group=group, author=actor)
    apply_level(actor, proto, level)
    if validator is not None:
        if not can(validator, group, Capability.VALIDATE):
            raise NotAllowed(
                _(
                    "« %(user)s » n'est pas animateur du groupe « %(group)s » : "
                    "il ne peut pas valider à l'import."
                )
                % {"user": validator.username, "group": group.name}
            )
        proto.validated_by, proto.validated_at = validator, timezone.now()
    return proto


def _stage_row(source_id: str, fields: dict[str, Any], validator: RowValidator) -> tuple[Any, ...]:
    geom = fields.get("geom")
    return (
        source_id,
        fields["base"],
        fields["kind"],
        fields["title"],
        fields.get("summary", ""),
        fields.get("description", ""),
        fields.get("themes", []),
        fields.get("date_start"),
        fields.get("date_end"),
        validator.geometry(geom)[1] if geom is not None else None,
        json.dumps(fields.get("attributes", {}), ensure_ascii=False, default=str),
    )


def _upsert(
    source: str, rows: list[tuple[Any, ...]], job: ImportJob, proto: Resource
) -> tuple[int, int, list[tuple[str, str]]]:
    """Stage and upsert the rows; returns (created, updated, conflicts), the conflicts as
    (source id, name of the group holding it). Runs in the caller's transaction."""
    table = Resource._meta.db_table
    assignments = ", ".join(f"{c} = s.{c}" for c in (*CONTENT_COLUMNS, *TERRITORY_COLUMNS))
    current = ", ".join(f"r.{c}" for c in CONTENT_COLUMNS)
    staged = ", ".join(f"s.{c}" for c in CONTENT_COLUMNS)
    with connection.cursor() as cursor:
        lock_source(cursor, source)
        cursor.execute(
            """CREATE TEMPORARY TABLE import_stage (
                   source_id varchar(100) PRIMARY KEY, base varchar(16), kind varchar(32),
                   title varchar(255), summary text, description text, themes varchar(100)[],
                   date_start date, date_end date, geom geometry(Geometry, 4326), attributes jsonb,
                   communes text[], epcis text[], departements text[], regions text[]
                ) ON COMMIT DROP"""
        )
        with cursor.copy(
            f"COPY import_stage (source_id, {', '.join(CONTENT_COLUMNS)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute("ANALYZE import_stage")
        conflicts = _unstage_conflicts(cursor, table, source, proto)
        # Unchanged rows leave the stage first: what remains reaches the table, so a re-import
        # of the same file computes no search vector, touches no index and fires no trigger.
        remaining = (
            len(rows)
            - len(conflicts)
            - _unstage_stored(
                cursor, table, source, f"AND ({current}) IS NOT DISTINCT FROM ({staged})"
            )
        )
        updated = created = 0
        if remaining:
            _derive_territories(cursor)
            # the rows left in the stage are exactly the ones the UPDATE changes
            record_overwritten(
                cursor, job, f"FROM {table} r JOIN import_stage s ON {STAGED_KEY}", [source]
            )
            cursor.execute(
                f"""UPDATE {table} r SET {assignments}, import_job_id = %s, updated_at = now()
                      FROM import_stage s WHERE {STAGED_KEY}""",
                [job.pk, source],
            )
            updated = cursor.rowcount
        if remaining > updated:
            # updated keys leave the stage before the insert, which would otherwise compute
            # each conflicting row's generated columns (an anti-join inside the INSERT would
            # rescan the rows it is adding); the conflict clause stays as the last guard
            if updated:
                _unstage_stored(cursor, table, source)
            cursor.execute(
                f"""INSERT INTO {table} ({", ".join(CONTENT_COLUMNS)}, source, source_id,
                           group_id, author_id, level, validated_by_id, validated_at,
                           import_job_id, created_at, updated_at, {", ".join(TERRITORY_COLUMNS)})
                    SELECT {staged}, %s, s.source_id, %s, %s, %s, %s, %s, %s, now(), now(),
                           {", ".join(f"s.{c}" for c in TERRITORY_COLUMNS)}
                      FROM import_stage s
                        ON CONFLICT (source, source_id) WHERE NOT (source = '') DO NOTHING""",
                [
                    source,
                    proto.group_id,
                    proto.author_id,
                    proto.level,
                    proto.validated_by_id,
                    proto.validated_at,
                    job.pk,
                ],
            )
            created = cursor.rowcount
        cursor.execute("SET LOCAL spass.territories_written = 'off'")
        cursor.execute("DROP TABLE import_stage")
        if created + updated > ANALYZE_AFTER:
            # fresh statistics, so that the next import's joins use the key index
            cursor.execute(f"ANALYZE {table}")
    return created, updated, conflicts


def _derive_territories(cursor: Any) -> None:
    """The staged rows' communes, EPCI, départements and régions, derived by joins over the
    whole stage (:func:`observatoire.territories.derived_sql`); the row trigger then stands
    aside for the writes of this transaction (it would derive each row again, one at a time:
    8 s of a 45,000-row import against 1 s)."""
    rows = (
        "SELECT s.source_id AS k, s.geom, s.attributes ->> 'commune_insee' AS typed, "
        "s.attributes ->> 'territoire' AS scope FROM import_stage s"
    )
    cursor.execute(
        f"""UPDATE import_stage s SET (communes, epcis, departements, regions) =
                   (d.communes, d.epcis, d.departements, d.regions)
              FROM ({derived_sql(rows)}) d WHERE d.k = s.source_id"""
    )
    cursor.execute("SET LOCAL spass.territories_written = 'on'")


def lock_source(cursor: Any, source: str) -> None:
    """Serialise the writers of one source's keys (imports, undos) until the commit."""
    cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"import:{source}"])


def record_overwritten(cursor: Any, job: ImportJob, rows: str, params: list[Any]) -> None:
    """Copy what ``job``'s coming ``UPDATE`` replaces on the resources ``r`` chosen by
    ``rows`` (a ``FROM … WHERE`` tail, with its ``params``), in one set-based statement.
    The geometry goes as hex EWKB: ``to_jsonb`` would take PostGIS's cast to GeoJSON, whose
    15 decimals round a longitude near Greenwich."""
    values = ", ".join(
        f"'{c}', encode(ST_AsEWKB(r.{c}), 'hex')" if c == "geom" else f"'{c}', r.{c}"
        for c in RESTORED_COLUMNS
    )
    cursor.execute(
        f"""INSERT INTO {OverwrittenRow._meta.db_table}
                   (job_id, resource_id, previous_job_id, previous)
            SELECT %s, r.id, r.import_job_id, jsonb_build_object({values}) {rows}""",
        [job.pk, *params],
    )


def _unstage_conflicts(
    cursor: Any, table: str, source: str, proto: Resource
) -> list[tuple[str, str]]:
    """Take out of the stage the rows whose key is held by a resource the importer may not
    overwrite: of another group, or of its group but not ``editable_by`` the importer (a
    contributeur re-importing an animateur's rows, a private row of someone else). The rule
    is the visibility module's own, compiled to SQL; returns (source id, holder's group name)."""
    writable, params = (
        Resource.objects.editable_by(proto.author)
        .filter(group_id=proto.group_id, source=source)
        .values("id")
        .query.sql_with_params()
    )
    group_table = Group._meta.db_table
    cursor.execute(
        f"""WITH taken AS (
                DELETE FROM import_stage s USING {table} r
                 WHERE {STAGED_KEY} AND r.id NOT IN ({writable})
             RETURNING s.source_id, r.group_id)
            SELECT t.source_id, g.name FROM taken t JOIN {group_table} g ON g.id = t.group_id
             ORDER BY t.source_id""",
        [source, *params],
    )
    return cursor.fetchall()


def _conflict_message(source_id: str, holder: str, group: Group) -> str:
    if holder == group.name:
        return _(
            "Conflit : la ressource « %(id)s » du groupe « %(group)s » ne vous est pas "
            "modifiable (elle est d'une autre personne) ; ligne non écrite."
        ) % {"id": source_id, "group": holder}
    return _(
        "Conflit : la ressource « %(id)s » appartient au groupe « %(group)s » ; ligne non écrite."
    ) % {"id": source_id, "group": holder}


def _unstage_stored(cursor: Any, table: str, source: str, condition: str = "") -> int:
    """Delete from the stage the rows whose key is stored (and that meet ``condition``), by
    the key index; returns how many left."""
    cursor.execute(
        f"DELETE FROM import_stage s USING {table} r WHERE {STAGED_KEY} {condition}",
        [source],
    )
    return cursor.rowcount


def announce(rows: QuerySet[Resource], *, moved: bool) -> None:
    """Tell the readers' caches what an import or its undo writes: the extent of ``rows``
    (new or removed ones), or no bound at all when ``moved`` (updated or restored rows may
    leave the tiles they were drawn on)."""
    if moved:
        resources_changed.send(sender=ImportJob, bounds=None)
        return
    extent = rows.aggregate(e=Extent("geom"))["e"]
    if extent is not None:
        resources_changed.send(sender=ImportJob, bounds=tuple(extent))


def _transaction_time() -> datetime:
    """``now()`` of the current transaction: the ``updated_at`` of every row it wrote."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.fetchone()[0]


def report_path(job: ImportJob) -> Path:
    return Path(settings.SPASS["VAR_DIR"]) / "imports" / f"import-{job.pk}-rapport.csv"


REPORT_HEADER = ("ligne", "identifiant", "champ", "niveau", "message")


def write_report_csv(job: ImportJob, issues: Iterable[Issue], fh) -> None:
    writer = csv.writer(fh)
    writer.writerow(REPORT_HEADER)
    for issue in issues:
        writer.writerow((issue.row, issue.source_id, issue.field, issue.level, issue.message))


def announce_outcome(job: ImportJob) -> None:
    """Tell who launched the import that it ended (succeeded or failed), once per job; a dry
    run tells nobody."""
    if not job.dry_run:
        events.announce(
            events.Occurrence(
                events.Kind.IMPORT_FINISHED, job.created_by, job.group, job, job.created_by
            )
        )


def _save_report(job: ImportJob, issues: list[Issue]) -> Path:
    with (
        connection.cursor() as cursor,
        cursor.copy(
            f"COPY {ImportIssue._meta.db_table} (job_id, row, source_id, field, level, message) "
            "FROM STDIN"
        ) as copy,
    ):
        for i in issues:
            copy.write_row((job.pk, i.row, i.source_id[:100], i.field[:100], i.level, i.message))
    path = report_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        write_report_csv(job, issues, fh)
    return path


def start_job(
    source: Source, actor: User | None, group: Group, options: dict[str, Any], **fields: Any
) -> ImportJob:
    """The job row, committed at once so that a killed import still leaves its trace, with
    the process running it (whose ``Heartbeat`` tells it is alive); ``fields`` add to or
    replace the job's fields (a harvest names its URL and itself)."""
    return ImportJob.objects.create(
        **{
            **this_process(),
            "source": source.name,
            "file_name": source.path.name,
            "checksum": checksum(source.path) if source.path.is_file() else "",
            "options": options,
            "created_by": actor,
            "group": group,
            "dry_run": bool(options.get("dry_run")),
            "status": ImportJob.Status.RUNNING,
            "started_at": timezone.now(),
            **fields,
        }
    )


#: Called in an import's transaction, after its upsert, with the job and the source ids of
#: every row it read (accepted or not); returns report lines. A harvest flags there the rows
#: of its earlier runs the source no longer has, all or nothing with the rows it writes.
AfterWrite = Callable[[ImportJob, set[str]], list[Issue]]


def run_import(
    source: Source,
    *,
    actor: User,
    group: Group,
    level: str | None = None,
    dry_run: bool = False,
    limit: int | None = None,
    max_errors: int | None = None,
    job: ImportJob | None = None,
    progress: Callable[[int], None] | None = None,
    validator: User | None = None,
    command: list[str] | None = None,
    after_write: AfterWrite | None = None,
) -> tuple[ImportJob, Path]:
    """Import ``source`` into ``group`` as ``actor``; returns the finished job and its report.

    ``command``: the command line that started it, kept on the job (with the working folder)
    so that an interrupted import can be run again the same way.

    Raises ``ImportAborted`` (after recording the job) when the file is unreadable, the actor
    may not create in the group, or more than ``max_errors`` rows are rejected.
    """
    level = level or source.default_level
    if job is None:
        job = start_job(
            source,
            actor,
            group,
            {
                "level": level,
                "dry_run": dry_run,
                "limit": limit,
                "max_errors": max_errors,
                "validate": validator is not None,
                **({"command": command, "cwd": str(Path.cwd())} if command else {}),
            },
        )
    issues: list[Issue] = []
    rows: list[tuple[Any, ...]] = []
    read_ids: set[str] = set()
    try:
        if not can(actor, group, Capability.CREATE):
            raise NotAllowed(
                _("« %(user)s » n'est pas contributeur du groupe « %(group)s ».")
                % {"user": actor.username, "group": group.name}
            )
        proto = _prototype(actor, group, level, validator)
        seen: dict[str, int] = {}
        validator = RowValidator()
        for checked in check_rows(source, validator, seen, limit):
            job.read += 1
            if progress:
                progress(1)
            sid = checked.source_id
            if sid:
                read_ids.add(sid)
            if checked.fields is None:
                job.rejected += 1
                issues.extend(Issue(checked.row, sid, f, ERROR, m) for f, m in checked.problems)
                continue
            for name, message in checked.warnings:
                issues.append(Issue(checked.row, sid, name, WARNING, message))
            rows.append(_stage_row(sid, checked.fields, validator))
        issues[:0] = source.file_issues
        job.warnings = sum(1 for i in issues if i.level == WARNING)
        if max_errors is not None and job.rejected > max_errors:
            raise ImportAborted(
                _(
                    "%(n)s lignes rejetées, au-delà du maximum toléré (%(max)s) : "
                    "rien n'a été écrit."
                )
                % {"n": job.rejected, "max": max_errors}
            )
        # the versions the triggers write (history) name the job and its launcher
        with pghistory.context(import_job=job.pk, user=actor.pk), transaction.atomic():
            created, updated, conflicts = _upsert(source.name, rows, job, proto)
            if after_write is not None:
                issues.extend(after_write(job, read_ids))
            if dry_run:
                transaction.set_rollback(True)
            else:
                job.written_at = _transaction_time()
        if not dry_run and created + updated:
            announce(Resource.objects.filter(import_job=job), moved=bool(updated))
        job.created, job.updated, job.conflicts = created, updated, len(conflicts)
        job.unchanged = len(rows) - created - updated - len(conflicts)
        issues.extend(
            Issue(seen[sid], sid, "source_id", CONFLICT, _conflict_message(sid, holder, group))
            for sid, holder in conflicts
        )
        job.status = ImportJob.Status.SUCCEEDED
    except (ImportFileError, NotAllowed, ImportAborted) as exc:
        job.status = ImportJob.Status.FAILED
        job.error = getattr(exc, "message", None) or str(exc)
        issues.append(Issue(0, "", "", ERROR, job.error))
    except BaseException as exc:
        job.status = ImportJob.Status.FAILED
        job.error = _("Erreur inattendue : %(err)s") % {"err": exc}
        job.finished_at = timezone.now()
        job.save()
        raise
    job.finished_at = timezone.now()
    job.save()
    announce_outcome(job)
    path = _save_report(job, issues)
    if job.status == ImportJob.Status.FAILED:
        raise ImportAborted(job.error, job, path)
    return job, path
