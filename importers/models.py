"""Import jobs: one row per run of an importer, kept as the provenance of what it wrote,
with its counts, its row-level report, the signs of life of the process running it and the
values it overwrote (so that it can be undone); harvests, whose every run is such a job."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from observatoire.kinds import Kind


class ImportJob(models.Model):
    class Status(models.TextChoices):
        #: a file uploaded on the web, whose columns are still being mapped: only its
        #: uploader sees it, and it is queued (``PENDING``) when they run it
        DRAFT = "draft", _("Téléversé, à paramétrer")
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        SUCCEEDED = "succeeded", _("Terminé")
        FAILED = "failed", _("Échoué")
        # its process died (killed, machine restarted): nothing was written, it may run again
        INTERRUPTED = "interrupted", _("Interrompu")
        UNDONE = "undone", _("Annulé")

    source = models.CharField(_("source"), max_length=32)
    file_name = models.CharField(_("fichier"), max_length=500, blank=True)
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("lancé par"),
    )
    group = models.ForeignKey(
        "workgroups.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("groupe"),
    )
    dry_run = models.BooleanField(_("essai à blanc"), default=False)
    status = models.CharField(
        _("état"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    started_at = models.DateTimeField(_("début"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    total = models.PositiveIntegerField(
        _("lignes du fichier"), null=True, blank=True, help_text=_("connu au début d'un import web")
    )
    read = models.PositiveIntegerField(_("lues"), default=0)
    created = models.PositiveIntegerField(_("créées"), default=0)
    updated = models.PositiveIntegerField(_("mises à jour"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangées"), default=0)
    rejected = models.PositiveIntegerField(_("rejetées"), default=0)
    conflicts = models.PositiveIntegerField(
        _("en conflit"),
        default=0,
        help_text=_("lignes d'une ressource que l'import n'a pas le droit de modifier"),
    )
    warnings = models.PositiveIntegerField(_("avertissements"), default=0)
    error = models.TextField(_("erreur"), blank=True)
    pid = models.PositiveIntegerField(_("processus"), null=True, blank=True)
    host = models.CharField(_("machine"), max_length=255, blank=True)
    heartbeat_at = models.DateTimeField(
        _("dernier signe de vie"),
        null=True,
        blank=True,
        help_text=_("écrit régulièrement par la commande qui importe"),
    )
    written_at = models.DateTimeField(
        _("écrit le"),
        null=True,
        blank=True,
        help_text=_("horodatage de la transaction d'écriture, porté par chaque ligne écrite"),
    )
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("annulé par"),
    )
    undone_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    undone_deleted = models.PositiveIntegerField(_("supprimées à l'annulation"), default=0)
    undone_restored = models.PositiveIntegerField(_("restaurées à l'annulation"), default=0)
    harvest = models.ForeignKey(
        "Harvest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("moisson"),
    )
    removed = models.PositiveIntegerField(
        _("retirées de la source"),
        default=0,
        help_text=_("lignes des moissons précédentes absentes de la source : gardées, marquées"),
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.source} #{self.pk} ({self.file_name})"

    def summary_line(self) -> str:
        """The machine-readable summary every import command ends with."""
        return (
            f"read={self.read} created={self.created} updated={self.updated} "
            f"unchanged={self.unchanged} rejected={self.rejected} warnings={self.warnings} "
            f"conflicts={self.conflicts}"
        )


class ImportIssue(models.Model):
    """One line of an import's report: a rejected row or a warning, in French."""

    class Level(models.TextChoices):
        ERROR = "erreur", _("Erreur (ligne rejetée)")
        WARNING = "avertissement", _("Avertissement")
        CONFLICT = "conflit", _("Conflit (ligne non écrite)")
        REMOVED = "retiree", _("Retirée de la source (gardée, marquée)")

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="issues", verbose_name=_("import")
    )
    row = models.PositiveIntegerField(_("ligne"), help_text=_("0 : le fichier entier"))
    source_id = models.CharField(_("identifiant"), max_length=100, blank=True)
    field = models.CharField(_("champ"), max_length=100, blank=True)
    level = models.CharField(_("niveau"), max_length=16, choices=Level.choices)
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("ligne du rapport")
        verbose_name_plural = _("rapport")
        ordering = ["job", "row", "id"]
        indexes = [models.Index(fields=["job", "row"], name="importissue_job_row")]

    def __str__(self) -> str:
        return f"{self.row} {self.field} : {self.message}"


