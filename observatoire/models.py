"""Resources of the three bases: one PostGIS feature table.

This app alone writes DDL on ``observatoire_resource``: what Django expresses is declared on
:class:`Resource` (the generated ``search_vector``, the partial geography index of the
monuments…); the rest — text search configuration, the triggers that keep the words of titles
and the cluster cells (``observatoire.summaries``) — is in ``observatoire/sql/triggers.sql``,
and the trigger that derives each resource's territories from its geometry is in
``observatoire/sql/territories.sql``.
Other apps read the table and its summaries, never alter them.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Transform
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from geo.codes import territory_error
from geo.validation import geometry_error
from workgroups.models import Shared
from workgroups.visibility import SharedQuerySet

from .kinds import BASE_OF_KIND, BASES_WITHOUT_REQUIRED_GEOMETRY, Base, Kind
from .schemas import attribute_errors
from .summaries import ClusterCell  # noqa: F401 (its models belong to this app's registry)

#: Text search configuration of the search vector (unaccent + French stemming, triggers.sql).
SEARCH_CONFIG = "fr_unaccent"


class Geography(models.Func):
    """``expr::geography``: geodesic distances, and the form the monuments' index is built on."""

    template = "(%(expressions)s)::geography"
    output_field = models.GeometryField(geography=True)


class PlainText(models.Func):
    """``spass_unaccent(lower(expr))``: text without case or accents, through the immutable
    wrapper of ``triggers.sql`` so that it can be indexed (``unaccent`` itself is not)."""

    function = "spass_unaccent"
    output_field = models.TextField()

    def __init__(self, expression, **extra) -> None:
        super().__init__(Lower(expression), **extra)


class ResourceQuerySet(SharedQuerySet):
    """``visible_to(user)`` and ``editable_by(user)`` come from the one rule in workgroups."""

    def title_contains(self, text: str) -> ResourceQuerySet:
        """Titles containing ``text`` whatever its case and accents (« eglise » finds
        « Église »), answered by the trigram index ``resource_title_plain_trgm``."""
        return self.alias(_title_plain=PlainText("title")).filter(
            _title_plain__contains=PlainText(models.Value(text))
        )


class ResourceManager(models.Manager.from_queryset(ResourceQuerySet)):
    """Rows come without their search vector (read by ``search/`` in SQL, never shown): every
    page, API item and export would otherwise carry the tsvector of the whole description."""

    def get_queryset(self) -> ResourceQuerySet:
        return super().get_queryset().defer("search_vector")


def _search_vector() -> SearchVector:
    """Titles weigh most (A), then themes and summary (B), then description (C)."""
    themes = models.Func("themes", function="spass_join_words", output_field=models.TextField())
    return (
        SearchVector("title", config=SEARCH_CONFIG, weight="A")
        + SearchVector(themes, config=SEARCH_CONFIG, weight="B")
        + SearchVector("summary", config=SEARCH_CONFIG, weight="B")
        + SearchVector("description", config=SEARCH_CONFIG, weight="C")
    )


