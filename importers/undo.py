"""Undoing an import: the rows it created are deleted, the rows it updated get back the values
it replaced (``OverwrittenRow``, written by the engine with the update), in one transaction.

Who: an animateur of the job's group (``Capability.VALIDATE``: the right to import from the web
and to moderate there), and every row must be ``editable_by`` them — undoing never writes
outside one's rights, as importing does not.

« Edited since »: a row the job wrote whose state is no longer the one the job left. The job's
transaction stamps every row it writes with the same ``updated_at`` (kept as
``job.written_at``) and with ``import_job``; every later write changes one of them — the
services save with ``auto_now``, a review and every bulk moderation set ``updated_at``, an
import sets both — so a row is edited since when ``updated_at <> written_at``, when its
``import_job`` is another job, or when a later job's record says it rewrote it. Stamps, not
values: a person who changed a title and changed it back still made a decision the undo must
not override unseen. Two things reach a created row without writing it: an attachment and a
link from another resource; deleting the row would take them along (cascade), so they count
as edits too. A row updated by the job and deleted by someone since stays deleted (its record
went with it): the undo does not bring back what a person removed.

All or nothing: one edited row refuses the whole undo, naming the first ``NAMED`` titles and
the count. Undoing the rest would leave a base that never existed (half of one file); the
person settles the named rows — or undoes the later import first — and tries again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from observatoire.models import Resource
from workgroups.errors import InvalidState, NotAllowed
from workgroups.models import User
from workgroups.permissions import can
from workgroups.roles import Capability
from workgroups.visibility import editable_q

from .engine import RESTORED_COLUMNS, announce, lock_source
from .models import ImportJob, OverwrittenRow

#: How many titles a refusal names.
NAMED = 20


@dataclass(frozen=True)
class UndoPlan:
    """What undoing a job does (or did): rows deleted, rows restored."""

    deleted: int
    restored: int


class UndoRefused(InvalidState):
    """The job cannot be undone as it stands; ``edited`` names the rows in the way
    (``{"id", "title"}``, the first ``NAMED``)."""

    def __init__(self, message: str, edited: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.edited = edited or []


class _Rows:
    """The rows a job wrote, as querysets (nothing is read until asked)."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.records = OverwrittenRow.objects.filter(job=self.job)
        self.created = Resource.objects.filter(import_job=self.job).exclude(
            pk__in=self.records.values("resource_id")
        )

    def touched(self) -> list[QuerySet[Resource]]:
        """The rows undoing changes: the job's own, and the ones it updated that may carry
        another job's mark since."""
        return [
            Resource.objects.filter(import_job=self.job),
            Resource.objects.filter(pk__in=self.records.values("resource_id")),
        ]

    def edited(self) -> QuerySet:
        """Rows edited since the job wrote them (module docstring), as ``(pk, title)``."""
        later = OverwrittenRow.objects.filter(previous_job=self.job).exclude(job=self.job)
        own, updated = self.touched()
        parts = [
            own.exclude(updated_at=self.job.written_at),
            updated.exclude(import_job=self.job),
            Resource.objects.filter(pk__in=later.values("resource_id")),
            self.created.filter(attachments__isnull=False),
            self.created.filter(linked_from__isnull=False),
        ]
        first, *rest = (rows.values("pk", "title") for rows in parts)
        return first.union(*rest)

    def locked(self, actor: User) -> QuerySet:
        """Rows the actor may not edit, as ``(pk, title)``."""
        first, second = (
            rows.exclude(editable_q(actor)).values("pk", "title") for rows in self.touched()
        )
        return first.union(second)


def _named(rows: QuerySet) -> tuple[list[dict[str, Any]], str, int]:
    """The first ``NAMED`` rows, their titles in French quotes, and how many there are."""
    count = rows.count()
    first = [
        {"id": row["pk"], "title": row["title"]} for row in rows.order_by("title", "pk")[:NAMED]
    ]
    titles = ", ".join(f"« {row['title']} »" for row in first)
    if count > len(first):
        titles += _(" et %(n)s autre(s)") % {"n": count - len(first)}
    return first, titles, count


