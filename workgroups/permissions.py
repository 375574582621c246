"""Policies: what a person may do in a group, derived from their active role."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .models import Group, Membership, User
from .roles import Capability, capabilities_of


def role_of(user: User | AnonymousUser | None, group: Group) -> str | None:
    """The user's role in the group when their membership is active, else None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return (
        Membership.objects.filter(user=user, group=group, state=Membership.State.ACTIVE)
        .values_list("role", flat=True)
        .first()
    )


def can(user: User | AnonymousUser | None, group: Group, capability: str) -> bool:
    """True when the user's role in ``group`` grants ``capability``; an archived group is
    read-only (``VIEW`` only, for everyone)."""
    if group.archived_at is not None and capability != Capability.VIEW:
        return False
    return capability in capabilities_of(role_of(user, group))


def capabilities_anywhere(user: User | AnonymousUser | None) -> frozenset[str]:
    """The capabilities ``user`` holds in at least one group (active memberships): what the
    pages offer; the rules still decide row by row."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    roles = (
        Membership.objects.filter(user=user, state=Membership.State.ACTIVE)
        .values_list("role", flat=True)
        .distinct()
    )
    return frozenset().union(*(capabilities_of(role) for role in roles))
