"""Who is told of what (:class:`workgroups.events.Occurrence`), one rule per kind.

Nobody is told of their own action, except of the end of their own import (it ran in the
background). Nobody is told of an item they cannot see: a notification never shows an item
to someone the one visibility rule would not show it to.
"""

from __future__ import annotations

from django.db.models import QuerySet

from workgroups.events import Kind, Occurrence
from workgroups.models import Membership, Shared, User
from workgroups.roles import Capability, roles_with


def _holders(occurrence: Occurrence, capability: str) -> QuerySet:
    """The active members of the occurrence's group whose role has ``capability``."""
    return User.objects.filter(
        is_active=True,
        memberships__group=occurrence.group,
        memberships__state=Membership.State.ACTIVE,
        memberships__role__in=roles_with(capability),
    )


def _the_person(occurrence: Occurrence) -> list[User]:
    person = occurrence.person
    return [person] if person is not None and person.is_active else []


RULES = {
    Kind.INVITED: _the_person,
    Kind.JOIN_REQUESTED: lambda o: list(_holders(o, Capability.MANAGE_MEMBERS)),
    Kind.JOIN_APPROVED: _the_person,
    Kind.JOIN_REFUSED: _the_person,
    Kind.ROLE_CHANGED: _the_person,
    Kind.WAITING: lambda o: list(_holders(o, Capability.VALIDATE)),
    Kind.VALIDATED: _the_person,
    Kind.REVIEWED: _the_person,
    Kind.PINNED: _the_person,
    Kind.IMPORT_FINISHED: _the_person,
    Kind.COMMENTED: _the_person,
    Kind.MENTIONED: _the_person,
    # the animateurs decide; the experts read the queue but are not asked
    Kind.CONTRIBUTION: lambda o: list(_holders(o, Capability.VALIDATE)),
}


def recipients(occurrence: Occurrence) -> list[User]:
    people = {user.pk: user for user in RULES[occurrence.kind](occurrence)}
    if occurrence.kind != Kind.IMPORT_FINISHED and occurrence.actor is not None:
        people.pop(occurrence.actor.pk, None)
    item = occurrence.item
    if isinstance(item, Shared) and people:
        seeing = type(item).objects.filter(pk=item.pk)
        people = {pk: u for pk, u in people.items() if seeing.visible_to(u).exists()}
    return list(people.values())
