"""Roles, sharing levels and what each role may do: the vocabulary of working groups.

Each role includes the rights of the roles below it, so capabilities are declared once per role
and accumulated by rank (the Decidim / Consul "abilities" idea, as plain data).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LECTEUR = "lecteur", _("Lecteur")
    CONTRIBUTEUR = "contributeur", _("Contributeur")
    EXPERT = "expert", _("Expert")
    ANIMATEUR = "animateur", _("Animateur")


class Level(models.TextChoices):
    """Sharing level (niveau de partage) of a resource or a map."""

    UTILISATEUR = "utilisateur", _("Utilisateur (privé)")
    GROUPE = "groupe", _("Groupe")
    COMMUNAUTE = "communaute", _("Communauté")
    PUBLIC = "public", _("Public")


#: Levels that reach beyond the group and so need an animateur's validation the first time.
LEVELS_BEYOND_GROUP = frozenset({Level.COMMUNAUTE, Level.PUBLIC})

ROLE_RANK: dict[str, int] = {
    Role.LECTEUR: 1,
    Role.CONTRIBUTEUR: 2,
    Role.EXPERT: 3,
    Role.ANIMATEUR: 4,
}


class Capability(models.TextChoices):
    VIEW = "view", _("voir les ressources du groupe")
    CREATE = "create", _("créer des ressources dans le groupe")
    SHARE = "share", _("partager ses ressources")
    REVIEW = "review", _("vérifier et relire les ressources")
    VALIDATE = "validate", _("valider et diffuser les ressources")
    EDIT_ANY = "edit_any", _("modifier toute ressource du groupe")
    MANAGE_MEMBERS = "manage_members", _("gérer les membres du groupe")


#: What each role adds to the role below it.
ROLE_ADDS: dict[str, frozenset[str]] = {
    Role.LECTEUR: frozenset({Capability.VIEW}),
    Role.CONTRIBUTEUR: frozenset({Capability.CREATE, Capability.SHARE}),
    Role.EXPERT: frozenset({Capability.REVIEW}),
    Role.ANIMATEUR: frozenset(
        {Capability.VALIDATE, Capability.EDIT_ANY, Capability.MANAGE_MEMBERS}
    ),
}


def capabilities_of(role: str | None) -> frozenset[str]:
    """Every capability a role holds, its own and those of the roles below it."""
    if role is None:
        return frozenset()
    caps: set[str] = set()
    for r, rank in ROLE_RANK.items():
        if rank <= ROLE_RANK[role]:
            caps |= ROLE_ADDS[r]
    return frozenset(caps)


def roles_with(capability: str) -> list[str]:
    """The roles that hold ``capability`` (for ``role__in`` lookups: querysets ask for a
    capability, never for a role or a rank)."""
    return [r for r in ROLE_RANK if capability in capabilities_of(r)]
