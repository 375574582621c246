"""Public forms of a group, the contributions they receive, and the shared rate counters.

A contribution (:class:`Submission`) is *not* a shared object: it waits in its own table,
read only through :meth:`SubmissionQuerySet.moderable_by` (the group's animateurs and
experts) or by its secret follow-up link. Accepted, it becomes an ordinary
:class:`observatoire.models.Resource` (``resource``), and from then on the one visibility
rule decides who sees it; the pending row never reaches any channel.
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatoire.kinds import Kind as ResourceKind
from workgroups.models import Group, User
from workgroups.roles import Capability
from workgroups.visibility import groups_where


class Place(models.TextChoices):
    """What the public gives as the place of a contribution."""

    POINT = "point", _("Un point sur la carte (ou des coordonnées)")
    LINE = "ligne", _("Une ligne sur la carte")
    POLYGON = "polygone", _("Une surface sur la carte")
    COMMUNE = "commune", _("Une commune choisie par son nom")


class Form(models.Model):
    """A form an animateur opens to the public: what contributions become (a kind of
    resource of the group), what is asked, when it is open, and where a place is accepted."""

    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        related_name="participation_forms",
        verbose_name=_("groupe"),
    )
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    kind = models.CharField(
        _("type de ressource créée"),
        max_length=32,
        choices=ResourceKind.choices,
        default=ResourceKind.MARQUEUR,
    )
    #: ``[{"name": …, "label": …, "required": bool}]``: attributes of the kind's JSON schema
    #: asked, in order, with the label the public reads.
    fields = models.JSONField(_("champs demandés"), default=list, blank=True)
    place = models.CharField(
        _("localisation demandée"), max_length=16, choices=Place.choices, default=Place.POINT
    )
    max_photos = models.PositiveSmallIntegerField(_("photos (au plus)"), default=1)
    ask_email = models.BooleanField(_("demander une adresse e-mail (facultative)"), default=True)
    confirm_email = models.BooleanField(
        _("confirmer l'e-mail avant la modération"),
        default=False,
        help_text=_("Une contribution avec e-mail attend que son auteur clique le lien reçu."),
    )
    consent = models.TextField(
        _("texte de consentement (RGPD)"),
        help_text=_("Finalité, durée de conservation, contact."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("conservation (jours)"),
        default=365,
        validators=[MinValueValidator(7), MaxValueValidator(3650)],
        help_text=_(
            "Passé ce délai, les contributions non retenues (refusées, jamais confirmées ou "
            "jamais modérées) sont effacées avec leurs photos, et les adresses e-mail des "
            "contributions publiées aussi. Le texte de consentement doit dire ce délai."
        ),
    )
    opens_at = models.DateTimeField(_("ouvert à partir du"), null=True, blank=True)
    closes_at = models.DateTimeField(_("fermé après le"), null=True, blank=True)
    area = models.MultiPolygonField(_("zone acceptée"), srid=4326, null=True, blank=True)
    use_group_territory = models.BooleanField(
        _("n'accepter que le territoire du groupe"), default=False
    )
    min_seconds = models.PositiveSmallIntegerField(
        _("durée minimale de saisie (secondes)"), default=4
    )
    per_address_daily = models.PositiveIntegerField(
        _("contributions par adresse et par jour (au plus)"), default=50
    )
    daily_cap = models.PositiveIntegerField(_("contributions par jour (au plus)"), default=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("formulaire participatif")
        verbose_name_plural = _("formulaires participatifs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now <= self.closes_at
        )

    def allowed_area(self):
        """The area outside which a place is refused, or None."""
        if self.area is not None:
            return self.area
        if self.use_group_territory:
            return self.group.territory
        return None


class SubmissionQuerySet(models.QuerySet):
    def moderable_by(self, user) -> SubmissionQuerySet:
        """The only way to list contributions: those of the groups where ``user`` reviews
        (experts) or validates (animateurs). Nobody else, anonymous included, reads them."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(form__group_id__in=groups_where(user, Capability.REVIEW))


class Submission(models.Model):
    """One contribution of the public, waiting for moderation (or moderated)."""

    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-mail à confirmer")
        PENDING = "pending", _("En attente de modération")
        ACCEPTED = "accepted", _("Publiée")
        REFUSED = "refused", _("Refusée")

    form = models.ForeignKey(
        Form, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("formulaire")
    )
    state = models.CharField(_("état"), max_length=16, choices=State.choices)
    title = models.CharField(_("titre"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    attributes = models.JSONField(_("attributs"), default=dict, blank=True)
    geom = models.GeometryField(_("localisation"), srid=4326)
    pseudonym = models.CharField(_("pseudonyme"), max_length=80)
    email = models.EmailField(_("e-mail"), blank=True)
    #: The follow-up link's secret (also the e-mail confirmation's).
    secret = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    reason = models.TextField(_("motif du refus"), blank=True)
    resource = models.ForeignKey(
        "observatoire.Resource",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ressource publiée"),
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [
            models.Index(fields=["form", "state", "-created_at", "-id"], name="submission_queue"),
            models.Index(fields=["state", "-created_at", "-id"], name="submission_state"),
        ]

    def __str__(self) -> str:
        return self.title


def _photo_path(instance: SubmissionPhoto, filename: str) -> str:
    """Unguessable names: a pending photo is shown only to the group's moderators."""
    return f"participation/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class SubmissionPhoto(models.Model):
    """A photo of a contribution, re-encoded without any EXIF."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path, max_length=200)
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]


class RateCounter(models.Model):
    """Attempts per scope (an address's hash on a form, a form) and day, shared by every web
    worker: one atomic upsert per attempt (:mod:`participation.abuse`). No address is stored,
    only a keyed hash of it."""

    key = models.CharField(max_length=64)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "day"], name="ratecounter_key_day"),
        ]


SYSTEM_USERNAME = "participation"


def system_account() -> User:
    """The author of every accepted contribution (idempotent; it can never sign in)."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": "Participation du public"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
