"""Joining and managing groups. Views and commands call these; they never change memberships
themselves. Each function checks the actor's rights and raises a typed error otherwise."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import InvalidState, LastAnimateur, NotAllowed
from .events import Kind, Occurrence, announce
from .models import Group, Membership, User
from .permissions import can
from .roles import Capability, Role
from .visibility import visible_q


def _require(actor: User, group: Group, capability: str) -> None:
    if not can(actor, group, capability):
        raise NotAllowed()


def _activate(membership: Membership, approved_by: User | None = None) -> Membership:
    membership.state = Membership.State.ACTIVE
    membership.approved_by = approved_by
    membership.activated_at = timezone.now()
    membership.save()
    return membership


def _existing(user: User, group: Group) -> Membership | None:
    return Membership.objects.filter(user=user, group=group).first()


@transaction.atomic
def create_group(creator: User, **fields) -> Group:
    """Create a group whose creator is its first animateur."""
    group = Group.objects.create(**fields)
    _activate(Membership(user=creator, group=group, role=Role.ANIMATEUR))
    return group


@transaction.atomic
def invite(actor: User, group: Group, user: User, role: str = Role.LECTEUR) -> Membership:
    """An animateur invites someone; the invitation waits for the person to accept it."""
    _require(actor, group, Capability.MANAGE_MEMBERS)
    membership = _existing(user, group)
    if membership is not None and membership.state == Membership.State.ACTIVE:
        raise InvalidState(_("Cette personne est déjà membre du groupe."))
    if membership is not None and membership.state == Membership.State.REQUESTED:
        membership.role = role
        announce(Occurrence(Kind.JOIN_APPROVED, actor, group, membership, person=user))
        return _activate(membership, approved_by=actor)
    membership = membership or Membership(user=user, group=group)
    membership.role = role
    membership.state = Membership.State.INVITED
    membership.invited_by = actor
    membership.save()
    announce(Occurrence(Kind.INVITED, actor, group, membership, person=user))
    return membership


@transaction.atomic
def accept_invitation(user: User, group: Group) -> Membership:
    membership = _existing(user, group)
    if membership is None or membership.state != Membership.State.INVITED:
        raise InvalidState(_("Aucune invitation en attente pour ce groupe."))
    return _activate(membership, approved_by=membership.invited_by)


@transaction.atomic
def request_to_join(user: User, group: Group) -> Membership:
    """Join an open group at once, or ask to join a group whose animateurs validate requests.

    An open group exists to gather contributions: who joins it may contribute at once (their
    resources still need an animateur's validation to go beyond the group)."""
    membership = _existing(user, group)
    if membership is not None and membership.state == Membership.State.ACTIVE:
        raise InvalidState(_("Vous êtes déjà membre de ce groupe."))
    if membership is not None and membership.state == Membership.State.INVITED:
        return _activate(membership, approved_by=membership.invited_by)
    if group.join_mode == Group.JoinMode.INVITATION:
        raise NotAllowed(_("Ce groupe n'accepte de nouveaux membres que sur invitation."))
    membership = membership or Membership(user=user, group=group, role=Role.LECTEUR)
    if group.join_mode == Group.JoinMode.LIBRE:
        membership.role = Role.CONTRIBUTEUR
        return _activate(membership)
    membership.state = Membership.State.REQUESTED
    membership.save()
    announce(Occurrence(Kind.JOIN_REQUESTED, user, group, membership, person=user))
    return membership


@transaction.atomic
def approve(actor: User, membership: Membership) -> Membership:
    _require(actor, membership.group, Capability.MANAGE_MEMBERS)
    if membership.state != Membership.State.REQUESTED:
        raise InvalidState(_("Cette demande d'adhésion n'est pas en attente."))
    announce(
        Occurrence(Kind.JOIN_APPROVED, actor, membership.group, membership, person=membership.user)
    )
    return _activate(membership, approved_by=actor)


@transaction.atomic
def refuse(actor: User, membership: Membership) -> None:
    _require(actor, membership.group, Capability.MANAGE_MEMBERS)
    if membership.state != Membership.State.REQUESTED:
        raise InvalidState(_("Cette demande d'adhésion n'est pas en attente."))
    announce(Occurrence(Kind.JOIN_REFUSED, actor, membership.group, person=membership.user))
    membership.delete()


def _other_animateurs(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            group_id=membership.group_id, role=Role.ANIMATEUR, state=Membership.State.ACTIVE
        )
        .exclude(pk=membership.pk)
        .select_for_update()
        .exists()
    )


@transaction.atomic
def change_role(actor: User, membership: Membership, role: str) -> Membership:
    _require(actor, membership.group, Capability.MANAGE_MEMBERS)
    if role not in Role.values:
        raise InvalidState(_("Rôle inconnu : %(role)s.") % {"role": role})
    demoting = membership.role == Role.ANIMATEUR and role != Role.ANIMATEUR
    if demoting and not _other_animateurs(membership):
        raise LastAnimateur()
    changed = membership.role != role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    if changed:
        announce(
            Occurrence(Kind.ROLE_CHANGED, actor, membership.group, membership, membership.user)
        )
    return membership


@transaction.atomic
def leave(user: User, group: Group) -> None:
    membership = _existing(user, group)
    if membership is None:
        raise InvalidState(_("Vous n'êtes pas membre de ce groupe."))
    if (
        membership.role == Role.ANIMATEUR
        and membership.state == Membership.State.ACTIVE
        and not _other_animateurs(membership)
    ):
        raise LastAnimateur()
    membership.delete()


def groups_with_counts(user: User | AnonymousUser | None) -> QuerySet:
    """Every group with ``resource_count``: how many of its resources ``user`` may see (one
    query; the count obeys the visibility rule like every list)."""
    return Group.objects.annotate(
        resource_count=Count("resources", filter=visible_q(user, prefix="resources__"))
    )


def members_of(actor: User, group: Group) -> QuerySet:
    """The group's memberships as ``actor`` may see them: active members for members,
    pending requests and invitations too for those who manage members."""
    if not can(actor, group, Capability.VIEW):
        raise NotAllowed(_("Seuls les membres du groupe en voient la liste."))
    memberships = group.memberships.select_related("user").order_by("user__username")
    if not can(actor, group, Capability.MANAGE_MEMBERS):
        memberships = memberships.filter(state=Membership.State.ACTIVE)
    return memberships
