"""Groups made and set up by the people who run them: found a group (its founder becomes its
animateur), change its settings, share or hand over the animateur role, archive it.

The group pages and ``/api/v1/groups/`` call these; each checks the actor's rights
(``MANAGE_MEMBERS``, the animateur's) and raises a French ``ValidationError`` keyed by field
or a typed error, with nothing written.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.codes import outline, resolve_territory
from geo.validation import drawn_area

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


def territory_of(text: str = "", drawn: object = None) -> MultiPolygon | None:
    """A group's territory: the outline of the commune, EPCI or département ``text`` names
    (a code, a suggestion « Lille (59350) » or a name only one bears), or the polygon
    ``drawn`` on a map (GeoJSON), or ``None`` when neither is given. A ``ValidationError``
    on ``territory`` says what is wrong."""
    text = (text or "").strip()
    if text and drawn:
        raise ValidationError(
            {"territory": _("Choisissez un territoire ou dessinez-le, pas les deux.")}
        )
    try:
        if drawn:
            return drawn_area(drawn)
        return outline(resolve_territory(text)) if text else None
    except ValueError as exc:  # an UnknownTerritory too
        raise ValidationError({"territory": str(exc)}) from None


def outline_geojson(group: Group) -> dict | None:
    """The group's territory as GeoJSON, simplified to about 100 m for the settings page's map
    (a département's outline stays a few kB)."""
    if group.territory is None:
        return None
    return json.loads(group.territory.simplify(0.001, preserve_topology=True).geojson)


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
