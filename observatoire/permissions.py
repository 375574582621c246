"""Object policies for resources, built on the one visibility rule and the role capabilities."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from workgroups.models import User
from workgroups.permissions import can
from workgroups.roles import Capability, Level
from workgroups.sharing import may_edit

from .models import Resource

Actor = User | AnonymousUser | None


def can_edit(user: Actor, resource: Resource) -> bool:
    """Edit and delete: the author (contributeur+) and the group's animateurs (not private)."""
    return may_edit(user, resource)


def can_review(user: Actor, resource: Resource) -> bool:
    """Experts and animateurs proofread the group's resources (never private ones)."""
    return resource.level != Level.UTILISATEUR and can(user, resource.group, Capability.REVIEW)
