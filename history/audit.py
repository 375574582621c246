"""A group's audit: who joined, was invited, changed role or left, and which resources and
maps changed their sharing (level, validation), newest first.

The three kinds of events live in three tables; the view ``history_groupaudit`` (migration
0002) lines them up with the same columns, so that one queryset is filtered, ordered and
paginated by the database like any list. The sharing events of a resource or a map are
shown only while the viewer sees that item (the one rule, as a sub-select).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from layers.models import Map
from observatoire.models import Resource
from workgroups.models import Membership, User
from workgroups.permissions import can
from workgroups.roles import Capability, Level, Role

from .models import GroupAudit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from workgroups.models import Group


def may_read(user: User | AnonymousUser, group: Group) -> bool:
    return can(user, group, Capability.MANAGE_MEMBERS)


def entries(user: User | AnonymousUser, group: Group) -> QuerySet:
    seen = (
        Q(kind=GroupAudit.Kind.MEMBERSHIP)
        | Q(
            kind=GroupAudit.Kind.RESOURCE,
            obj_id__in=Resource.objects.visible_to(user).filter(group=group).values("pk"),
        )
        | Q(
            kind=GroupAudit.Kind.MAP,
            obj_id__in=Map.objects.visible_to(user).filter(group=group).values("pk"),
        )
    )
    return GroupAudit.objects.filter(seen, group_id=group.pk).order_by("-at", "-uid")


@dataclass
class Entry:
    row: GroupAudit
    by: str
    text: str


def _membership_text(row: GroupAudit, person: str) -> str:
    role = Role(row.role).label if row.role in Role.values else row.role
    if row.label == "delete":
        return _("%(p)s ne fait plus partie du groupe.") % {"p": person}
    if row.state == Membership.State.INVITED:
        return _("%(p)s est invité(e), rôle %(r)s.") % {"p": person, "r": role}
    if row.state == Membership.State.REQUESTED:
        return _("%(p)s demande à rejoindre le groupe.") % {"p": person}
    return _("%(p)s est membre actif, rôle %(r)s.") % {"p": person, "r": role}


def _sharing_text(row: GroupAudit) -> str:
    level = Level(row.level).label if row.level in Level.values else row.level
    kind = _("Ressource") if row.kind == GroupAudit.Kind.RESOURCE else _("Carte")
    state = _("validée") if row.validated_at else _("non validée")
    return _("%(k)s « %(t)s » : partage %(l)s, %(s)s.") % {
        "k": kind,
        "t": row.title,
        "l": level,
        "s": state,
    }


def described(rows: list[GroupAudit]) -> list[Entry]:
    ids: set[int] = {r.person_id for r in rows if r.person_id}
    ids |= {r.context["user"] for r in rows if isinstance((r.context or {}).get("user"), int)}
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))
    out = []
    for row in rows:
        by = names.get((row.context or {}).get("user"), "")
        if row.kind == GroupAudit.Kind.MEMBERSHIP:
            text = _membership_text(row, names.get(row.person_id, _("un compte supprimé")))
        else:
            text = _sharing_text(row)
        out.append(Entry(row, by, text))
    return out


def as_dict(entry: Entry) -> dict[str, Any]:
    return {"at": entry.row.at, "by": entry.by, "kind": entry.row.kind, "text": entry.text}
