"""Writing news items and events: create, update, delete, share, validate. Every write (REST
API, web forms, demo loader) goes through here. The rights are the resources' ones:
contributeur+ of the group creates, the author and the animateurs edit and delete
(``editable_by``), the author shares, an animateur validates the first share beyond the group
(:mod:`workgroups.sharing`, the one workflow of every shared thing)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from workgroups import sharing
from workgroups.errors import NotAllowed
from workgroups.models import Group, User
from workgroups.permissions import can
from workgroups.roles import LEVELS_BEYOND_GROUP, Capability, Level
from workgroups.sharing import apply_level
from workgroups.visibility import groups_where

from .models import Event, NewsItem

Item = TypeVar("Item", NewsItem, Event)

#: Fields a person may write directly, per model; level and validation have their own rules.
EDITABLE_FIELDS: dict[type, tuple[str, ...]] = {
    NewsItem: ("title", "body", "published_at"),
    Event: ("title", "description", "start", "end", "place", "place_name", "registration_url"),
}

#: Bounded lists: feeds and « latest » blocks never hold more.
FEED_SIZE = 50


@transaction.atomic
def create_item(
    actor: User, model: type[Item], group: Group, *, level: str = Level.UTILISATEUR, **fields: Any
) -> Item:
    """Create a news item or an event in ``group``; the actor must be contributeur+ there."""
    if not can(actor, group, Capability.CREATE):
        raise NotAllowed(
            _("Il faut être contributeur du groupe « %(group)s » pour y publier.")
            % {"group": group.name}
        )
    unknown = set(fields) - set(EDITABLE_FIELDS[model])
    if unknown:
        raise ValidationError({name: _("Champ inconnu.") for name in sorted(unknown)})
    item = model(group=group, author=actor, **fields)
    apply_level(actor, item, level)
    item.full_clean()
    item.save()
    sharing.announce_waiting(actor, item)
    return item


def update_item(actor: User, item: Item, **changes: Any) -> Item:
    """Change an item ``actor`` may edit (its author, the group's animateurs)."""
    return sharing.update(
        actor,
        item,
        changes,
        editable=EDITABLE_FIELDS[type(item)],
        refusal=_("Seuls l'auteur et les animateurs du groupe modifient cette publication."),
    )


def delete_item(actor: User, item: NewsItem | Event) -> None:
    sharing.delete(
        actor,
        item,
        refusal=_("Seuls l'auteur et les animateurs du groupe suppriment cette publication."),
    )


def share(actor: User, item: Item, level: str) -> Item:
    """The author moves the item between levels (first share beyond the group: validation)."""
    return sharing.share(
        actor,
        item,
        level,
        refusal=_("Seul l'auteur (contributeur du groupe) peut partager sa publication."),
    )


def validate(actor: User, item: Item) -> Item:
    """An animateur of the group validates an item shared beyond the group."""
    return sharing.validate(
        actor,
        item,
        not_animateur=_("Seul un animateur du groupe peut valider une publication."),
        not_waiting=_(
            "Cette publication n'attend pas de validation (déjà validée ou non partagée "
            "au-delà du groupe)."
        ),
    )


def news_of(group: Group, user) -> QuerySet:
    """The group's news ``user`` may see, newest first."""
    return (
        NewsItem.objects.visible_to(user)
        .filter(group=group)
        .select_related("group", "author", "validated_by")
        .order_by("-published_at", "-id")
    )


def events_of(group: Group, user) -> QuerySet:
    """The group's events ``user`` may see, by start date."""
    return (
        Event.objects.visible_to(user)
        .filter(group=group)
        .select_related("group", "author", "validated_by")
        .order_by("start", "id")
    )


def validation_queue(animateur: User, model: type[Item]) -> QuerySet:
    """Items waiting for this animateur's validation, across their groups."""
    return model.objects.filter(
        group_id__in=groups_where(animateur, Capability.VALIDATE),
        level__in=list(LEVELS_BEYOND_GROUP),
        validated_at__isnull=True,
    )
