"""Writing resources: create, update, delete, share, validate, review.

Every write of the REST API, the web forms, the admin actions and the demo loader goes
through these functions, which check the actor's rights, validate the whole resource
(French messages keyed by field) and write atomically.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workgroups import sharing
from workgroups.errors import NotAllowed
from workgroups.events import Kind, Occurrence, announce
from workgroups.models import Group, User
from workgroups.permissions import can
from workgroups.roles import LEVELS_BEYOND_GROUP, Capability, Level
from workgroups.sharing import apply_level
from workgroups.visibility import groups_where

from .kinds import Base
from .models import Resource, Review
from .permissions import can_review

#: Fields a person may write directly; level, group and validation go through their own rules.
EDITABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "base",
    "kind",
    "themes",
    "date_start",
    "date_end",
    "geom",
    "attributes",
)


def linkable(actor: User, ids: Iterable[int]) -> list[Resource]:
    """The resources ``ids`` name, all visible to ``actor``; a French error names the ids that
    do not exist or that the actor may not see (the same message: no leak of existence)."""
    ids = list(dict.fromkeys(ids))
    found = {r.pk: r for r in Resource.objects.visible_to(actor).filter(pk__in=ids)}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {
                "links": _("Ressource introuvable ou que vous ne pouvez pas voir : %(ids)s.")
                % {"ids": ", ".join(missing)}
            }
        )
    return [found[pk] for pk in ids]


def _set_links(resource: Resource, links: Iterable[Resource], actor: User | None = None) -> None:
    """Replace the links of an activité by ``links``; those the actor cannot see are kept
    (a person edits only what they see, and must not learn of the others)."""
    links = list(links)
    if links and resource.base != Base.ACTIVITE:
        raise ValidationError(
            {"links": _("Seules les ressources de la base Activité peuvent être liées.")}
        )
    if any(link.base == Base.ACTIVITE or link.pk == resource.pk for link in links):
        raise ValidationError(
            {
                "links": _(
                    "Une activité se lie à des ressources de l'Observatoire ou de la Médiathèque."
                )
            }
        )
    if actor is not None:
        hidden = resource.links.exclude(pk__in=Resource.objects.visible_to(actor).values("pk"))
        links += list(hidden)
    resource.links.set(links)


def _read_territories(resource: Resource) -> None:
    """Read back the territories PostgreSQL derived on save (the instance holds what it sent)."""
    resource.refresh_from_db(fields=["communes", "epcis", "departements", "regions"])


@transaction.atomic
def create_resource(
    actor: User,
    group: Group,
    *,
    level: str = Level.UTILISATEUR,
    links: Iterable[Resource] = (),
    **fields: Any,
) -> Resource:
    """Create a resource in ``group``; the actor must be contributeur or more there."""
    if not can(actor, group, Capability.CREATE):
        raise NotAllowed(
            _("Il faut être contributeur du groupe « %(group)s » pour y créer une ressource.")
            % {"group": group.name}
        )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Champ inconnu.") for name in sorted(unknown)})
    resource = Resource(group=group, author=actor, **fields)
    apply_level(actor, resource, level)
    resource.full_clean()
    resource.save()
    _read_territories(resource)
    sharing.announce_waiting(actor, resource)
    _set_links(resource, links, actor)
    return resource


@transaction.atomic
def update_resource(
    actor: User,
    resource: Resource,
    *,
    links: Iterable[Resource] | None = None,
    **changes: Any,
) -> Resource:
    """Change fields of a resource the actor may edit. Only its author changes its level."""
    sharing.update(actor, resource, changes, editable=EDITABLE_FIELDS)
    _read_territories(resource)
    if links is not None:
        _set_links(resource, links, actor)
    return resource


def delete_resource(actor: User, resource: Resource) -> None:
    sharing.delete(actor, resource)


def share(actor: User, resource: Resource, level: str) -> Resource:
    """The author moves the resource between levels. The first share beyond the group waits
    for an animateur's validation; once validated, moves need no new validation."""
    return sharing.share(
        actor,
        resource,
        level,
        refusal=_("Seul l'auteur (contributeur du groupe) peut partager sa ressource."),
    )


def validate(actor: User, resource: Resource) -> Resource:
    """An animateur of the group validates a resource shared beyond the group."""
    return sharing.validate(
        actor,
        resource,
        not_animateur=_("Seul un animateur du groupe peut valider une ressource."),
        not_waiting=_(
            "Cette ressource n'attend pas de validation (déjà validée ou non partagée au-delà "
            "du groupe)."
        ),
    )


@transaction.atomic
def review(actor: User, resource: Resource, comment: str) -> Review:
    """An expert (or animateur) marks the resource checked, with a comment."""
    if not can_review(actor, resource):
        raise NotAllowed(_("Seuls les experts et animateurs du groupe relisent ses ressources."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Le commentaire de relecture est vide.")})
    resource.checked_by = actor
    resource.checked_at = timezone.now()
    resource.save(update_fields=["checked_by", "checked_at", "updated_at"])
    review = Review.objects.create(resource=resource, author=actor, comment=comment)
    announce(Occurrence(Kind.REVIEWED, actor, resource.group, resource, person=resource.author))
    return review


def validation_queue(animateur: User):
    """Resources waiting for this animateur's validation, across their groups."""
    return Resource.objects.filter(
        group_id__in=groups_where(animateur, Capability.VALIDATE),
        level__in=list(LEVELS_BEYOND_GROUP),
        validated_at__isnull=True,
    )
