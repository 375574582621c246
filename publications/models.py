"""Carnets (digital publications): a shared thing of a working group, like resources and news
(:class:`workgroups.models.Shared`: four levels, first-share validation, ``visible_to`` /
``editable_by``), whose body is an ordered JSON list of blocks (:mod:`publications.blocks`)
and whose uploaded photos and videos are :class:`CarnetMedia` rows served through a view that
checks the carnet's visibility."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from workgroups.models import Shared


class Carnet(Shared):
    """A carnet: title, credits, themes, territory, and blocks (text, photos, live maps…).

    ``editors`` are the co-authors the group's animateurs name: the one rule's ``editable_by``
    lets them edit (``co_editors`` below, read by :class:`workgroups.visibility.SharedQuerySet`).
    ``version`` grows at every save so that a save made from a stale copy is refused (409)."""

    #: The many-to-many field whose people may also edit (see ``SharedQuerySet.editable_by``).
    co_editors = "editors"

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    subtitle = models.CharField(_("sous-titre"), max_length=300, blank=True)
    cover = models.ForeignKey(
        "CarnetMedia",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image de couverture"),
    )
    credits = models.CharField(_("crédits des auteurs"), max_length=500, blank=True)
    themes = ArrayField(
        models.CharField(max_length=100), verbose_name=_("thèmes"), default=list, blank=True
    )
    territory = models.CharField(_("territoire"), max_length=200, blank=True)
    story = models.BooleanField(
        _("mode récit"),
        default=False,
        help_text=_("Les cartes restent à l'écran pendant que leurs étapes défilent."),
    )
    blocks = models.JSONField(_("blocs"), default=list, blank=True)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="co_edited_carnets",
        verbose_name=_("co-auteurs"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("carnet")
        verbose_name_plural = _("carnets")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["group", "-updated_at"], name="carnet_group_updated"),
            models.Index(fields=["level", "validated_at"], name="carnet_level_validated"),
        ]

    def __str__(self) -> str:
        return self.title


def _media_path(instance: CarnetMedia, filename: str) -> str:
    """Unguessable names: the files are served by a view that checks the carnet's visibility."""
    return f"carnets/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class CarnetMedia(models.Model):
    """A photo or a video uploaded into a carnet (checked by content: :mod:`.media`)."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Vidéo")

    carnet = models.ForeignKey(
        Carnet, on_delete=models.CASCADE, related_name="media", verbose_name=_("carnet")
    )
    kind = models.CharField(_("nature"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("fichier"), upload_to=_media_path, max_length=200)
    name = models.CharField(_("nom d'origine"), max_length=255)
    content_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    width = models.PositiveIntegerField(_("largeur"), null=True, blank=True)
    height = models.PositiveIntegerField(_("hauteur"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("média de carnet")
        verbose_name_plural = _("médias de carnet")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