def check_undoable(actor: User, job: ImportJob) -> None:
    """Refuse, in French, a job that is not the actor's to undo or not in a state to be."""
    if job.group is None or not can(actor, job.group, Capability.VALIDATE):
        raise NotAllowed(_("Seuls les animateurs du groupe de l'import peuvent l'annuler."))
    if job.status == ImportJob.Status.UNDONE:
        raise UndoRefused(
            _("Cet import a déjà été annulé le %(date)s.")
            % {"date": timezone.localtime(job.undone_at).strftime("%d/%m/%Y à %H:%M")}
        )
    if job.status != ImportJob.Status.SUCCEEDED or job.dry_run:
        raise UndoRefused(_("Seul un import terminé (et non un essai à blanc) s'annule."))
    if job.written_at is None and job.created + job.updated:
        raise UndoRefused(
            _(
                "Cet import est antérieur à l'enregistrement des valeurs remplacées : "
                "il ne peut pas être annulé."
            )
        )


def plan_undo(actor: User, job: ImportJob) -> UndoPlan:
    """What undoing ``job`` would do now; raises what ``undo_import`` would raise."""
    check_undoable(actor, job)
    rows = _Rows(job)
    _refuse_if_blocked(actor, rows)
    return UndoPlan(deleted=rows.created.count(), restored=rows.records.count())


def _refuse_if_blocked(actor: User, rows: _Rows) -> None:
    if rows.job.written_at is None:  # nothing was written: nothing in the way
        return
    _first, titles, count = _named(rows.locked(actor))
    if count:
        raise NotAllowed(
            ngettext(
                "Annulation refusée : %(n)s ressource de l'import ne vous est pas modifiable "
                "(%(titles)s).",
                "Annulation refusée : %(n)s ressources de l'import ne vous sont pas modifiables "
                "(%(titles)s).",
                count,
            )
            % {"n": count, "titles": titles}
        )
    edited, titles, count = _named(rows.edited())
    if count:
        raise UndoRefused(
            ngettext(
                "Annulation refusée : %(n)s ressource a été modifiée depuis l'import "
                "(%(titles)s). Rien n'a été changé ; reprenez-la ou annulez d'abord "
                "l'import suivant.",
                "Annulation refusée : %(n)s ressources ont été modifiées depuis l'import "
                "(%(titles)s). Rien n'a été changé ; reprenez-les ou annulez d'abord "
                "l'import suivant.",
                count,
            )
            % {"n": count, "titles": titles},
            edited,
        )


def undo_import(actor: User, job: ImportJob) -> UndoPlan:
    """Undo ``job`` as ``actor``, all or nothing; returns what was deleted and restored.

    Raises ``NotAllowed`` (not an animateur of the group, rows beyond their rights) or
    ``UndoRefused`` (already undone, not a finished import, rows edited since).
    """
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",)).select_related("group").get(pk=job.pk)
        )
        check_undoable(actor, job)
        rows = _Rows(job)
        own, updated = rows.touched()
        with connection.cursor() as cursor:
            # the importers' lock first, as an import takes it, then the rows themselves:
            # no import of these keys and no edit of these rows lands between check and write
            sources = own.values_list("source", flat=True).union(
                updated.values_list("source", flat=True)
            )
            for source in sorted(sources):
                lock_source(cursor, source)
            for part in (own, updated):
                list(part.select_for_update().values_list("pk", flat=True))
            _refuse_if_blocked(actor, rows)
            plan = UndoPlan(deleted=rows.created.count(), restored=rows.records.count())
            if plan.deleted + plan.restored:
                announce(rows.created, moved=bool(plan.restored))
            _restore(cursor, job)
            # restored rows carry their previous job again: what still names this one, it created
            cursor.execute(
                f"DELETE FROM {Resource._meta.db_table} WHERE import_job_id = %s", [job.pk]
            )
        rows.records.delete()
        job.status = ImportJob.Status.UNDONE
        job.undone_by, job.undone_at = actor, timezone.now()
        job.undone_deleted, job.undone_restored = plan.deleted, plan.restored
        job.save(
            update_fields=["status", "undone_by", "undone_at", "undone_deleted", "undone_restored"]
        )
    return plan


def _restore(cursor: Any, job: ImportJob) -> None:
    """Put back the recorded values, read into the resource table's own row type."""
    table = Resource._meta.db_table
    assignments = ", ".join(f"{c} = p.{c}" for c in RESTORED_COLUMNS)
    cursor.execute(
        f"""UPDATE {table} r SET {assignments}, import_job_id = o.previous_job_id
              FROM {OverwrittenRow._meta.db_table} o,
                   jsonb_populate_record(NULL::{table}, o.previous) p
             WHERE o.job_id = %s AND r.id = o.resource_id""",
        [job.pk],
    )
