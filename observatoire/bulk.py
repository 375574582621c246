"""Bulk moderation: validate, mark reviewed, change the level or the group, or delete many
resources in one action, with the rights and rules of the per-resource services.

Everything is decided in SQL on sets: the rows acted on are the selection ∩ the rows the
actor's rights reach (``editable_by``, the validation queue's groups, the review groups) ∩
the rows the action changes. Rows outside the rights are refused and named (first titles and
count); rows the action would not change (already validated…) are counted as « sans objet ».
Each batch of ``BATCH`` rows is one transaction whose UPDATE re-applies the rule, so a right
lost meanwhile is honoured. More than ``BACKGROUND_ABOVE`` rows go to a procrastinate job
whose progress the ``BulkAction`` row (the audit line) holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.db.models import Extent
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from workgroups.errors import NotAllowed
from workgroups.models import Group, User
from workgroups.roles import LEVELS_BEYOND_GROUP, Capability, Level
from workgroups.sharing import check_level
from workgroups.visibility import editable_q, groups_where

from .listing import ResourceFilterForm, section_rows
from .models import BulkAction, Resource, Review
from .signals import resources_changed

#: Rows per transaction.
BATCH = 1000
#: Above this many rows to act on, the action runs in the background with a progress bar.
BACKGROUND_ABOVE = 1000
#: How many refused titles the answer names.
NAMED_REFUSALS = 5

Action = BulkAction.Action


@dataclass(frozen=True)
class Selection:
    """What the person picked: ticked ``ids``, or every row of ``section`` matching
    ``filters`` (the list's GET parameters; « tout cet import » is the filter ``import``)."""

    section: str
    filters: dict[str, str] = field(default_factory=dict)
    ids: tuple[int, ...] | None = None

    def rows(self, user: User) -> QuerySet[Resource]:
        """The selected rows the person can see (ticked rows they cannot see are unknown)."""
        if self.ids is not None:
            return Resource.objects.visible_to(user).filter(pk__in=self.ids)
        return ResourceFilterForm(self.filters, user=user).apply(section_rows(user, self.section))

    def describe(self, user: User) -> str:
        if self.ids is not None:
            return _("%(n)s ressources cochées") % {"n": len(self.ids)}
        return _("tout le filtre de « %(section)s » (%(filters)s)") % {
            "section": self.section,
            "filters": ResourceFilterForm(self.filters, user=user).describe(),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "filters": self.filters,
            "ids": list(self.ids) if self.ids is not None else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Selection:
        ids = data.get("ids")
        return cls(
            data["section"], data.get("filters") or {}, tuple(ids) if ids is not None else None
        )

    @classmethod
    def from_post(cls, section: str, scope: str, ids: list[str], filters: str) -> Selection:
        if scope == "filtre":
            query = QueryDict(filters)
            return cls(section, {k: v for k, v in query.items() if k != "page"})
        return cls(section, ids=tuple(sorted({int(i) for i in ids if i.isdigit()})))


def rights_q(user: User, action: str) -> Q:
    """Rows ``user`` may act on, the rule of the matching service function."""
    if action == Action.VALIDATE:  # services.validate: an animateur of the group
        return Q(group_id__in=groups_where(user, Capability.VALIDATE))
    if action == Action.REVIEW:  # services.review / can_review: expert+, never private
        return Q(group_id__in=groups_where(user, Capability.REVIEW)) & ~Q(level=Level.UTILISATEUR)
    if action == Action.LEVEL:  # services.share: the author, while they may edit it
        return editable_q(user) & Q(author=user)
    return editable_q(user)  # delete_resource, and a move is an edit


def change_q(action: str, params: dict[str, Any]) -> Q:
    """Rows the action would change (the others are « sans objet »)."""
    if action == Action.VALIDATE:  # services.validate refuses what does not wait
        return Q(level__in=list(LEVELS_BEYOND_GROUP), validated_at__isnull=True)
    if action == Action.LEVEL:
        return ~Q(level=params["level"])
    if action == Action.GROUP:
        return ~Q(group_id=params["group"])
    return Q()


def check_params(user: User, action: str, params: dict[str, Any]) -> dict[str, Any]:
    """The action's parameters, checked (French errors); raises before anything is read."""
    if action not in Action.values:
        raise ValidationError({"action": _("Action inconnue : « %(a)s ».") % {"a": action}})
    if action == Action.LEVEL:
        check_level(params.get("level") or "")
        return {"level": params["level"]}
    if action == Action.GROUP:
        group = Group.objects.filter(pk=params.get("group") or None).first()
        if group is None:
            raise ValidationError({"group": _("Choisissez le groupe de destination.")})
        if not groups_where(user, Capability.EDIT_ANY).filter(group_id=group.pk).exists():
            raise NotAllowed(
                _(
                    "Vous n'êtes pas animateur du groupe « %(group)s » : "
                    "impossible d'y déplacer des ressources."
                )
                % {"group": group.name}
            )
        return {"group": group.pk, "group_name": group.name}
    if action == Action.REVIEW:
        comment = (params.get("comment") or "").strip()
        if not comment:
            raise ValidationError({"comment": _("Le commentaire de relecture est vide.")})
        return {"comment": comment}
    return {}


def start(user: User, action: str, selection: Selection, params: dict[str, Any]) -> BulkAction:
    """Record the bulk action, name what is refused, and do the rest: here when it is at most
    ``BACKGROUND_ABOVE`` rows, else in a queued job. Raises on bad parameters."""
    params = check_params(user, action, params)
    selected = selection.rows(user)
    allowed = Resource.objects.filter(rights_q(user, action)).values("pk")
    refused = selected.exclude(pk__in=allowed)
    counts = selected.order_by().aggregate(
        selected=Count("pk"), refused=Count("pk", filter=~Q(pk__in=allowed))
    )
    total = selected.filter(pk__in=allowed).filter(change_q(action, params)).order_by().count()
    unknown = len(selection.ids) - counts["selected"] if selection.ids is not None else 0
    bulk = BulkAction.objects.create(
        actor=user,
        action=action,
        params=params,
        selection=selection.as_json(),
        description=selection.describe(user)[:500],
        total=total,
        refused=counts["refused"] + unknown,
        refused_titles=list(
            refused.order_by("title", "pk").values_list("title", flat=True)[:NAMED_REFUSALS]
        ),
        skipped=counts["selected"] - counts["refused"] - total,
    )
    if total > BACKGROUND_ABOVE:
        from .tasks import run_bulk_action

        transaction.on_commit(lambda: run_bulk_action.defer(bulk_id=bulk.pk))
    else:
        execute(bulk)
    return bulk


def execute(bulk: BulkAction) -> BulkAction:
    """Do a recorded bulk action, batch by batch (one transaction each), writing progress."""
    user = bulk.actor
    bulk.status = BulkAction.Status.RUNNING
    bulk.save(update_fields=["status"])
    rule = rights_q(user, bulk.action) & change_q(bulk.action, bulk.params)
    pks = list(
        Selection.from_json(bulk.selection)
        .rows(user)
        .filter(rule)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    try:
        for start_at in range(0, len(pks), BATCH):
            with transaction.atomic():
                rows = Resource.objects.filter(pk__in=pks[start_at : start_at + BATCH]).filter(rule)
                done = _apply(user, bulk, rows)
                BulkAction.objects.filter(pk=bulk.pk).update(done=F("done") + done)
    except Exception as exc:  # recorded on the audit line; the batches before it stay done
        bulk.refresh_from_db()
        bulk.status = BulkAction.Status.FAILED
        bulk.error = _("Arrêt après %(done)s ressources traitées : %(error)s") % {
            "done": bulk.done,
            "error": exc,
        }
    else:
        bulk.refresh_from_db()
        bulk.status = BulkAction.Status.SUCCEEDED
    bulk.finished_at = timezone.now()
    bulk.save(update_fields=["status", "error", "finished_at"])
    return bulk


def _invalidate_tiles(rows: QuerySet[Resource]) -> None:
    """Updates send no model signal: announce the batch's extent to the readers' caches
    (``resources_changed``; the tile cache drops it now and again after the commit)."""
    extent = rows.aggregate(e=Extent("geom"))["e"]
    if extent is not None:
        resources_changed.send(sender=BulkAction, bounds=tuple(extent))


def _apply(user: User, bulk: BulkAction, rows: QuerySet[Resource]) -> int:
    """One batch of the action; returns how many rows it changed."""
    now = timezone.now()
    action, params = bulk.action, bulk.params
    if action == Action.DELETE:
        _invalidate_tiles(rows)
        deleted = rows.delete()[1]
        return deleted.get(Resource._meta.label, 0)
    if action == Action.REVIEW:
        pks = list(rows.select_for_update().values_list("pk", flat=True))
        Resource.objects.filter(pk__in=pks).update(checked_by=user, checked_at=now, updated_at=now)
        Review.objects.bulk_create(
            Review(resource_id=pk, author=user, comment=params["comment"]) for pk in pks
        )
        return len(pks)
    _invalidate_tiles(rows)
    if action == Action.VALIDATE:
        return rows.update(validated_by=user, validated_at=now, updated_at=now)
    if action == Action.GROUP:
        return rows.update(group_id=params["group"], updated_at=now)
    # a level: like workgroups.sharing.apply_level, a first share beyond the group by an animateur
    # of the group validates it
    changes: dict[str, Any] = {"level": params["level"], "updated_at": now}
    if params["level"] in LEVELS_BEYOND_GROUP:
        stamps = Q(validated_at__isnull=True, group_id__in=groups_where(user, Capability.VALIDATE))
        changes["validated_by"] = Case(
            When(stamps, then=Value(user.pk)),
            default=F("validated_by"),
            output_field=IntegerField(),
        )
        changes["validated_at"] = Case(
            When(stamps, then=Value(now)), default=F("validated_at"), output_field=DateTimeField()
        )
    return rows.update(**changes)


def refusal_message(bulk: BulkAction) -> str:
    """« 3 ressources refusées (vous ne pouvez pas les modifier) : « A », « B »… »."""
    if not bulk.refused:
        return ""
    names = ", ".join(f"« {t} »" for t in bulk.refused_titles)
    more = bulk.refused - len(bulk.refused_titles)
    message = _("%(n)s ressource(s) refusée(s), hors de vos droits pour cette action") % {
        "n": bulk.refused
    }
    if names:
        message += " : " + names
        if more > 0:
            message += _(" et %(m)s autre(s)") % {"m": more}
    return message + "."
