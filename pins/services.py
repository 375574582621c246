"""« Accrocher »: who pins what into which group, and what a viewer sees of the pins.

The rules:

* a contributeur+ of group G (:data:`~workgroups.roles.Capability.CREATE` in G) pins into G
  a resource or a map of any group, provided they see it (``visible_to``); an item they do
  not see is « not found », exactly as on its own page, and nothing is written;
* pinning twice is idempotent (one row per group and item);
* the pinner, or an animateur of G (:data:`~workgroups.roles.Capability.EDIT_ANY`), unpins;
* a pin never widens visibility: every read goes through ``visible_to(viewer)`` at request
  time, so an item that goes back to the ``groupe`` level leaves the other portals for
  outsiders at the next request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from layers.models import Map
from observatoire.models import Resource
from workgroups.errors import NotAllowed
from workgroups.events import Kind, Occurrence, announce
from workgroups.models import Group
from workgroups.permissions import can
from workgroups.roles import Capability
from workgroups.visibility import groups_where

from .models import Pin

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from workgroups.models import User

#: The most pins a list shows (a portal's « accrochés » block, the API's page).
PIN_LIMIT = 50
#: The most groups an item's page names as having pinned it.
PINNED_IN_LIMIT = 20


def visible_pins(viewer: User | AnonymousUser | None) -> QuerySet:
    """Every pin whose item ``viewer`` may see: the one rule, applied to the item."""
    return Pin.objects.filter(
        Q(resource__in=Resource.objects.visible_to(viewer).values("pk"))
        | Q(map__in=Map.objects.visible_to(viewer).values("pk"))
    )


def pinned_for(
    group: Group, viewer: User | AnonymousUser | None, limit: int = PIN_LIMIT
) -> list[Pin]:
    """The pins of ``group`` whose item ``viewer`` may see, newest first, at most ``limit``
    (what a portal shows; ``pin.item`` is the resource or the map, already fetched)."""
    return list(
        visible_pins(viewer)
        .filter(group=group)
        .select_related("resource", "resource__group", "map", "map__group", "pinned_by")
        .order_by("-pinned_at", "-id")[: max(0, min(limit, PIN_LIMIT))]
    )


def pinnable_groups(user: User | AnonymousUser | None) -> QuerySet:
    """The groups where ``user`` may pin (contributeur+), by name."""
    if user is None or not user.is_authenticated:
        return Group.objects.none()
    return Group.objects.filter(pk__in=groups_where(user, Capability.CREATE)).order_by("name")


def pinned_in(item: Resource | Map, limit: int = PINNED_IN_LIMIT) -> list[Group]:
    """The groups that pinned ``item`` (group names are public, as in the directory); the
    caller has already checked that the viewer sees the item."""
    field = "resource" if isinstance(item, Resource) else "map"
    return list(
        Group.objects.filter(**{f"pins__{field}": item}).order_by("name").distinct()[:limit]
    )


def _visible_item(
    user: User, resource_id: int | None, map_slug: str | None
) -> tuple[str, Resource | Map]:
    if (resource_id is None) == (map_slug is None):
        raise ValueError("exactly one of resource_id or map_slug")
    if resource_id is not None:
        item = Resource.objects.visible_to(user).filter(pk=resource_id).first()
        field = "resource"
    else:
        item = Map.objects.visible_to(user).filter(slug=map_slug).first()
        field = "map"
    if item is None:
        # the same answer as the item's own page: no hint that it exists
        raise Http404(_("Élément introuvable."))
    return field, item


def pin(
    user: User,
    group: Group,
    *,
    resource_id: int | None = None,
    map_slug: str | None = None,
) -> tuple[Pin, bool]:
    """Pin a resource (by id) or a map (by slug) into ``group``: ``(pin, created)``.

    Raises :class:`NotAllowed` when ``user`` is not contributeur+ of ``group`` and
    :class:`~django.http.Http404` when ``user`` does not see the item; nothing is written
    then. A second pin of the same item returns the first one (``created`` is False).
    """
    if not can(user, group, Capability.CREATE):
        raise NotAllowed(_("Seuls les contributeurs du groupe y accrochent des éléments."))
    field, item = _visible_item(user, resource_id, map_slug)
    existing = Pin.objects.filter(group=group, **{field: item}).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            made = Pin.objects.create(group=group, pinned_by=user, **{field: item})
            announce(Occurrence(Kind.PINNED, user, group, item, person=item.author))
            return made, True
    except IntegrityError:  # pinned by someone else in the meantime
        return Pin.objects.get(group=group, **{field: item}), False


def unpinnable(user: User | AnonymousUser | None, group: Group, pins: list[Pin]) -> set[int]:
    """Ids of the pins of ``group`` that ``user`` may remove: theirs, or all of them for an
    animateur of the group (one rights check for the whole list)."""
    if user is None or not user.is_authenticated:
        return set()
    if can(user, group, Capability.EDIT_ANY):
        return {pin.pk for pin in pins}
    return {pin.pk for pin in pins if pin.pinned_by_id == user.pk}


def may_unpin(user: User | AnonymousUser | None, pin: Pin) -> bool:
    """The pinner, or an animateur of the pin's group."""
    return pin.pk in unpinnable(user, pin.group, [pin])


def unpin(user: User, pin: Pin) -> None:
    if not may_unpin(user, pin):
        raise NotAllowed(_("Seuls l'auteur de l'accroche et les animateurs du groupe la retirent."))
    pin.delete()
