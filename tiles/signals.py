"""Keep the tile cache true: every write to a resource removes the tiles it touches.

One resource at a time through the model signals; bulk writes (imports, bulk moderation)
through :data:`observatoire.signals.resources_changed`, with the bounds they announce.

Both the old and the new geometry count (a moved resource leaves its old tiles, an unshared
one must vanish from where it is). The removal runs at once and again after the commit, so a
tile rendered by another request between the write and the commit is not kept.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from observatoire.models import Resource
from observatoire.signals import resources_changed
from workgroups.models import Group

from . import cache, purge


def _invalidate(geometries: list) -> None:
    removed: list = []
    cache.invalidate_geometries(geometries, removed)
    transaction.on_commit(lambda: cache.invalidate_geometries(geometries, removed))
    purge.announce(removed, _bounds(geometries))


def _bounds(geometries: list) -> tuple[float, float, float, float] | None:
    """The lon/lat rectangle around the geometries (None: no geometry)."""
    extents = [g.extent for g in geometries if g is not None and not g.empty]
    if not extents:
        return None
    return (
        min(e[0] for e in extents),
        min(e[1] for e in extents),
        max(e[2] for e in extents),
        max(e[3] for e in extents),
    )


@receiver(pre_save, sender=Resource, dispatch_uid="tiles-remember-old-geometry")
def remember_old_geometry(sender, instance: Resource, update_fields=None, **kwargs) -> None:
    if instance.pk is None or (update_fields is not None and "geom" not in update_fields):
        instance._tiles_old_geom = None
        return
    instance._tiles_old_geom = (
        Resource.objects.filter(pk=instance.pk).values_list("geom", flat=True).first()
    )


@receiver(post_save, sender=Resource, dispatch_uid="tiles-invalidate-saved")
def invalidate_saved(sender, instance: Resource, **kwargs) -> None:
    _invalidate([getattr(instance, "_tiles_old_geom", None), instance.geom])


@receiver(post_delete, sender=Resource, dispatch_uid="tiles-invalidate-deleted")
def invalidate_deleted(sender, instance: Resource, **kwargs) -> None:
    _invalidate([instance.geom])


@receiver(post_save, sender=Group, dispatch_uid="tiles-invalidate-group")
def invalidate_group(sender, instance: Group, created: bool, **kwargs) -> None:
    """Tiles carry the group slug: a renamed group outdates them all."""
    if not created:
        cache.invalidate_all()
        transaction.on_commit(cache.invalidate_all)
        purge.announce([], None, everything=True)


@receiver(resources_changed, dispatch_uid="tiles-invalidate-bulk")
def invalidate_bulk(sender, bounds: tuple[float, float, float, float] | None, **kwargs) -> None:
    """A bulk write: the tiles of its bounds, or every tile when it has none."""
    if bounds is None:
        cache.invalidate_all()
        transaction.on_commit(cache.invalidate_all)
        purge.announce([], None, everything=True)
    else:
        removed: list = []
        cache.invalidate_bbox(bounds, removed)
        transaction.on_commit(lambda: cache.invalidate_bbox(bounds, removed))
        purge.announce(removed, bounds)
