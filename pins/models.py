"""« Accrocher »: a group pins into its portal a resource or a map of any group.

A pin has no sharing level of its own: it only points at an item, and every read of pins
filters the items through ``visible_to(viewer)`` at request time (:mod:`pins.services`), so a
pin never shows an item to someone the rule would not show it to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from layers.models import Map
from observatoire.models import Resource
from workgroups.models import Group


class Pin(models.Model):
    """One item (a resource or a map, exactly one) pinned into a group's portal."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="pins", verbose_name=_("groupe")
    )
    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pins",
        verbose_name=_("ressource"),
    )
    map = models.ForeignKey(
        Map,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pins",
        verbose_name=_("carte"),
    )
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("accrochée par"),
    )
    pinned_at = models.DateTimeField(_("accrochée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("élément accroché")
        verbose_name_plural = _("éléments accrochés")
        ordering = ["-pinned_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(resource__isnull=False) & Q(map__isnull=True))
                | (Q(resource__isnull=True) & Q(map__isnull=False)),
                name="pin_exactly_one_item",
            ),
            models.UniqueConstraint(fields=["group", "resource"], name="pin_unique_resource"),
            models.UniqueConstraint(fields=["group", "map"], name="pin_unique_map"),
        ]
        indexes = [models.Index(fields=["group", "-pinned_at", "-id"], name="pin_group_recent")]

    def __str__(self) -> str:
        return f"{self.group} ← {self.item}"

    @property
    def item(self) -> Resource | Map:
        return self.resource if self.resource_id else self.map
