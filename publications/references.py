"""What a carnet's blocks point to — resources (cards, médiathèque photos), saved maps and its
own uploads — checked against the one visibility rule twice:

* at save (:func:`check_author_sees`): a block may only point to what the person saving sees,
  so nobody publishes a card of a resource they were never shown;
* at render (:func:`resolve`): the reader sees what *they* may see *now*; the rest becomes
  « contenu réservé ». It costs one query for all the resources of the carnet (not one per
  block) through ``Resource.objects.visible_to(reader)``, one for its maps and one for its
  uploads, whatever the number of blocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from layers.models import Map
from observatoire.models import Attachment, Resource

from .models import Carnet, CarnetMedia


def _images(block: dict) -> Iterator[tuple[str, dict]]:
    if block["type"] == "photo":
        for i, image in enumerate(block["images"]):
            yield f"images[{i}]", image
    elif block["type"] == "compare":
        yield "before", block["before"]
        yield "after", block["after"]


@dataclass
class Refs:
    """Ids per kind, each with where it is used (``(block index, field)``) for the errors."""

    resources: dict[int, tuple[int, str]] = field(default_factory=dict)
    attachments: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    maps: dict[str, tuple[int, str]] = field(default_factory=dict)
    media: dict[int, tuple[int, str]] = field(default_factory=dict)


def collect(blocks: Iterable[dict]) -> Refs:
    refs = Refs()
    for index, block in enumerate(blocks):
        kind = block["type"]
        if kind == "resources":
            for i, pk in enumerate(block["resources"]):
                refs.resources.setdefault(pk, (index, f"resources[{i}]"))
        elif kind == "map" and block.get("map"):
            refs.maps.setdefault(block["map"], (index, "map"))
        elif kind == "video" and block.get("media"):
            refs.media.setdefault(block["media"], (index, "media"))
        for name, image in _images(block):
            if "media" in image:
                refs.media.setdefault(image["media"], (index, f"{name}.media"))
            else:
                refs.resources.setdefault(image["resource"], (index, f"{name}.resource"))
                refs.attachments.setdefault(
                    image["attachment"], (image["resource"], index, f"{name}.attachment")
                )
    return refs


def _refuse(index: int, name: str, message: str) -> ValidationError:
    return ValidationError(
        {
            f"blocks[{index}].{name}": _("Bloc n° %(n)d, champ « %(field)s » : %(msg)s")
            % {"n": index + 1, "field": name, "msg": message}
        }
    )


def check_author_sees(actor, carnet: Carnet, blocks: list[dict]) -> None:
    """Refuse a block that points to what ``actor`` may not see, to a map that does not exist
    or to an upload of another carnet (a ``ValidationError`` naming the block and field)."""
    refs = collect(blocks)
    if refs.resources:
        seen = set(
            Resource.objects.visible_to(actor)
            .filter(pk__in=list(refs.resources))
            .values_list("pk", flat=True)
        )
        for pk, (index, name) in refs.resources.items():
            if pk not in seen:
                raise _refuse(
                    index,
                    name,
                    _("la fiche n° %(pk)d n'existe pas ou vous n'avez pas le droit de la voir.")
                    % {"pk": pk},
                )
    if refs.attachments:
        photos = dict(
            Attachment.objects.filter(
                pk__in=list(refs.attachments), category=Attachment.Category.PHOTO
            ).values_list("pk", "resource_id")
        )
        for pk, (resource, index, name) in refs.attachments.items():
            if photos.get(pk) != resource:
                raise _refuse(index, name, _("cette photo n'appartient pas à la fiche indiquée."))
    if refs.maps:
        seen_maps = set(
            Map.objects.visible_to(actor)
            .filter(slug__in=list(refs.maps))
            .values_list("slug", flat=True)
        )
        for slug, (index, name) in refs.maps.items():
            if slug not in seen_maps:
                raise _refuse(
                    index,
                    name,
                    _("la carte « %(slug)s » n'existe pas ou vous n'avez pas le droit de la voir.")
                    % {"slug": slug},
                )
    if refs.media:
        own = {
            pk: kind
            for pk, kind in CarnetMedia.objects.filter(
                pk__in=list(refs.media), carnet_id=carnet.pk
            ).values_list("pk", "kind")
        }
        for pk, (index, name) in refs.media.items():
            wanted = (
                CarnetMedia.Kind.VIDEO
                if blocks[index]["type"] == "video"
                else CarnetMedia.Kind.IMAGE
            )
            if own.get(pk) != wanted:
                raise _refuse(
                    index,
                    name,
                    _("le média n° %(pk)d n'est pas une %(kind)s déposée dans ce carnet.")
                    % {"pk": pk, "kind": CarnetMedia.Kind(wanted).label.lower()},
                )


@dataclass
class Resolved:
    """What the reader may see among what the blocks point to."""

    resources: dict[int, Resource]
    maps: dict[str, Map]
    media: dict[int, CarnetMedia]


def resolve(carnet: Carnet, reader: Any) -> Resolved:
    """One query per kind for the whole carnet (see the module's docstring)."""
    refs = collect(carnet.blocks)
    resources = (
        {
            r.pk: r
            for r in Resource.objects.visible_to(reader)
            .filter(pk__in=list(refs.resources))
            .select_related("group")
            .only("pk", "title", "kind", "base", "summary", "group__name", "group__slug", "level")
        }
        if refs.resources
        else {}
    )
    maps = (
        {
            m.slug: m
            for m in Map.objects.visible_to(reader)
            .filter(slug__in=list(refs.maps))
            .select_related("basemap")
        }
        if refs.maps
        else {}
    )
    media = (
        {m.pk: m for m in CarnetMedia.objects.filter(carnet=carnet, pk__in=list(refs.media))}
        if refs.media
        else {}
    )
    return Resolved(resources, maps, media)