class Resource(Shared):
    """A resource of the Observatoire, the Médiathèque or the Activité base.

    Triggers on this table (words of titles, cluster cells) and the functions of
    ``search_vector`` are in ``observatoire/sql/triggers.sql``: rename a column here, fix it
    there (and add a migration that runs the file again).
    """

    base = models.CharField(_("base"), max_length=16, choices=Base.choices)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=255)
    summary = models.TextField(_("résumé"), blank=True)
    description = models.TextField(_("description"), blank=True)
    themes = ArrayField(
        models.CharField(max_length=100), verbose_name=_("thèmes"), default=list, blank=True
    )
    date_start = models.DateField(_("date (début)"), null=True, blank=True)
    date_end = models.DateField(_("date (fin)"), null=True, blank=True)
    geom = models.GeometryField(_("localisation"), srid=4326, null=True, blank=True)
    attributes = models.JSONField(_("attributs"), default=dict, blank=True)
    # Territories derived by PostgreSQL from the geometry (sql/territories.sql, a BEFORE
    # trigger): what is written here is ignored. Without a geometry, from the typed
    # ``attributes.commune_insee``.
    communes = ArrayField(
        models.CharField(max_length=5), verbose_name=_("communes"), default=list, editable=False
    )
    epcis = ArrayField(
        models.CharField(max_length=9), verbose_name=_("EPCI"), default=list, editable=False
    )
    departements = ArrayField(
        models.CharField(max_length=3), verbose_name=_("départements"), default=list, editable=False
    )
    regions = ArrayField(
        models.CharField(max_length=3), verbose_name=_("régions"), default=list, editable=False
    )
    # Kept by PostgreSQL in Web Mercator for the vector tiles, which draw every feature in
    # EPSG:3857: reprojecting each row at each tile cost a sixth of a z14 tile's SQL.
    geom_mercator = models.GeneratedField(
        expression=Transform("geom", 3857),
        output_field=models.GeometryField(srid=3857, spatial_index=False),
        db_persist=True,
        verbose_name=_("localisation (Web Mercator)"),
    )
    # French full text (search/), kept by PostgreSQL; GIN index below.
    search_vector = models.GeneratedField(
        expression=_search_vector(),
        output_field=SearchVectorField(),
        db_persist=True,
        verbose_name=_("vecteur de recherche"),
    )

    # group, author, level, validated_by, validated_at: from workgroups.models.Shared
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vérifié par"),
    )
    checked_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)

    source = models.CharField(_("source"), max_length=32, blank=True, default="")
    source_id = models.CharField(
        _("identifiant dans la source"), max_length=100, blank=True, default=""
    )
    import_job = models.ForeignKey(
        "importers.ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("import"),
    )
    links = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="linked_from",
        verbose_name=_("ressources liées"),
    )

    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = ResourceManager()

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source=""),
                name="resource_unique_source_id",
            ),
            models.CheckConstraint(
                condition=models.Q(date_end__isnull=True)
                | models.Q(date_start__isnull=True)
                | models.Q(date_end__gte=models.F("date_start")),
                name="resource_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "level"], name="resource_group_level"),
            # maps and OGC filters by group and kind: without it PostgreSQL ANDs the bitmap of
            # every row of the kind (860k at 2M rows), 4x slower (bench/ogc/README.md)
            models.Index(fields=["group", "kind"], name="resource_group_kind"),
            # a group's missions (the activity report, activite.report): without it the
            # report reads every group's missions (base_kind) or every row of the group
            models.Index(fields=["group", "base"], name="resource_group_base"),
            models.Index(fields=["level", "validated_at"], name="resource_level_validated"),
            models.Index(fields=["base", "kind"], name="resource_base_kind"),
            models.Index(fields=["kind"], name="resource_kind"),
            models.Index(fields=["author"], name="resource_author"),
            models.Index(fields=["date_start"], name="resource_date_start"),
            # the orders of the pages, walked instead of sorting every visible row (bench/pages,
            # 2M rows): the group page's newest first, the lists' and the map list's « titre »
            models.Index(fields=["group", "created_at", "id"], name="resource_group_created"),
            models.Index(fields=["title", "id"], name="resource_title_id"),
            # « à valider » (services.validation_queue): only the rows still waiting
            models.Index(
                fields=["group", "kind"],
                condition=models.Q(validated_at__isnull=True),
                name="resource_waiting",
            ),
            GinIndex(fields=["attributes"], name="resource_attributes_gin"),
            GinIndex(fields=["themes"], name="resource_themes_gin"),
            # the territory filter of every channel (communes=, epci=, A_CONTAINS(…))
            GinIndex(fields=["communes"], name="resource_communes_gin"),
            GinIndex(fields=["epcis"], name="resource_epcis_gin"),
            GinIndex(fields=["departements"], name="resource_departements_gin"),
            GinIndex(fields=["regions"], name="resource_regions_gin"),
            GinIndex(fields=["search_vector"], name="resource_search_vector_gin"),
            # « titre contient » of the lists (ResourceQuerySet.title_contains): without it a
            # capped count over 45,000 imported rows unaccents every title (0.9 s, bench/pages)
            GinIndex(
                OpClass(PlainText("title"), name="gin_trgm_ops"),
                name="resource_title_plain_trgm",
            ),
            # the heritage crossing (observatoire.heritage): ST_DWithin on the monuments' geography
            GistIndex(
                Geography("geom"),
                condition=models.Q(source="merimee"),
                name="resource_merimee_geog",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Check what no form field can check alone; errors are keyed by field, in French."""
        errors: dict[str, list[str]] = {}
        if self.kind and self.base and BASE_OF_KIND.get(self.kind) != self.base:
            errors.setdefault("kind", []).append(
                _("Le type « %(kind)s » n'existe pas dans la base « %(base)s ».")
                % {"kind": self.kind, "base": self.base}
            )
        if self.geom is None and self.base and self.base not in BASES_WITHOUT_REQUIRED_GEOMETRY:
            errors.setdefault("geom", []).append(
                _("La localisation est obligatoire pour une ressource de cette base.")
            )
        message = geometry_error(self.geom)
        if message:
            errors.setdefault("geom", []).append(message)
        attr_errors = attribute_errors(self.kind, self.attributes)
        for name, msg in attr_errors.items():
            label = f"« {name} » : " if name else ""
            errors.setdefault("attributes", []).append(f"{label}{msg}")
        scope = self.attributes.get("territoire") if isinstance(self.attributes, dict) else None
        if scope and "territoire" not in attr_errors:
            message = territory_error(str(scope))
            if message:
                errors.setdefault("attributes", []).append(f"« territoire » : {message}")
        if self.date_start and self.date_end and self.date_end < self.date_start:
            errors.setdefault("date_end", []).append(_("La date de fin précède la date de début."))
        if errors:
            raise ValidationError(errors)


class Review(models.Model):
    """An expert's proofreading comment on a resource of their group."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("ressource")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("relecteur"),
    )
    comment = models.TextField(_("commentaire"))
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("relecture")
        verbose_name_plural = _("relectures")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.author} · {self.resource}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    """Unguessable names: files are served through a view that checks visibility."""
    return f"pieces/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Attachment(models.Model):
    """A photo or document attached to a resource; seen only by those who see the resource."""

    class Category(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("ressource"),
    )
    file = models.FileField(_("fichier"), upload_to=_attachment_path, max_length=200)
    category = models.CharField(_("catégorie"), max_length=16, choices=Category.choices)
    name = models.CharField(_("nom d'origine"), max_length=255)
    content_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class BulkAction(models.Model):
    """The audit line of a bulk moderation: who did what to which selection, how many rows
    were done, refused (with the first titles) or had nothing to change, and when."""

    class Action(models.TextChoices):
        VALIDATE = "valider", _("Valider")
        REVIEW = "relire", _("Marquer relues")
        LEVEL = "niveau", _("Changer le niveau de partage")
        GROUP = "groupe", _("Déplacer vers un autre groupe")
        DELETE = "supprimer", _("Supprimer")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        SUCCEEDED = "succeeded", _("Terminé")
        FAILED = "failed", _("Échoué")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="bulk_actions",
        verbose_name=_("par"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    selection = models.JSONField(_("sélection"), default=dict)
    description = models.CharField(_("sélection (en clair)"), max_length=500, blank=True)
    status = models.CharField(
        _("état"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("à traiter"), default=0)
    done = models.PositiveIntegerField(_("traitées"), default=0)
    refused = models.PositiveIntegerField(_("refusées"), default=0)
    refused_titles = models.JSONField(_("premières refusées"), default=list, blank=True)
    skipped = models.PositiveIntegerField(_("sans objet"), default=0)
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("action groupée")
        verbose_name_plural = _("actions groupées")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.pk}"


class PublishedActivityReport(models.Model):
    """A group's activity report made public by an animateur: anyone may then read its
    public version, which counts only the group's public, validated missions (the report
    itself is computed at each reading, from ``visible_to`` of an anonymous visitor)."""

    group = models.OneToOneField(
        "workgroups.Group",
        on_delete=models.CASCADE,
        related_name="published_activity_report",
        verbose_name=_("groupe"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("publié par"),
    )
    published_at = models.DateTimeField(_("publié le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rapport d'activité publié")
        verbose_name_plural = _("rapports d'activité publiés")

    def __str__(self) -> str:
        return str(self.group)
