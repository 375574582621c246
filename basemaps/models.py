"""The basemap catalogue: what MapProxy serves under /basemaps/ and what maps may choose."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The basemap drawn from the project's own data (outlines): a MapLibre style, works offline.
OFFLINE_SLUG = "contours"


class Basemap(models.Model):
    """A basemap: a remote source cached by MapProxy (raster tiles or WMTS), or the offline
    outlines style."""

    class Kind(models.TextChoices):
        RASTER = "raster", _("Raster")
        VECTOR = "vector", _("Vecteur")

    class SourceType(models.TextChoices):
        TILES = "tiles", _("Tuiles XYZ")
        WMTS = "wmts", _("WMTS (KVP)")
        OUTLINES = "outlines", _("Contours du projet (hors ligne)")

    slug = models.SlugField(
        _("identifiant"),
        max_length=50,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")],
    )
    name = models.CharField(_("nom"), max_length=100)
    attribution = models.CharField(_("attribution"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices, default=Kind.RASTER)
    source_type = models.CharField(
        _("source"), max_length=8, choices=SourceType.choices, default=SourceType.TILES
    )
    url = models.CharField(
        _("adresse de la source"),
        max_length=500,
        blank=True,
        help_text=_(
            "Tuiles : gabarit avec {z}/{x}/{y} ; WMTS : adresse du service, "
            "couche dans « couche WMTS »."
        ),
    )
    wmts_layer = models.CharField(_("couche WMTS"), max_length=100, blank=True)
    wmts_format = models.CharField(_("format WMTS"), max_length=20, blank=True, default="image/png")
    min_zoom = models.PositiveSmallIntegerField(_("zoom minimum"), default=0)
    max_zoom = models.PositiveSmallIntegerField(_("zoom maximum"), default=19)
    is_default = models.BooleanField(_("par défaut"), default=False)
    enabled = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("fond de carte")
        verbose_name_plural = _("fonds de carte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_offline(self) -> bool:
        return self.source_type == self.SourceType.OUTLINES
