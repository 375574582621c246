"""Groups: directory by family, group page (with the leak matrix on its latest resources),
joining flows and the animateurs' tools, each right checked."""

from __future__ import annotations

import html

import pytest

from tests.conftest import ACTORS
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.ui.matrix import STATES, client_for, expected_for, make_states
from workgroups.models import Group, Membership
from workgroups.roles import Role

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_directory_groups_by_family_with_member_counts(client, cast):
    GroupFactory(name="CAUE du Nord", family=Group.Family.ACTEUR)
    body = page(client.get("/groupes/"))
    assert body.index("Acteur") < body.index("CAUE du Nord") < body.index("Thème")
    assert "5 membres" in body  # the cast group: lecteur, contributeur, expert, animateur, author


@pytest.mark.parametrize("actor", ACTORS)
def test_group_page_lists_only_visible_resources(client, cast, actor):
    make_states(cast)
    body = page(client_for(client, cast, actor).get(f"/groupes/{cast.group.slug}/"))
    listed = {state for state in STATES if f"Clocher {state}" in body}
    assert listed == expected_for(actor)


def test_joining_an_open_group_is_immediate_as_contributeur(client):
    """Open groups gather contributions: who joins may add resources at once."""
    group = GroupFactory(join_mode=Group.JoinMode.LIBRE)
    user = UserFactory()
    client.force_login(user)
    client.post(f"/groupes/{group.slug}/rejoindre/")
    membership = Membership.objects.get(user=user, group=group)
    assert (membership.state, membership.role) == (Membership.State.ACTIVE, Role.CONTRIBUTEUR)


def test_request_then_animateur_approves(client, cast):
    user = UserFactory()
    client.force_login(user)
    response = client.post(f"/groupes/{cast.group.slug}/rejoindre/", follow=True)
    assert "Demande envoyée" in page(response)
    membership = Membership.objects.get(user=user, group=cast.group)
    assert membership.state == Membership.State.REQUESTED
    client.force_login(cast["animateur"])
    assert user.username in page(client.get("/mon-espace/"))
    client.post(f"/groupes/{cast.group.slug}/membres/{membership.pk}/accepter/")
    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE


@pytest.mark.parametrize("actor", ["lecteur", "contributeur", "expert", "other_animateur"])
def test_only_the_groups_animateur_approves_or_refuses(client, cast, actor):
    membership = MembershipFactory(group=cast.group, state=Membership.State.REQUESTED)
    client.force_login(cast[actor])
    response = client.post(
        f"/groupes/{cast.group.slug}/membres/{membership.pk}/accepter/", follow=True
    )
    assert "Vous n'avez pas les droits nécessaires" in page(response)
    client.post(f"/groupes/{cast.group.slug}/membres/{membership.pk}/refuser/")
    membership.refresh_from_db()
    assert membership.state == Membership.State.REQUESTED


def test_invitation_by_email_then_accept(client, cast):
    guest = UserFactory(email="invitee@exemple.org")
    client.force_login(cast["animateur"])
    client.post(
        f"/groupes/{cast.group.slug}/inviter/",
        {"person": "invitee@exemple.org", "role": Role.CONTRIBUTEUR},
    )
    membership = Membership.objects.get(user=guest, group=cast.group)
    assert membership.state == Membership.State.INVITED
    client.force_login(guest)
    assert "Accepter l'invitation" in page(client.get(f"/groupes/{cast.group.slug}/"))
    client.post(f"/groupes/{cast.group.slug}/accepter/")
    membership.refresh_from_db()
    assert (membership.state, membership.role) == (Membership.State.ACTIVE, Role.CONTRIBUTEUR)


def test_invite_unknown_person_or_without_right_writes_nothing(client, cast):
    client.force_login(cast["animateur"])
    response = client.post(
        f"/groupes/{cast.group.slug}/inviter/",
        {"person": "personne", "role": "lecteur"},
        follow=True,
    )
    assert "Aucun compte ne correspond à « personne »" in page(response)
    guest = UserFactory(username="invite")
    client.force_login(cast["contributeur"])
    client.post(f"/groupes/{cast.group.slug}/inviter/", {"person": "invite", "role": "lecteur"})
    assert not Membership.objects.filter(user=guest).exists()


def test_invitation_only_group_refuses_requests(client):
    group = GroupFactory(join_mode=Group.JoinMode.INVITATION)
    client.force_login(UserFactory())
    response = client.post(f"/groupes/{group.slug}/rejoindre/", follow=True)
    assert "que sur invitation" in page(response)
    assert not Membership.objects.filter(group=group).exists()


def _change_role(client, cast, actor: str, role: str) -> tuple[Membership, str]:
    """The animateur posts ``role`` for ``actor``'s membership: the membership after, and the
    page the post leads to."""
    client.force_login(cast["animateur"])
    membership = Membership.objects.get(user=cast[actor], group=cast.group)
    response = client.post(
        f"/groupes/{cast.group.slug}/membres/{membership.pk}/role/", {"role": role}, follow=True
    )
    membership.refresh_from_db()
    return membership, page(response)


def test_animateur_changes_roles_but_never_removes_the_last_animateur(client, cast):
    lecteur, _ = _change_role(client, cast, "lecteur", "expert")
    assert lecteur.role == Role.EXPERT
    own, text = _change_role(client, cast, "animateur", "lecteur")
    assert "au moins un animateur" in text
    assert own.role == Role.ANIMATEUR


def test_members_tools_are_shown_to_animateurs_only(client, cast):
    client.force_login(cast["contributeur"])
    assert "outils d'animation" not in page(client.get(f"/groupes/{cast.group.slug}/"))
    client.force_login(cast["animateur"])
    assert "outils d'animation" in page(client.get(f"/groupes/{cast.group.slug}/"))


def test_unknown_role_is_refused(client, cast):
    lecteur, text = _change_role(client, cast, "lecteur", "roi")
    assert "Rôle inconnu" in text
    assert lecteur.role == Role.LECTEUR


def test_directory_pages_each_family_on_its_own(client, cast):
    """30 thème groups: 24 on the first page, the 6 others on the second; the other families
    keep their first page."""
    for i in range(30):
        GroupFactory(slug=f"theme-{i:02d}", name=f"Thème {i:02d}", family=Group.Family.THEME)
    first = html.unescape(client.get("/groupes/").content.decode())
    shown = {f"Thème {i:02d}" for i in range(30) if f">Thème {i:02d}</a>" in first}
    assert shown == {f"Thème {i:02d}" for i in range(24)}
    assert "?page-theme=2" in first and cast.group.name in first
    second = html.unescape(client.get("/groupes/?page-theme=2").content.decode())
    shown = {f"Thème {i:02d}" for i in range(30) if f">Thème {i:02d}</a>" in second}
    assert shown == {f"Thème {i:02d}" for i in range(24, 30)}
    assert cast.group.name in second  # its family's page is not moved by the other's
