"""A group's portal (portail web): its public face, edited by its animateurs.

What the portal shows of the group's resources is never stored here: every page asks
``Resource.objects.visible_to(viewer)``. The portal keeps only its presentation.
"""

from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from observatoire.models import Resource
from workgroups.models import Group

from .palette import DEFAULT, PALETTE
from .sections import KNOWN


def _banner_path(instance: Portal, filename: str) -> str:
    return f"portails/{uuid.uuid4().hex}.jpg"


def default_sections() -> list[str]:
    return ["observatoire", "mediatheque", "activite", "cartes"]


class Portal(models.Model):
    """One per group, created on its first edit (or by the demo)."""

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="portal", verbose_name=_("groupe")
    )
    title = models.CharField(_("titre"), max_length=200)
    tagline = models.CharField(_("accroche"), max_length=300, blank=True)
    banner = models.FileField(
        _("bannière"), upload_to=_banner_path, max_length=200, blank=True, default=""
    )
    banner_alt = models.CharField(
        _("texte alternatif de la bannière"), max_length=300, blank=True, default=""
    )
    introduction = models.TextField(_("introduction (Markdown)"), blank=True)
    accent = models.CharField(_("couleur d'accent"), max_length=7, choices=PALETTE, default=DEFAULT)
    sections = ArrayField(
        models.CharField(max_length=16, choices=list(KNOWN.items())),
        verbose_name=_("rubriques affichées"),
        default=default_sections,
        blank=True,
    )
    featured = models.ManyToManyField(
        Resource,
        through="Featured",
        related_name="featured_in",
        blank=True,
        verbose_name=_("ressources à la une"),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("portail")
        verbose_name_plural = _("portails")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Featured(models.Model):
    """A resource put forward on the portal's home, in the animateurs' order. Shown only to
    those who may see the resource."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="featured_rows")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "resource"], name="portal_featured_once")
        ]

    def __str__(self) -> str:
        return f"{self.portal} — {self.resource_id}"
