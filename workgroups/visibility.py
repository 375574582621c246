"""The one visibility rule: who sees which shared object (resources, maps…).

``visible_q`` and ``editable_q`` are the only code that decides it. Every shared model inherits
:class:`workgroups.models.Shared`, whose :class:`SharedQuerySet` calls them
(``Resource.objects.visible_to(user)``, ``Map.objects.visible_to(user)``…), and every
channel — REST, OGC API, tiles, exports, search, counts — starts from those querysets. The
rule compiles to one SQL query: the user's groups come in as a sub-select, never as a Python
list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from .roles import LEVELS_BEYOND_GROUP, Capability, Level, roles_with

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


def _is_person(user: User | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def groups_where(user: User, capability: str = Capability.VIEW) -> QuerySet:
    """Sub-select of the ids of the groups where ``user``'s active role grants ``capability``
    (the roles come from :data:`workgroups.roles.ROLE_ADDS`; querysets never name a role);
    beyond ``VIEW``, archived groups are left out."""
    from .models import Membership

    memberships = Membership.objects.filter(
        user=user, state=Membership.State.ACTIVE, role__in=roles_with(capability)
    )
    if capability != Capability.VIEW:  # an archived group is read-only
        memberships = memberships.filter(group__archived_at__isnull=True)
    return memberships.values("group_id")


def visible_q(user: User | AnonymousUser | None, prefix: str = "") -> Q:
    """Who sees what.

    Anonymous: public and validated. Any account: also communauté and validated. Active member
    of the group: also the group's ``groupe`` objects and its not-yet-validated communauté or
    public ones. Author: own, always. ``prefix`` lets a related model reuse the rule
    (``prefix="resource__"``).
    """
    p = prefix
    validated = Q(**{f"{p}validated_at__isnull": False})
    if not _is_person(user):
        return Q(**{f"{p}level": Level.PUBLIC}) & validated
    return _within_key_group(
        user,
        p,
        (Q(**{f"{p}level__in": list(LEVELS_BEYOND_GROUP)}) & validated)
        | Q(**{f"{p}author": user})
        | (
            Q(**{f"{p}group_id__in": groups_where(user, Capability.VIEW)})
            & ~Q(**{f"{p}level": Level.UTILISATEUR})
        ),
    )


def key_group(user: User | AnonymousUser | None) -> int | None:
    """The group a feed key restricts ``user`` to (``workgroups.auth`` sets it on the
    account a restricted key names), or None."""
    return getattr(user, "key_group_id", None)


def _within_key_group(user: User, p: str, q: Q) -> Q:
    """A person named by a key restricted to one group sees (and edits) only within it."""
    group = key_group(user)
    return q & Q(**{f"{p}group_id": group}) if group is not None else q


def editable_q(user: User | AnonymousUser | None, prefix: str = "") -> Q:
    """Who may edit or delete: the author while contributeur+ of the group, and the group's
    animateurs for everything but private objects (which only their author ever sees)."""
    p = prefix
    if not _is_person(user):
        return Q(pk__in=[])
    return _within_key_group(
        user,
        p,
        (Q(**{f"{p}author": user, f"{p}group_id__in": groups_where(user, Capability.CREATE)}))
        | (
            Q(**{f"{p}group_id__in": groups_where(user, Capability.EDIT_ANY)})
            & ~Q(**{f"{p}level": Level.UTILISATEUR})
        ),
    )


def co_editor_q(user: User | AnonymousUser | None, field: str, prefix: str = "") -> Q:
    """The co-authors a shared model names in its many-to-many ``field`` (a carnet's
    ``editors``, chosen by the animateurs) edit it too, on the same terms as its author: while
    contributeur+ of the group, and never someone else's private object (which they cannot
    see). Part of ``editable_by`` for the models that declare ``co_editors = "<field>"``."""
    p = prefix
    if not _is_person(user):
        return Q(pk__in=[])
    return Q(
        **{f"{p}{field}": user, f"{p}group_id__in": groups_where(user, Capability.CREATE)}
    ) & ~Q(**{f"{p}level": Level.UTILISATEUR})


class SharedQuerySet(QuerySet):
    """The queryset of :class:`workgroups.models.Shared` (and of the summaries that keep its
    columns, ``observatoire.summaries.ClusterCell``): group, author, level, validated_at."""

    def visible_to(self, user: User | AnonymousUser | None) -> SharedQuerySet:
        return self.filter(visible_q(user))

    def editable_by(self, user: User | AnonymousUser | None) -> SharedQuerySet:
        q = editable_q(user)
        field = getattr(self.model, "co_editors", None)
        if field:
            # a sub-select keeps one row per object (the join on the co-authors could repeat it)
            co = self.model._base_manager.filter(co_editor_q(user, field)).values("pk")
            q |= Q(pk__in=co)
        return self.filter(q)
