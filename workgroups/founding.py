"""Groups made and set up by the people who run them: found a group (its founder becomes its
animateur), change its settings, share or hand over the animateur role, archive it.

The group pages and ``/api/v1/groups/`` call these; each checks the actor's rights
(``MANAGE_MEMBERS``, the animateur's) and raises a French ``ValidationError`` keyed by field
or a typed error, with nothing written.
"""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.models import Commune, Departement

from .errors import InvalidState, NotAllowed
from .models import Group, Membership, User
from .permissions import can
from .roles import Capability, Role
from .services import change_role, create_group
from .slugs import free_slug

#: Fields the founder gives and the animateurs change.
GROUP_FIELDS = ("name", "family", "join_mode", "description", "territory")
#: Words of the group pages' addresses that no group may take (``/groupes/nouveau/``).
RESERVED_SLUGS = frozenset({"nouveau"})


def territory_of(code: str) -> MultiPolygon | None:
    """The outline of a commune (INSEE code, 5 characters) or a département (2 or 3), or
    ``None`` for an empty code; a ``ValidationError`` on ``territory`` for an unknown one."""
    code = (code or "").strip().upper()
    if not code:
        return None
    if len(code) == 5:
        place = Commune.objects.filter(insee=code, type=Commune.Type.COMMUNE).first()
    else:
        place = Departement.objects.filter(code=code).first()
    if place is None or place.geom is None:
        raise ValidationError(
            {
                "territory": _(
                    "Territoire inconnu : « %(code)s » (code INSEE d'une commune, ou numéro "
                    "d'un département)."
                )
                % {"code": code}
            }
        )
    geom = GEOSGeometry(place.geom.ewkb)
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon(geom, srid=4326)


def _check_name(name: str, group: Group | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Le nom du groupe est obligatoire.")})
    taken = Group.objects.filter(name__iexact=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise ValidationError(
            {"name": _("Un groupe porte déjà ce nom : « %(name)s ».") % {"name": name}}
        )
    return name


def _apply(group: Group, fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(GROUP_FIELDS))
    if unknown:
        raise ValidationError({name: _("Champ inconnu.") for name in unknown})
    for name, value in fields.items():
        setattr(group, name, value)
    group.full_clean(exclude=["slug"])


@transaction.atomic
def found_group(founder: User, *, name: str, **fields: Any) -> Group:
    """A new group whose ``founder`` (any person with an account) is its animateur."""
    if not (founder and founder.is_authenticated and founder.is_active):
        raise NotAllowed(_("Il faut un compte pour créer un groupe."))
    group = Group(name=_check_name(name))
    _apply(group, fields)
    return create_group(
        founder,
        slug=free_slug(Group.objects, group.name, default="groupe", reserved=RESERVED_SLUGS),
        **{name: getattr(group, name) for name in GROUP_FIELDS},
    )


@transaction.atomic
def update_group(actor: User, group: Group, **changes: Any) -> Group:
    """The animateurs change the group's settings; its slug (its address) stays."""
    if not can(actor, group, Capability.MANAGE_MEMBERS):
        raise NotAllowed(_("Seuls les animateurs du groupe en changent les paramètres."))
    if "name" in changes:
        changes["name"] = _check_name(changes["name"], group)
    _apply(group, changes)
    group.save()
    return group


@transaction.atomic
def share_animation(actor: User, group: Group, person: User, *, step_down: bool) -> Membership:
    """Make an active member animateur beside ``actor`` or, with ``step_down``, in their
    place (``actor`` stays in the group as contributeur)."""
    membership = Membership.objects.filter(
        group=group, user=person, state=Membership.State.ACTIVE
    ).first()
    if membership is None:
        raise InvalidState(_("Cette personne n'est pas membre actif du groupe."))
    if person.pk == actor.pk:
        raise InvalidState(_("Choisissez un autre membre que vous-même."))
    promoted = change_role(actor, membership, Role.ANIMATEUR)
    if step_down:
        mine = Membership.objects.get(group=group, user=actor)
        change_role(actor, mine, Role.CONTRIBUTEUR)
    return promoted


@transaction.atomic
def archive_group(actor: User, group: Group) -> Group:
    """The animateurs archive the group: its resources and maps stay visible as they are, and
    nothing in it is created, changed or shared any more (:func:`workgroups.permissions.can`
    and :func:`workgroups.visibility.groups_where` grant only ``VIEW`` there)."""
    if not can(actor, group, Capability.MANAGE_MEMBERS):
        raise NotAllowed(_("Seuls les animateurs du groupe l'archivent."))
    group.archived_at = timezone.now()
    group.save(update_fields=["archived_at"])
    return group
