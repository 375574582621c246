"""Reading and restoring the versions of a resource, and a group's audit.

Who reads: the versions of a resource are shown to those who may edit it *now*
(``editable_by``, the one rule), after checking that they see it (``visible_to``): a resource
one no longer sees has no history for them (404), one they see but may not edit has none
either (403). Restoring is the group's animateurs' (``EDIT_ANY``) and is itself a version,
written by the same triggers, whose context says which version it restored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pghistory
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatoire.models import Resource
from workgroups.errors import NotAllowed
from workgroups.models import Group, User
from workgroups.permissions import can
from workgroups.roles import Capability
from workgroups.sharing import may_edit

from .models import SHARING, ResourceEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

#: What a restore puts back: the content, never who shares it nor how (the author's).
RESTORED = (
    "title",
    "kind",
    "base",
    "summary",
    "description",
    "themes",
    "date_start",
    "date_end",
    "geom",
    "attributes",
)
#: The fields a version shows and compares, in reading order: the content, then its sharing.
SHOWN = (*RESTORED, "level", "validated_at", "validated_by", "group")
#: The labels of the versions of a resource (the sharing ones are the group audit's copies).
VERSION_LABELS = ("insert", "update", "delete")
ACTIONS = {
    "insert": gettext_lazy("Création"),
    "update": gettext_lazy("Modification"),
    "delete": gettext_lazy("Suppression"),
    "restore": gettext_lazy("Restauration"),
    SHARING: gettext_lazy("Partage"),
}


@dataclass
class Change:
    field: str
    label: str
    before: Any
    after: Any

    @property
    def is_geometry(self) -> bool:
        return self.field == "geom"


@dataclass
class Version:
    event: Any
    changes: list[Change]
    by: str
    import_job: int | None

    @property
    def id(self) -> int:
        return self.event.pgh_id

    @property
    def at(self) -> datetime:
        return self.event.pgh_created_at

    @property
    def action(self) -> str:
        context = self.event.pgh_context or {}
        if context.get("restored_from"):
            return "restore"
        return self.event.pgh_label

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))

    @property
    def restored_from(self) -> int | None:
        return (self.event.pgh_context or {}).get("restored_from")


def resource_for_history(user: User | AnonymousUser, pk: int) -> Resource:
    """The resource whose history ``user`` may read: 404 unseen, 403 seen but not editable."""
    resource = Resource.objects.visible_to(user).select_related("group").filter(pk=pk).first()
    if resource is None:
        raise Http404(_("Ressource introuvable."))
    if not may_edit(user, resource):
        raise NotAllowed(
            _("L'historique d'une ressource est réservé à ceux qui peuvent la modifier.")
        )
    return resource


def versions_of(resource: Resource) -> QuerySet:
    """The versions of ``resource``, newest first (one index scan: ``hist_resource_obj``)."""
    return ResourceEvent.objects.filter(
        pgh_obj_id=resource.pk, pgh_label__in=VERSION_LABELS
    ).order_by("-pgh_id")


def _value(event: Any, field: str, names: dict[Any, str]) -> Any:
    """The readable value: a person's or a group's name, a choice's label."""
    if event is None:
        return None
    if field == "validated_by":
        return names.get(event.validated_by_id, "")
    if field == "group":
        return names.get(("group", event.group_id), "")
    value = getattr(event, field)
    choices = dict(Resource._meta.get_field(field).flatchoices)
    return str(choices.get(value, value)) if choices and value else value


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, GEOSGeometry) and isinstance(b, GEOSGeometry):
        return a.equals_exact(b) and a.srid == b.srid
    return a == b


def _label(field: str) -> str:
    if field == "group":
        return _("groupe")
    return str(Resource._meta.get_field(field).verbose_name)


def _changes(event: Any, before: Any, names: dict[Any, str]) -> list[Change]:
    out = []
    for field in SHOWN:
        old = _value(before, field, names) if event.pgh_label != "insert" else None
        new = _value(event, field, names) if event.pgh_label != "delete" else None
        if event.pgh_label == "delete":
            continue
        if event.pgh_label == "insert" and new in (None, "", [], {}):
            continue
        if event.pgh_label == "update" and _equal(old, new):
            continue
        out.append(Change(field, _label(field), old, new))
    return out


def _people(events: list[Any]) -> dict[Any, str]:
    ids = set()
    for e in events:
        if e is None:
            continue
        if e.validated_by_id:
            ids.add(e.validated_by_id)
        user = (e.pgh_context or {}).get("user")
        if isinstance(user, int):
            ids.add(user)
    names: dict[Any, str] = dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))
    groups = {e.group_id for e in events if e is not None}
    for pk, name in Group.objects.filter(pk__in=groups).values_list("pk", "name"):
        names[("group", pk)] = name
    return names


def describe(events: list[Any], older: Any) -> list[Version]:
    """``events`` (newest first, contiguous) as versions with their changes; ``older`` is the
    version just before the last of them (None: the last one is the first)."""
    chain = [*events, older]
    names = _people(chain)
    out = []
    for event, before in zip(events, chain[1:], strict=True):
        context = event.pgh_context or {}
        out.append(
            Version(
                event=event,
                changes=_changes(event, before, names),
                by=names.get(context.get("user"), "") or "",
                import_job=context.get("import_job"),
            )
        )
    return out


def page_of_versions(resource: Resource, events: list[Any]) -> list[Version]:
    """The versions of one page, each compared with the one before it (one more query)."""
    if not events:
        return []
    older = versions_of(resource).filter(pgh_id__lt=events[-1].pgh_id).first()
    return describe(events, older)


def may_restore(user: User | AnonymousUser, resource: Resource) -> bool:
    return can(user, resource.group, Capability.EDIT_ANY) and may_edit(user, resource)


@transaction.atomic
def restore(actor: User, resource: Resource, version_id: int) -> Resource:
    """Put the content of version ``version_id`` back; the group's animateurs only."""
    if not may_restore(actor, resource):
        raise NotAllowed(_("Seul un animateur du groupe peut restaurer une version."))
    event = versions_of(resource).filter(pgh_id=version_id).exclude(pgh_label="delete").first()
    if event is None:
        raise Http404(_("Version introuvable pour cette ressource."))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    for field in RESTORED:
        setattr(resource, field, getattr(event, field))
    resource.full_clean()
    with pghistory.context(user=actor.pk, restored_from=event.pgh_id):
        resource.save()
    return resource
