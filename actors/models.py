"""Profiles of actors (organisations and people), their experiences, and the credits that
link resources to them.

Why not :class:`workgroups.models.Shared`: a profile may belong to no group, has no author
role in a group and no animateur to validate its first share; its editors are named on it.
Its visibility therefore keeps the vocabulary of the sharing levels (``public``, and
``communaute`` shown as « comptes seulement ») in one queryset method,
:meth:`ProfileQuerySet.visible_to`, that every channel of this app starts from (pages, REST,
OGC API, map GeoJSON, search, vCard, portals); experiences and credits reuse the same ``Q``
through their profile (:func:`visible_q` with a prefix), as ``workgroups.visibility`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from observatoire.models import SEARCH_CONFIG
from workgroups.models import Group
from workgroups.roles import Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from workgroups.models import User


class Kind(models.TextChoices):
    CAUE = "caue", _("CAUE")
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    DEPARTEMENT_REGION = "departement_region", _("Département ou région")
    ETAT = "etat", _("Service de l'État")
    PARC_AGENCE = "parc_agence", _("Parc, agence d'urbanisme")
    ASSOCIATION = "association", _("Association")
    ENSEIGNEMENT = "enseignement", _("École, enseignement")
    PROFESSIONNEL = "professionnel", _("Professionnel, cabinet")
    HABITANT = "habitant", _("Habitant")


class Context(models.TextChoices):
    """Contexts of intervention: a controlled vocabulary, so that filters find everyone."""

    URBANISME = "urbanisme", _("Urbanisme")
    PAYSAGE = "paysage", _("Paysage")
    ARCHITECTURE = "architecture", _("Architecture")
    PARTICIPATION = "participation", _("Participation")
    PATRIMOINE = "patrimoine", _("Patrimoine")
    ENERGIE = "energie", _("Énergie")
    ENVIRONNEMENT = "environnement", _("Environnement, biodiversité")
    MOBILITE = "mobilite", _("Mobilité")


class Visibility(models.TextChoices):
    """Who sees a profile: the sharing levels' words beyond a group."""

    PUBLIC = Level.PUBLIC.value, _("Public")
    COMPTES = Level.COMMUNAUTE.value, _("Comptes seulement")


class ContactChoice(models.TextChoices):
    """Who sees the contact details (page and vCard) of a visible profile."""

    PUBLIC = Level.PUBLIC.value, _("Public")
    COMPTES = Level.COMMUNAUTE.value, _("Comptes seulement")
    MASQUE = "masque", _("Masqué")


class Role(models.TextChoices):
    """How a resource credits an actor."""

    MAITRISE_OEUVRE = "maitrise_oeuvre", _("Maîtrise d'œuvre")
    ACCOMPAGNEMENT = "accompagnement", _("Accompagnement")
    PARTENAIRE = "partenaire", _("Partenaire")


def _is_person(user: User | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def visible_q(user: User | AnonymousUser | None, prefix: str = "") -> Q:
    """The one rule of profiles: anonymous visitors see public profiles; any account sees the
    public ones and those for accounts only. ``prefix`` lets experiences and credits reuse it
    (``prefix="profile__"``)."""
    if _is_person(user):
        return Q(**{f"{prefix}visibility__in": Visibility.values})
    return Q(**{f"{prefix}visibility": Visibility.PUBLIC})


def editable_q(user: User | AnonymousUser | None, prefix: str = "") -> Q:
    """The account that created the profile and the editors it names."""
    if not _is_person(user):
        return Q(pk__in=[])
    editors = Profile.editors.through.objects.filter(user=user).values("profile_id")
    return Q(**{f"{prefix}created_by": user}) | Q(**{f"{prefix}pk__in": editors})


class ProfileQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser | None) -> ProfileQuerySet:
        return self.filter(visible_q(user))

    def editable_by(self, user: User | AnonymousUser | None) -> ProfileQuerySet:
        return self.filter(editable_q(user))


class ProfileManager(models.Manager.from_queryset(ProfileQuerySet)):
    """Rows come without their search vector (read by the directory's SQL, never shown)."""

    def get_queryset(self) -> ProfileQuerySet:
        return super().get_queryset().defer("search_vector")


def _search_vector() -> SearchVector:
    """The name weighs most (A), then the short description and clients (B), then texts (C)."""
    return (
        SearchVector("name", config=SEARCH_CONFIG, weight="A")
        + SearchVector("summary", config=SEARCH_CONFIG, weight="B")
        + SearchVector("clients", config=SEARCH_CONFIG, weight="B")
        + SearchVector("services", config=SEARCH_CONFIG, weight="C")
        + SearchVector("about", config=SEARCH_CONFIG, weight="C")
    )


