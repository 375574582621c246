"""Joining and managing groups through the services, with their role rules."""

import pytest

from workgroups import services
from workgroups.errors import InvalidState, LastAnimateur, NotAllowed
from workgroups.models import Group, Membership
from workgroups.roles import Role

from ..factories import GroupFactory, MembershipFactory, UserFactory


@pytest.fixture
def animateur(db):
    return UserFactory(username="animatrice")


def _group(animateur, join_mode):
    return services.create_group(
        animateur,
        name=f"Groupe {join_mode}",
        slug=f"g-{join_mode}",
        family=Group.Family.THEME,
        join_mode=join_mode,
    )


def test_creator_becomes_the_first_animateur(animateur):
    """Whoever creates a group animates it."""
    group = _group(animateur, Group.JoinMode.LIBRE)
    membership = Membership.objects.get(group=group)
    assert (membership.user, membership.role, membership.state) == (
        animateur,
        Role.ANIMATEUR,
        Membership.State.ACTIVE,
    )


def test_open_group_is_joined_at_once(animateur):
    """An open (libre) group makes the person an active contributeur immediately (the issue's
    "sign up, join an open group, add a resource" flow)."""
    group = _group(animateur, Group.JoinMode.LIBRE)
    membership = services.request_to_join(UserFactory(), group)
    assert (membership.state, membership.role) == (Membership.State.ACTIVE, Role.CONTRIBUTEUR)


def test_request_waits_for_an_animateur(animateur):
    """In a « demande » group the request waits; an animateur approves it."""
    group = _group(animateur, Group.JoinMode.DEMANDE)
    person = UserFactory()
    membership = services.request_to_join(person, group)
    assert membership.state == Membership.State.REQUESTED
    with pytest.raises(NotAllowed):
        services.approve(person, membership)
    services.approve(animateur, membership)
    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE
    assert membership.approved_by == animateur


def test_refused_request_is_removed(animateur):
    group = _group(animateur, Group.JoinMode.DEMANDE)
    membership = services.request_to_join(UserFactory(), group)
    services.refuse(animateur, membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_invitation_only_group(animateur):
    """An invitation-only group refuses requests; an invitation, once accepted, is active."""
    group = _group(animateur, Group.JoinMode.INVITATION)
    person = UserFactory()
    with pytest.raises(NotAllowed) as error:
        services.request_to_join(person, group)
    assert "invitation" in error.value.message
    services.invite(animateur, group, person, Role.CONTRIBUTEUR)
    membership = services.accept_invitation(person, group)
    assert (membership.state, membership.role) == (Membership.State.ACTIVE, Role.CONTRIBUTEUR)
    assert membership.approved_by == animateur


@pytest.mark.parametrize("role", [Role.LECTEUR, Role.CONTRIBUTEUR, Role.EXPERT])
def test_only_animateurs_invite_or_change_roles(animateur, role):
    """Below animateur, managing members is refused."""
    group = _group(animateur, Group.JoinMode.DEMANDE)
    member = MembershipFactory(group=group, role=role)
    with pytest.raises(NotAllowed):
        services.invite(member.user, group, UserFactory())
    with pytest.raises(NotAllowed):
        services.change_role(member.user, member, Role.ANIMATEUR)


def test_group_keeps_at_least_one_animateur(animateur):
    """The last animateur can neither leave nor be demoted; with a second one, both can."""
    group = _group(animateur, Group.JoinMode.DEMANDE)
    own = Membership.objects.get(group=group, user=animateur)
    with pytest.raises(LastAnimateur):
        services.leave(animateur, group)
    with pytest.raises(LastAnimateur):
        services.change_role(animateur, own, Role.EXPERT)
    second = MembershipFactory(group=group, role=Role.ANIMATEUR)
    services.change_role(second.user, own, Role.EXPERT)
    own.refresh_from_db()
    assert own.role == Role.EXPERT


def test_double_join_and_unknown_role_are_refused(animateur):
    group = _group(animateur, Group.JoinMode.LIBRE)
    person = UserFactory()
    services.request_to_join(person, group)
    with pytest.raises(InvalidState):
        services.request_to_join(person, group)
    membership = Membership.objects.get(user=person, group=group)
    with pytest.raises(InvalidState):
        services.change_role(animateur, membership, "chef")


def test_leaving_removes_access(animateur):
    group = GroupFactory()
    member = MembershipFactory(group=group)
    services.leave(member.user, group)
    assert not Membership.objects.filter(user=member.user, group=group).exists()
