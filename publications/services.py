"""Writing carnets: create, update (with the version check), delete, share, validate, name
co-authors. Every write — REST API, the editor's autosave, the demo loader — goes through
here, in a transaction: a refused save writes nothing.

The rights are those of every shared thing (:mod:`workgroups.sharing`): contributeur+ of the
group creates; ``editable_by`` edits and deletes (the author, the animateurs, and the
co-authors the animateurs name, through ``Carnet.co_editors``); the author shares; an
animateur validates the first share beyond the group."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from workgroups import sharing
from workgroups.errors import Conflict, NotAllowed
from workgroups.models import Group, Membership, User
from workgroups.permissions import can
from workgroups.roles import Capability, Level, roles_with
from workgroups.slugs import free_slug

from . import blocks as block_schema
from .models import Carnet, CarnetMedia
from .references import check_author_sees

#: What a person writes directly; level, editors and version have their own rules.
EDITABLE = ("title", "subtitle", "cover", "credits", "themes", "territory", "story", "blocks")
#: Addresses the pages use under ``/publications/``: never a carnet's slug.
RESERVED_SLUGS = ("nouvelle", "oembed", "api")
#: Rows of the home and portal blocks.
BLOCK_SIZE = 6


def _empty_refusal() -> ValidationError:
    return ValidationError(
        {
            "level": _(
                "Un carnet vide ne peut pas être partagé : ajoutez au moins un bloc de texte, "
                "de photos, de carte ou de fiches avant de le partager."
            )
        }
    )


def _check_cover(carnet: Carnet, cover: CarnetMedia | int | None) -> CarnetMedia | None:
    if cover in (None, ""):
        return None
    pk = cover.pk if isinstance(cover, CarnetMedia) else cover
    found = CarnetMedia.objects.filter(
        pk=pk, carnet_id=carnet.pk, kind=CarnetMedia.Kind.IMAGE
    ).first()
    if found is None:
        raise ValidationError({"cover": _("La couverture est une image déposée dans ce carnet.")})
    return found


@transaction.atomic
def create_carnet(
    actor: User,
    group: Group,
    *,
    title: str,
    level: str = Level.UTILISATEUR,
    blocks: list | None = None,
    **fields: Any,
) -> Carnet:
    """A new carnet of ``group``; the actor must be contributeur+ there. Its blocks may only
    point to what the actor sees; an empty carnet stays private."""
    if not can(actor, group, Capability.CREATE):
        raise NotAllowed(
            _("Il faut être contributeur du groupe « %(group)s » pour y écrire un carnet.")
            % {"group": group.name}
        )
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: _("Champ inconnu.") for name in sorted(unknown)})
    fields.pop("cover", None)  # an upload belongs to a carnet that exists first
    cleaned = block_schema.clean_blocks(blocks or [])
    carnet = Carnet(
        group=group,
        author=actor,
        title=title,
        slug=free_slug(
            Carnet.objects.all(), title, default="carnet", reserved=RESERVED_SLUGS, length=90
        ),
        blocks=cleaned,
        **fields,
    )
    check_author_sees(actor, carnet, cleaned)
    if level != Level.UTILISATEUR and block_schema.is_empty(cleaned):
        raise _empty_refusal()
    sharing.apply_level(actor, carnet, level)
    carnet.full_clean()
    carnet.save()
    sharing.announce_waiting(actor, carnet)
    return carnet


@transaction.atomic
def update_carnet(
    actor: User, carnet: Carnet, changes: dict[str, Any], *, version: int | None
) -> Carnet:
    """Change what ``actor`` may edit. ``version`` is the one the client's copy was made
    from: when someone saved in between, :class:`Conflict` (HTTP 409) and nothing is
    written, so the client keeps its text and can merge."""
    if version is None:
        raise ValidationError(
            {"version": _("Indiquez la version du carnet sur laquelle porte la modification.")}
        )
    locked = Carnet.objects.select_for_update().get(pk=carnet.pk)
    if locked.version != version:
        raise Conflict(
            _(
                "Le carnet a été modifié entre-temps (version %(now)d, la vôtre est la "
                "%(yours)d) : rien n'a été enregistré. Rechargez le carnet dans un autre onglet, "
                "reportez-y vos changements (votre texte est conservé ici), puis enregistrez."
            )
            % {"now": locked.version, "yours": version}
        )
    changes = dict(changes)
    editors = changes.pop("editors", None)
    if "blocks" in changes:
        changes["blocks"] = block_schema.clean_blocks(changes["blocks"])
        check_author_sees(actor, locked, changes["blocks"])
    if "cover" in changes:
        changes["cover"] = _check_cover(locked, changes["cover"])
    level = changes.get("level", locked.level)
    if level != Level.UTILISATEUR and block_schema.is_empty(changes.get("blocks", locked.blocks)):
        raise _empty_refusal()
    changes["version"] = locked.version + 1
    updated = sharing.update(
        actor,
        locked,
        changes,
        editable=(*EDITABLE, "version"),
        refusal=_("Seuls les auteurs du carnet et les animateurs du groupe le modifient."),
    )
    if editors is not None:
        set_editors(actor, updated, editors)
    return updated


def set_editors(actor: User, carnet: Carnet, usernames: list[str]) -> None:
    """The animateurs decide who co-writes a carnet: contributeurs (or more) of its group."""
    wanted = sorted(set(usernames))
    if wanted == sorted(carnet.editors.values_list("username", flat=True)):
        return
    if not can(actor, carnet.group, Capability.EDIT_ANY):
        raise NotAllowed(_("Seul un animateur du groupe choisit les co-auteurs d'un carnet."))
    people = list(
        User.objects.filter(
            username__in=wanted,
            memberships__group=carnet.group,
            memberships__state=Membership.State.ACTIVE,
            memberships__role__in=roles_with(Capability.CREATE),
        ).distinct()
    )
    missing = set(wanted) - {p.username for p in people}
    if missing:
        raise ValidationError(
            {
                "editors": _(
                    "Ne sont pas contributeurs du groupe : %(names)s (un co-auteur doit "
                    "pouvoir y écrire)."
                )
                % {"names": ", ".join(sorted(missing))}
            }
        )
    carnet.editors.set(people)


def delete_carnet(actor: User, carnet: Carnet) -> None:
    sharing.delete(
        actor, carnet, refusal=_("Seuls les auteurs du carnet et les animateurs le suppriment.")
    )


@transaction.atomic
def share(actor: User, carnet: Carnet, level: str) -> Carnet:
    """The author moves the carnet between levels; an empty one is never shared."""
    if level != Level.UTILISATEUR and block_schema.is_empty(carnet.blocks):
        raise _empty_refusal()
    return sharing.share(
        actor, carnet, level, refusal=_("Seul l'auteur du carnet peut le partager.")
    )


def validate(actor: User, carnet: Carnet) -> Carnet:
    return sharing.validate(
        actor,
        carnet,
        not_animateur=_("Seul un animateur du groupe peut valider un carnet."),
        not_waiting=_(
            "Ce carnet n'attend pas de validation (déjà validé ou non partagé au-delà du groupe)."
        ),
    )


def visible_carnets(user, group: Group | None = None) -> QuerySet:
    """The carnets ``user`` may see (of ``group``), most recently changed first."""
    carnets = Carnet.objects.visible_to(user).select_related("group", "author", "cover")
    if group is not None:
        carnets = carnets.filter(group=group)
    return carnets.order_by("-updated_at", "-id")
