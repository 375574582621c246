"""Layers (a saved CQL2 filter over one base and a style) and dynamic maps (ordered layers)."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from observatoire.cql import FilterError, apply_filter
from observatoire.kinds import BASE_OF_KIND, Base, Kind
from observatoire.models import Resource
from workgroups.models import Shared
from workgroups.visibility import SharedQuerySet

from .filters import SimpleFilter
from .icons import ICON_CHOICES

SLUG_VALIDATOR = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Seuls les minuscules sans accent, chiffres et tirets sont permis."),
)

#: Bounds of the numeric style values (the editor's inputs and the API say them).
RADIUS_RANGE = (2, 30)
OPACITY_RANGE = (0.1, 1.0)
STROKE_RANGE = (0.0, 10.0)


class Layer(models.Model):
    """A saved filter over one base (the simple form fields, composed into ``cql_filter`` with
    the optional advanced CQL2) and how its features are drawn."""

    class Style(models.TextChoices):
        MARKERS = "markers", _("Marqueurs (une couleur par type)")
        CLUSTERS = "clusters", _("Regroupements")
        HEATMAP = "heatmap", _("Carte de chaleur")
        CATEGORIES = "categories", _("Catégories (couleur par propriété)")
        CIRCLES = "circles", _("Cercles proportionnels (au nombre d'objets)")

    class PopupField(models.TextChoices):
        """Tile properties a popup may show under the title (what every channel serves)."""

        KIND = "kind", _("type")
        GROUP = "group", _("groupe")
        DATE = "date", _("date")

    class LabelField(models.TextChoices):
        """Tile properties a label may write beside each object (what every channel serves)."""

        TITLE = "title", _("le titre")

    #: Where an icon replaces the round marker: each object drawn as a marker of its own.
    ICON_STYLES = frozenset({Style.MARKERS, Style.CATEGORIES, Style.CLUSTERS})

    name = models.CharField(_("nom"), max_length=200)
    base = models.CharField(_("base"), max_length=16, choices=Base.choices)
    kinds = ArrayField(
        models.CharField(max_length=32, choices=Kind.choices),
        verbose_name=_("types"),
        default=list,
        blank=True,
    )
    groups = ArrayField(
        models.SlugField(max_length=100),
        verbose_name=_("groupes (identifiants)"),
        default=list,
        blank=True,
    )
    date_from = models.DateField(_("à partir du"), null=True, blank=True)
    date_to = models.DateField(_("jusqu'au"), null=True, blank=True)
    territory = models.CharField(
        _("commune (code INSEE) ou département"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^(\d[\dAB]|\d{3}|\d[\dAB]\d{3})$")],
    )
    text = models.CharField(_("texte dans le titre"), max_length=100, blank=True)
    advanced_filter = models.TextField(
        _("filtre avancé (CQL2)"),
        blank=True,
        help_text=_(
            "Condition CQL2 ajoutée aux champs ci-dessus, par exemple "
            "attributes.annee_livraison > 2000."
        ),
    )
    cql_filter = models.TextField(_("filtre CQL2 complet"), blank=True, editable=False)

    style = models.CharField(
        _("style"), max_length=16, choices=Style.choices, default=Style.MARKERS
    )
    color = models.CharField(
        _("couleur"),
        max_length=7,
        default="#c0392b",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$")],
    )
    category_property = models.CharField(
        _("propriété des catégories"),
        max_length=8,
        default="kind",
        choices=[("kind", _("type")), ("base", _("base"))],
        help_text=_("Pour le style « catégories » : la propriété qui donne la couleur."),
    )
    radius = models.PositiveSmallIntegerField(
        _("taille des points (pixels)"),
        default=6,
        validators=[MinValueValidator(RADIUS_RANGE[0]), MaxValueValidator(RADIUS_RANGE[1])],
    )
    opacity = models.FloatField(
        _("opacité"),
        default=0.8,
        validators=[MinValueValidator(OPACITY_RANGE[0]), MaxValueValidator(OPACITY_RANGE[1])],
        help_text=_("De 0,1 (presque transparent) à 1 (opaque) ; surfaces et cercles."),
    )
    stroke_width = models.FloatField(
        _("épaisseur des traits (pixels)"),
        default=2,
        validators=[MinValueValidator(STROKE_RANGE[0]), MaxValueValidator(STROKE_RANGE[1])],
        help_text=_("Lignes et contours des surfaces."),
    )
    popup_fields = ArrayField(
        models.CharField(max_length=8, choices=PopupField.choices),
        verbose_name=_("champs de la bulle"),
        default=list,
        blank=True,
        help_text=_("Ce que la bulle d'un objet montre sous son titre."),
    )
    label_field = models.CharField(
        _("étiquette"),
        max_length=8,
        choices=LabelField.choices,
        blank=True,
        default="",
        help_text=_("Texte écrit à côté de chaque objet à partir du zoom 11 ; vide : aucun."),
    )
    icon = models.CharField(
        _("icône"),
        max_length=32,
        choices=ICON_CHOICES,
        blank=True,
        default="",
        help_text=_(
            "Icône servie par le site, à la place du point rond des marqueurs (colorée comme "
            "lui) ; vide : le point rond."
        ),
    )

    class Meta:
        verbose_name = _("couche")
        verbose_name_plural = _("couches")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def drawn_icon(self) -> str:
        """The icon the channels draw: the layer's, where its representation has markers."""
        return self.icon if self.style in self.ICON_STYLES else ""

    def simple_filter(self) -> SimpleFilter:
        return SimpleFilter(
            kinds=list(self.kinds),
            groups=list(self.groups),
            date_from=self.date_from,
            date_to=self.date_to,
            territory=self.territory,
            text=self.text,
            advanced=self.advanced_filter,
        )

    @property
    def cql(self) -> str:
        """The layer's CQL2, composed from its fields when read: every channel applies the
        filter as it is composed today (a layer saved before its date filter became a period
        overlap included), with no data migration; ``cql_filter`` keeps the text of the last
        save for the admin's list and search."""
        return self.simple_filter().to_cql2()

    @property
    def collection(self) -> str:
        """The tile/export collection of this layer: its base."""
        return self.base

    def clean(self) -> None:
        errors: dict[str, str] = {}
        wrong = [k for k in self.kinds if BASE_OF_KIND.get(k) != self.base]
        if wrong:
            errors["kinds"] = _("Types hors de la base choisie : %(kinds)s.") % {
                "kinds": ", ".join(wrong)
            }
        if self.date_from and self.date_to and self.date_to < self.date_from:
            errors["date_to"] = _("La date de fin précède la date de début.")
        if self.advanced_filter.strip():
            try:
                apply_filter(Resource.objects.all(), self.advanced_filter)
            except FilterError as exc:
                errors["advanced_filter"] = exc.message
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.cql_filter = self.cql
        super().save(*args, **kwargs)


