"""Accounts, working groups and memberships, and :class:`Shared`: what every shared thing
(resource, map…) inherits to follow the one visibility rule."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Level, Role
from .visibility import SharedQuerySet


class User(AbstractUser):
    """A person with an account; custom from the start so that profiles can grow."""

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")


class Group(models.Model):
    """A working group (groupe de travail): people cooperating on resources."""

    class Family(models.TextChoices):
        ACTEUR = "acteur", _("Acteur")
        THEME = "theme", _("Thème")
        PROJET = "projet", _("Projet")

    class JoinMode(models.TextChoices):
        INVITATION = "invitation", _("Sur invitation")
        DEMANDE = "demande", _("Sur demande validée par un animateur")
        LIBRE = "libre", _("Libre (adhésion automatique)")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    family = models.CharField(_("famille"), max_length=16, choices=Family.choices)
    description = models.TextField(_("description"), blank=True)
    join_mode = models.CharField(
        _("mode d'adhésion"), max_length=16, choices=JoinMode.choices, default=JoinMode.DEMANDE
    )
    territory = models.MultiPolygonField(_("territoire"), srid=4326, null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    archived_at = models.DateTimeField(
        _("archivé le"),
        null=True,
        blank=True,
        help_text=_("Un groupe archivé garde ses ressources, en lecture seule."),
    )

    class Meta:
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's place in a group: a role and the state of their joining."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invité")
        REQUESTED = "requested", _("Demande en attente")
        ACTIVE = "active", _("Actif")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("membre"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("groupe")
    )
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.LECTEUR)
    state = models.CharField(_("état"), max_length=16, choices=State.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invité par"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approuvé par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    activated_at = models.DateTimeField(_("active depuis le"), null=True, blank=True)

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="membership_unique_user_group")
        ]
        indexes = [models.Index(fields=["user", "state"], name="membership_user_state")]

    def __str__(self) -> str:
        return f"{self.user} · {self.group} · {self.get_role_display()}"


class FeedKey(models.Model):
    """A personal, revocable key for clients that cannot send credentials (uMap remote
    layers, QGIS without an auth config): ``?key=…`` in a feed URL. It reads, unless its
    owner made it a writing key (the OGC API's writes, from QGIS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="feed_keys",
        verbose_name=_("personne"),
    )

    class Scope(models.TextChoices):
        READ = "read", _("Lecture seule (OGC API, tuiles, flux, exports)")
        WRITE = "write", _("Lecture et écriture (modifier depuis QGIS)")

    key = models.CharField(_("clé"), max_length=64, unique=True)
    label = models.CharField(_("libellé"), max_length=100, blank=True)
    scope = models.CharField(_("portée"), max_length=5, choices=Scope.choices, default=Scope.READ)
    #: restricted to one group: the key opens only what its owner sees within that group
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("restreinte au groupe"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    #: when and through which channel the key last opened something (at most once a minute)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    last_used_channel = models.CharField(_("canal"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("clé de flux")
        verbose_name_plural = _("clés de flux")

    def __str__(self) -> str:
        return f"{self.user} · {self.label or self.key[:6] + '…'}"


class AuthFailures(models.Model):
    """Failed HTTP Basic attempts of one username or one client address in the current
    window: the rate limit that every web worker shares (:mod:`workgroups.basic`). ``key`` is
    a keyed hash of the username or address, never what was typed."""

    key = models.CharField(max_length=64, primary_key=True)
    window_start = models.DateTimeField(db_index=True)
    failures = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("échecs d'identification")
        verbose_name_plural = _("échecs d'identification")


class Shared(models.Model):
    """A thing shared by a person of a working group at a sharing level: resources, maps and
    every future shared model inherit these fields and ``objects.visible_to(user)`` /
    ``editable_by(user)``, the one rule of :mod:`workgroups.visibility`.

    Reverse names follow the model: ``group.resources``, ``user.maps``…
    """

    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("groupe"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("auteur"),
    )
    level = models.CharField(
        _("niveau de partage"), max_length=16, choices=Level.choices, default=Level.UTILISATEUR
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validé par"),
    )
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_validated(self) -> bool:
        return self.validated_at is not None