class Profile(models.Model):
    """An organisation or a person: what it does, where, for whom, and how to reach it."""

    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    is_person = models.BooleanField(
        _("personne"), default=False, help_text=_("Cochez si le profil est celui d'une personne.")
    )
    kind = models.CharField(_("type d'acteur"), max_length=24, choices=Kind.choices)
    logo = models.ImageField(_("logo"), upload_to="acteurs/logos/", blank=True)
    summary = models.CharField(_("description courte"), max_length=300, blank=True)
    services = models.TextField(
        _("description des services"), blank=True, help_text=_("Markdown : titres, listes, liens.")
    )
    about = models.TextField(_("qui sommes-nous ?"), blank=True)
    clients = models.TextField(
        _("accompagnements réalisés"),
        blank=True,
        help_text=_("Les structures accompagnées, séparées par des points-virgules."),
    )
    contexts = ArrayField(
        models.CharField(max_length=24, choices=Context.choices),
        verbose_name=_("contextes d'intervention"),
        default=list,
        blank=True,
    )
    territory = models.MultiPolygonField(
        _("territoires d'intervention"), srid=4326, null=True, blank=True
    )
    territory_codes = ArrayField(
        models.CharField(max_length=24),
        verbose_name=_("territoires choisis"),
        default=list,
        blank=True,
        help_text=_("« commune:59350 », « departement:59 »… dans l'ordre choisi."),
    )
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    website = models.URLField(_("site web"), blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    contact_choice = models.CharField(
        _("coordonnées visibles par"),
        max_length=16,
        choices=ContactChoice.choices,
        default=ContactChoice.COMPTES,
    )
    visibility = models.CharField(
        _("profil visible par"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actor_profiles",
        verbose_name=_("groupe"),
        help_text=_("Le profil paraît sur le portail de ce groupe."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="actor_profiles",
        verbose_name=_("créé par"),
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="edited_actor_profiles",
        verbose_name=_("éditeurs"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    search_vector = models.GeneratedField(
        expression=_search_vector(),
        output_field=SearchVectorField(),
        db_persist=True,
        verbose_name=_("vecteur de recherche"),
    )

    objects = ProfileManager()

    class Meta:
        verbose_name = _("profil acteur")
        verbose_name_plural = _("profils acteurs")
        ordering = ["name", "id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="actor_profile_search"),
            GinIndex(fields=["contexts"], name="actor_profile_contexts"),
            models.Index(fields=["visibility", "kind"], name="actor_profile_vis_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    def contact_visible_to(self, user: User | AnonymousUser | None) -> bool:
        """Whether ``user`` (who sees the profile) may see its contact details."""
        if self.contact_choice == ContactChoice.PUBLIC:
            return True
        return self.contact_choice == ContactChoice.COMPTES and _is_person(user)

    @property
    def client_list(self) -> list[str]:
        return [c.strip() for c in self.clients.replace("\n", ";").split(";") if c.strip()]

    def context_labels(self) -> list[str]:
        labels = dict(Context.choices)
        return [str(labels.get(c, c)) for c in self.contexts]


class ExperienceQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser | None) -> ExperienceQuerySet:
        """The experiences of the profiles ``user`` sees (the profiles' one rule)."""
        return self.filter(visible_q(user, "profile__"))


class Experience(models.Model):
    """A reference of a profile: a mission for a client, at a place, in some years."""

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="experiences", verbose_name=_("profil")
    )
    title = models.CharField(_("titre"), max_length=200)
    client = models.CharField(_("client"), max_length=200, blank=True)
    year_start = models.PositiveSmallIntegerField(_("année (début)"), null=True, blank=True)
    year_end = models.PositiveSmallIntegerField(_("année (fin)"), null=True, blank=True)
    place = models.PointField(_("lieu"), srid=4326, null=True, blank=True)
    commune_insee = models.CharField(_("commune (code INSEE)"), max_length=5, blank=True)
    place_name = models.CharField(_("nom du lieu"), max_length=200, blank=True)
    text = models.TextField(_("texte"), blank=True)
    resources = models.ManyToManyField(
        "observatoire.Resource",
        blank=True,
        related_name="actor_experiences",
        verbose_name=_("ressources liées"),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = ExperienceQuerySet.as_manager()

    class Meta:
        verbose_name = _("expérience")
        verbose_name_plural = _("expériences")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> str:
        if self.year_start and self.year_end and self.year_end != self.year_start:
            return f"{self.year_start}–{self.year_end}"
        return str(self.year_start or self.year_end or "")


class ExperiencePhoto(models.Model):
    """A photo of an experience (re-encoded by Pillow when uploaded: checked by content)."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="photos", verbose_name=_("expérience")
    )
    image = models.ImageField(_("photo"), upload_to="acteurs/photos/")
    caption = models.CharField(_("légende"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("photo d'expérience")
        verbose_name_plural = _("photos d'expériences")
        ordering = ["id"]


class CreditQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser | None) -> CreditQuerySet:
        """Credits whose profile ``user`` sees (the resource side is checked by its page)."""
        return self.filter(visible_q(user, "profile__"))


class Credit(models.Model):
    """A resource (an activité mission among them) or a carnet credits an actor (« maîtrise
    d'œuvre », « accompagnement », « partenaire »): exactly one of the two is set."""

    resource = models.ForeignKey(
        "observatoire.Resource",
        on_delete=models.CASCADE,
        related_name="actor_credits",
        verbose_name=_("ressource"),
        null=True,
        blank=True,
    )
    carnet = models.ForeignKey(
        "publications.Carnet",
        on_delete=models.CASCADE,
        related_name="actor_credits",
        verbose_name=_("carnet"),
        null=True,
        blank=True,
    )
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="credits", verbose_name=_("acteur")
    )
    role = models.CharField(_("rôle"), max_length=24, choices=Role.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("ajouté par"),
    )
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    objects = CreditQuerySet.as_manager()

    class Meta:
        verbose_name = _("crédit")
        verbose_name_plural = _("crédits")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "profile", "role"], name="actor_credit_unique"
            ),
            models.UniqueConstraint(
                fields=["carnet", "profile", "role"], name="actor_credit_carnet_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(resource__isnull=False, carnet__isnull=True)
                | models.Q(resource__isnull=True, carnet__isnull=False),
                name="actor_credit_one_item",
            ),
        ]
