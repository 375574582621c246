"""Mentions, follows, notifications, edit/delete, moderation, sanitized text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from discussion import services
from notifications.models import Notification
from workgroups.errors import NotAllowed
from workgroups.events import Kind
from workgroups.roles import Level, Role

from ..factories import GroupFactory, MembershipFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    group = GroupFactory(slug="atelier")
    people = {
        name: MembershipFactory(group=group, role=role, user=UserFactory(username=name)).user
        for name, role in [
            ("anim", Role.ANIMATEUR),
            ("contrib", Role.CONTRIBUTEUR),
            ("expert", Role.EXPERT),
            ("lect", Role.LECTEUR),
        ]
    }
    people["dehors"] = UserFactory(username="dehors")
    resource = ResourceFactory(group=group, author=people["contrib"], level=Level.GROUPE)
    return group, people, resource


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_mentions_notify_members_only_and_comments_notify_author_and_followers(scene):
    _group, p, resource = scene
    services.set_follow(p["lect"], resource, True)
    services.post(p["expert"], resource, "Voyez @contrib, @dehors et @personne : @Anim aussi.")
    assert _kinds(p["contrib"]) == [Kind.MENTIONED]  # the author, mentioned: one notification
    assert _kinds(p["anim"]) == [Kind.MENTIONED]
    assert _kinds(p["lect"]) == [Kind.COMMENTED]  # a follower
    assert _kinds(p["dehors"]) == []  # not a member: nothing, and nothing says so
    assert _kinds(p["expert"]) == []  # not told of one's own comment
    services.post(p["contrib"], resource, "Merci")
    assert Kind.COMMENTED in _kinds(p["expert"])  # commenting follows the discussion


def test_private_thing_mentions_nobody(scene):
    group, p, _resource = scene
    private = ResourceFactory(group=group, author=p["contrib"], level=Level.UTILISATEUR)
    services.post(p["contrib"], private, "Note pour @anim")
    assert _kinds(p["anim"]) == []  # the animateur does not see a private resource


def test_edit_delete_own_and_moderation(scene):
    _group, p, resource = scene
    comment = services.post(p["expert"], resource, "Premier jet")
    with pytest.raises(NotAllowed):
        services.edit(p["contrib"], comment, "Pas à moi")
    services.edit(p["expert"], comment, "Version revue")
    with pytest.raises(NotAllowed):
        services.hide(p["expert"], resource, comment, "hors sujet")
    with pytest.raises(ValidationError):
        services.hide(p["anim"], resource, comment, "  ")
    services.hide(p["anim"], resource, comment, "Hors sujet")
    lect = Client()
    lect.force_login(p["lect"])
    page = lect.get(f"/ressources/{resource.pk}/").content.decode()
    assert "Version revue" not in page and "Hors sujet" in page
    reply = services.post(p["lect"], resource, "Je réponds", parent=comment)
    assert reply.parent == comment
    nested = services.post(p["anim"], resource, "Et moi", parent=reply)
    assert nested.parent == comment  # one level of replies
    with pytest.raises(NotAllowed):
        services.delete(p["anim"], reply)
    services.delete(p["lect"], reply)
    reply.refresh_from_db()
    assert reply.body == "" and reply.deleted_at is not None


def test_text_is_sanitized_and_bad_input_is_refused(scene):
    _group, p, resource = scene
    client = Client()
    client.force_login(p["expert"])
    url = f"/discussion/observatoire.resource/{resource.pk}/commenter/"
    client.post(url, {"body": "<script>alert(1)</script> [x](javascript:alert(1)) **gras**"})
    page = client.get(f"/ressources/{resource.pk}/").content.decode()
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page
    assert "<strong>gras</strong>" in page
    answer = client.post(url, {"body": "   "}, follow=True)
    assert "Le commentaire est vide." in answer.content.decode()
    api = client.post(
        f"/api/v1/resources/{resource.pk}/comments/",
        {"body": "x" * 6000},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert client.post("/discussion/inconnu.modele/1/commenter/", {"body": "a"}).status_code == 404


def test_notification_reads_and_leads_to_the_thing(scene):
    _group, p, resource = scene
    services.post(p["expert"], resource, "Bonjour @contrib")
    client = Client()
    client.force_login(p["contrib"])
    page = client.get("/mon-espace/notifications/").content.decode()
    assert "expert vous mentionne dans un commentaire" in page
    assert f"/ressources/{resource.pk}/" in page
