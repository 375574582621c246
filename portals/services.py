"""The portal's domain: reading a group's portal, checking and resizing its banner, saving
an animateur's edit. No view code here."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from observatoire.attachments import file_type_of
from observatoire.models import Attachment, Resource
from workgroups.errors import NotAllowed
from workgroups.models import Group, User
from workgroups.permissions import can
from workgroups.roles import Capability

from .models import Featured, Portal, default_sections

#: Banners are stored at most this wide (and in JPEG), whatever was uploaded.
BANNER_WIDTH = 1600
#: Resources of the home page's « à la une ».
FEATURED_MAX = 12
#: Resources an animateur may put forward (the visible ones among them are shown).
FEATURED_STORED = 100
#: Geometries drawn on a portal's map when there are no vector tiles (the newest ones).
MAP_FEATURES = 500


def portal_of(group: Group) -> Portal:
    """The group's portal, or an unsaved one with the group's name (created on first edit)."""
    try:
        return group.portal
    except Portal.DoesNotExist:
        return Portal(group=group, title=group.name, sections=default_sections())


def can_edit(user, group: Group) -> bool:
    return can(user, group, Capability.MANAGE_MEMBERS)


def visible_resources(user, group: Group) -> QuerySet:
    """What ``user`` sees of the group's resources: the one rule, nothing else."""
    return Resource.objects.visible_to(user).filter(group=group)


def search(user, group: Group, text: str) -> QuerySet:
    return visible_resources(user, group).title_contains(text).order_by("title", "id")


def featured(user, portal: Portal) -> list[Resource]:
    """The first :data:`FEATURED_MAX` featured resources ``user`` may see, in the
    animateurs' order."""
    if portal.pk is None:
        return []
    ids = list(
        Featured.objects.filter(portal=portal)
        .order_by("position", "id")
        .values_list("resource_id", flat=True)[:FEATURED_STORED]
    )
    seen = {r.pk: r for r in visible_resources(user, portal.group).filter(pk__in=ids)}
    return [seen[pk] for pk in ids if pk in seen][:FEATURED_MAX]


def banner_jpeg(upload: UploadedFile) -> ContentFile:
    """The uploaded banner checked (size and type judged on its bytes, as attachments are,
    then opened by Pillow) and resized to :data:`BANNER_WIDTH` at most, as JPEG.

    :raises ValidationError: keyed ``banner``, in French.
    """
    try:
        file_type = file_type_of(upload)
    except ValidationError as exc:
        raise ValidationError({"banner": exc.message_dict["files"]}) from None
    if file_type.category != Attachment.Category.PHOTO:
        raise ValidationError({"banner": _("La bannière doit être une image JPEG, PNG ou WebP.")})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            {"banner": _("« %(name)s » n'est pas une image lisible.") % {"name": upload.name}}
        ) from None
    if image.width > BANNER_WIDTH:
        height = max(1, round(image.height * BANNER_WIDTH / image.width))
        image = image.resize((BANNER_WIDTH, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name="banniere.jpg")


@transaction.atomic
def save_portal(
    actor: User,
    group: Group,
    *,
    banner: UploadedFile | None = None,
    remove_banner: bool = False,
    featured_ids: list[int] | None = None,
    **fields: Any,
) -> Portal:
    """Write the animateur's edit: all of it, or nothing (the banner is checked first)."""
    if not can_edit(actor, group):
        raise NotAllowed()
    jpeg = banner_jpeg(banner) if banner else None
    portal = portal_of(group)
    for name, value in fields.items():
        setattr(portal, name, value)
    old = portal.banner.name if portal.banner else ""
    if (jpeg is not None or (old and not remove_banner)) and not portal.banner_alt.strip():
        raise ValidationError(
            {"banner_alt": _("Décrivez la bannière : le texte alternatif est obligatoire.")}
        )
    if remove_banner and old:
        portal.banner = ""
    if jpeg is not None:
        portal.banner.save(jpeg.name, jpeg, save=False)
    portal.save()
    if old and old != (portal.banner.name if portal.banner else ""):
        transaction.on_commit(lambda: portal.banner.storage.delete(old))
    if featured_ids is not None:
        # only what the animateur may see of their own group can be put forward
        allowed = set(
            visible_resources(actor, group).filter(pk__in=featured_ids).values_list("pk", flat=True)
        )
        Featured.objects.filter(portal=portal).delete()
        kept = list(dict.fromkeys(p for p in featured_ids if p in allowed))[:FEATURED_STORED]
        Featured.objects.bulk_create(
            Featured(portal=portal, resource_id=pk, position=i) for i, pk in enumerate(kept)
        )
    return portal


def inline_features(queryset: QuerySet) -> dict:
    """A GeoJSON FeatureCollection of the newest :data:`MAP_FEATURES` located rows."""
    rows = queryset.filter(geom__isnull=False).order_by("-created_at", "-id")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": json.loads(r.geom.geojson),
                "properties": {"t": r.title, "id": r.pk},
            }
            for r in rows.only("title", "geom")[:MAP_FEATURES]
        ],
    }