class MappingProfile(models.Model):
    """A column mapping saved under a name for a group (« Inventaire Occitanie »), so that
    the partner's next file with the same columns imports the same way, from the page or
    with ``import_geodata --profile NAME``."""

    group = models.ForeignKey(
        "workgroups.Group",
        on_delete=models.CASCADE,
        related_name="mapping_profiles",
        verbose_name=_("groupe"),
    )
    name = models.CharField(_("nom"), max_length=100)
    mapping = models.JSONField(_("correspondance"), help_text=_("{cible: colonne, ignore: […]}"))
    columns = models.JSONField(
        _("colonnes du fichier"), default=list, help_text=_("celles du fichier d'origine")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enregistré par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("profil de correspondance")
        verbose_name_plural = _("profils de correspondance")
        ordering = ["group", "name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="mappingprofile_group_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.group})"


class OverwrittenRow(models.Model):
    """The values a job replaced on one resource it updated, written by the same statement
    batch and transaction as the update, so that undoing the job can put them back.

    ``previous`` holds the columns the importer may change (``engine.RESTORED_COLUMNS``) as
    JSON, read back with ``jsonb_populate_record`` over the resource table's own row type: one
    generic column rather than a copy of the resource's schema in this app. ``previous_job``
    (the job that had written the row before) is a column of its own, indexed, because undoing
    that earlier job asks which of its rows a later job rewrote.
    """

    job = models.ForeignKey(
        ImportJob,
        on_delete=models.CASCADE,
        related_name="overwritten",
        verbose_name=_("import"),
        db_index=False,  # the unique (job, resource) index leads with it
    )
    resource = models.ForeignKey(
        "observatoire.Resource",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ressource"),
    )
    previous_job = models.ForeignKey(
        ImportJob,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import précédent"),
    )
    previous = models.JSONField(_("valeurs remplacées"))

    class Meta:
        verbose_name = _("valeurs remplacées par un import")
        verbose_name_plural = _("valeurs remplacées par les imports")
        constraints = [
            models.UniqueConstraint(fields=["job", "resource"], name="overwritten_job_resource")
        ]

    def __str__(self) -> str:
        return f"{self.job_id} · {self.resource_id}"


class Harvest(models.Model):
    """A source URL re-imported into a group on a schedule: each run is an ordinary
    ``ImportJob`` (progress, report, undo and interruption apply), keyed in its own source
    name (``moisson:<id>``, the Mérimée key for a Mérimée export), so that the rows of its
    earlier runs missing from the source now can be told apart and flagged."""

    class Format(models.TextChoices):
        GEOJSON = "geojson", _("GeoJSON")
        CSV = "csv", _("CSV (lon/lat ou WKT)")
        OGC = "ogc", _("OGC API Features (éléments d'une collection, pages suivies)")
        MERIMEE = "merimee", _("Export Mérimée / POP")

    class Every(models.TextChoices):
        DAILY = "daily", _("chaque jour")
        WEEKLY = "weekly", _("chaque semaine")

    name = models.CharField(_("nom"), max_length=100, unique=True)
    group = models.ForeignKey(
        "workgroups.Group",
        on_delete=models.CASCADE,
        related_name="harvests",
        verbose_name=_("groupe"),
    )
    url = models.URLField(_("adresse de la source"), max_length=2000)
    format = models.CharField(_("format"), max_length=16, choices=Format.choices)
    kind = models.CharField(_("type de ressource"), max_length=32, choices=Kind.choices)
    profile = models.ForeignKey(
        MappingProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="harvests",
        verbose_name=_("profil de correspondance"),
        help_text=_("vide : la correspondance suggérée par les noms de colonnes"),
    )
    every = models.CharField(
        _("fréquence"), max_length=8, choices=Every.choices, default=Every.DAILY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ajoutée par"),
        help_text=_("l'auteur des ressources moissonnées tant qu'il peut importer dans le groupe"),
    )
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)
    next_run_at = models.DateTimeField(_("prochaine moisson"), db_index=True)

    class Meta:
        verbose_name = _("moisson")
        verbose_name_plural = _("moissons")
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def interval(self) -> timedelta:
        return timedelta(days=7 if self.every == self.Every.WEEKLY else 1)
