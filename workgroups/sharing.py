"""The sharing workflow of every shared object (:class:`workgroups.models.Shared`: resources,
news, events and what comes next), written once so that a new shared thing cannot drift from
it. The author moves an object between the four levels; its first share beyond the group
waits for an animateur of the group, unless the author is one (sharing validates then);
validating is the animateur's; editing and deleting follow ``editable_by``. The callers word
the refusals with their own noun."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import InvalidState, NotAllowed
from .events import Kind, Occurrence, announce
from .permissions import can
from .roles import LEVELS_BEYOND_GROUP, Capability, Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import Shared, User

Item = TypeVar("Item", bound="Shared")


def check_level(level: str) -> None:
    if level not in Level.values:
        raise ValidationError(
            {
                "level": _("Niveau de partage inconnu : « %(level)s » (possibles : %(choices)s).")
                % {"level": level, "choices": ", ".join(Level.values)}
            }
        )


def may_validate(user: User | AnonymousUser, item: Shared) -> bool:
    """An animateur of the group validates an object shared beyond it for the first time."""
    return (
        item.level in LEVELS_BEYOND_GROUP
        and not item.is_validated
        and can(user, item.group, Capability.VALIDATE)
    )


def announce_waiting(actor: User, item: Shared) -> None:
    """Tell the group's animateurs that ``item`` (just saved) waits for their validation."""
    if item.level in LEVELS_BEYOND_GROUP and not item.is_validated:
        announce(Occurrence(Kind.WAITING, actor, item.group, item))


def apply_level(actor: User, item: Shared, level: str) -> None:
    """Set the level (not saved); a first share beyond the group by an animateur validates."""
    check_level(level)
    item.level = level
    if (
        level in LEVELS_BEYOND_GROUP
        and not item.is_validated
        and can(actor, item.group, Capability.VALIDATE)
    ):
        item.validated_by = actor
        item.validated_at = timezone.now()


def may_edit(user: User | AnonymousUser | None, item: Shared) -> bool:
    """Edit and delete: ``editable_by`` of the one rule (the author, contributeur+, and the
    group's animateurs; never someone else's private item)."""
    return type(item).objects.editable_by(user).filter(pk=item.pk).exists()


@transaction.atomic
def update(
    actor: User,
    item: Item,
    changes: dict[str, Any],
    *,
    editable: Iterable[str],
    refusal: str | None = None,
) -> Item:
    """Change the ``editable`` fields of ``item`` (and its level: the author's alone), checked
    by the model's own validation; nothing is written when anything is refused."""
    if not may_edit(actor, item):
        raise NotAllowed(refusal)
    changes = dict(changes)
    level = changes.pop("level", None)
    unknown = set(changes) - set(editable)
    if unknown:
        raise ValidationError({name: _("Champ non modifiable.") for name in sorted(unknown)})
    for name, value in changes.items():
        setattr(item, name, value)
    moved = level is not None and level != item.level
    if moved:
        if item.author_id != actor.pk:
            raise ValidationError(
                {"level": _("Seul l'auteur peut changer le niveau de partage de ce qu'il a créé.")}
            )
        apply_level(actor, item, level)
    item.full_clean()
    item.save()
    if moved:
        announce_waiting(actor, item)
    return item


@transaction.atomic
def delete(actor: User, item: Shared, *, refusal: str | None = None) -> None:
    if not may_edit(actor, item):
        raise NotAllowed(refusal)
    item.delete()


@transaction.atomic
def share(actor: User, item: Item, level: str, *, refusal: str) -> Item:
    """The author (who may still edit it) moves ``item`` to ``level``; else ``refusal``."""
    if item.author_id != actor.pk or not may_edit(actor, item):
        raise NotAllowed(refusal)
    apply_level(actor, item, level)
    item.save(update_fields=["level", "validated_by", "validated_at", "updated_at"])
    announce_waiting(actor, item)
    return item


@transaction.atomic
def validate(actor: User, item: Item, *, not_animateur: str, not_waiting: str) -> Item:
    """An animateur of the group validates ``item``, which must be waiting for it."""
    if not can(actor, item.group, Capability.VALIDATE):
        raise NotAllowed(not_animateur)
    if not may_validate(actor, item):
        raise InvalidState(not_waiting)
    item.validated_by = actor
    item.validated_at = timezone.now()
    item.save(update_fields=["validated_by", "validated_at", "updated_at"])
    announce(Occurrence(Kind.VALIDATED, actor, item.group, item, person=item.author))
    return item