class MapQuerySet(SharedQuerySet):
    """``visible_to(user)`` is the one rule of workgroups, as for resources."""


class Map(Shared):
    """A dynamic map (carte dynamique): ordered layers on a basemap, shared like a resource."""

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(
        _("identifiant"), max_length=100, unique=True, validators=[SLUG_VALIDATOR]
    )
    description = models.TextField(_("description"), blank=True)
    # group, author, level, validated_by, validated_at: from workgroups.models.Shared
    basemap = models.ForeignKey(
        "basemaps.Basemap",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="maps",
        verbose_name=_("fond de carte"),
        help_text=_("Vide : le fond par défaut du catalogue."),
    )
    center = models.PointField(_("centre initial"), srid=4326, null=True, blank=True)
    zoom = models.FloatField(_("zoom initial"), default=8)
    extent = ArrayField(
        models.FloatField(),
        size=4,
        null=True,
        blank=True,
        verbose_name=_("emprise initiale"),
        help_text=_(
            "Ouest, sud, est, nord (degrés, WGS 84) : la carte s'ouvre cadrée sur ce rectangle, "
            "quelle que soit la taille de l'écran ; vide : le centre et le zoom."
        ),
    )
    layers = models.ManyToManyField(
        Layer, through="MapLayer", related_name="maps", verbose_name=_("couches")
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = MapQuerySet.as_manager()

    class Meta:
        verbose_name = _("carte dynamique")
        verbose_name_plural = _("cartes dynamiques")
        ordering = ["title"]
        indexes = [models.Index(fields=["level", "validated_at"], name="map_level_validated")]

    def __str__(self) -> str:
        return self.title

    def ordered_layers(self) -> list[Layer]:
        return [ml.layer for ml in self.map_layers.select_related("layer").order_by("position")]


class MapLayer(models.Model):
    """A layer's place in a map (first drawn first)."""

    map = models.ForeignKey(Map, on_delete=models.CASCADE, related_name="map_layers")
    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("couche de la carte")
        verbose_name_plural = _("couches de la carte")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["map", "layer"], name="maplayer_unique"),
        ]
