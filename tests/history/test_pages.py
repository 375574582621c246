"""The « Historique » tab reads as a diff, restores from the page, and the group's audit
lists memberships and sharing for its animateurs only."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from history.services import versions_of
from observatoire.models import Resource
from workgroups import services as group_services
from workgroups.roles import Level, Role

from ..factories import GroupFactory, MembershipFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    group = GroupFactory(slug="atelier", name="Atelier")
    anim = MembershipFactory(group=group, role=Role.ANIMATEUR, user=UserFactory(username="an")).user
    author = MembershipFactory(
        group=group, role=Role.CONTRIBUTEUR, user=UserFactory(username="co")
    ).user
    resource = ResourceFactory(
        group=group, author=author, level=Level.GROUPE, title="Moulin", summary="<b>vieux</b>"
    )
    return group, anim, author, resource


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_diff_escaped_geometry_map_and_restore(scene):
    _group, anim, author, resource = scene
    client = _client(author)
    resource.title = "Moulin <script>alert(1)</script>"
    resource.geom = Point(2.5, 46.5, srid=4326)
    resource.save()
    page = client.get(f"/ressources/{resource.pk}/historique/").content.decode()
    assert "Moulin &lt;script&gt;" in page and "<script>alert(1)" not in page
    assert "&lt;b&gt;vieux" in page
    assert 'class="map history-map"' in page and "history-geometries" in page
    assert "Restaurer la version" not in page  # the author is no animateur

    first = versions_of(resource).last()
    anim_page = _client(anim).get(f"/ressources/{resource.pk}/historique/").content.decode()
    assert f"/historique/{first.pgh_id}/restaurer/" in anim_page
    refused = client.post(f"/ressources/{resource.pk}/historique/{first.pgh_id}/restaurer/")
    assert refused.status_code == 403
    done = _client(anim).post(f"/ressources/{resource.pk}/historique/{first.pgh_id}/restaurer/")
    assert done.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Moulin"
    newest = versions_of(resource).first()
    assert newest.pgh_context["restored_from"] == first.pgh_id
    assert newest.pgh_context["user"] == anim.pk
    assert versions_of(resource).count() == 3


def test_pages_are_paginated(scene):
    _group, _anim, author, resource = scene
    for n in range(25):
        Resource.objects.filter(pk=resource.pk).update(title=f"Moulin {n}")
    page = _client(author).get(f"/ressources/{resource.pk}/historique/").content.decode()
    assert page.count('class="history-version"') == 10
    assert "?page=2" in page


def test_group_audit(scene):
    group, anim, author, resource = scene
    newcomer = UserFactory(username="nouveau")
    group_services.invite(anim, group, newcomer, Role.LECTEUR)
    hidden = ResourceFactory(group=group, author=author, level=Level.GROUPE, title="Secret")
    hidden.level = Level.UTILISATEUR  # private now: its events leave the animateur's audit
    hidden.save()
    resource.level = Level.PUBLIC
    resource.save()
    page = _client(anim).get("/groupes/atelier/journal/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "nouveau est invité(e)" in text
    assert "Moulin" in text and "Secret" not in text
    assert _client(author).get("/groupes/atelier/journal/").status_code == 403
    settings_page = _client(anim).get("/groupes/atelier/parametres/").content.decode()
    assert "/groupes/atelier/journal/" in settings_page


def test_api_versions_say_when_who_and_what(scene):
    _group, anim, author, resource = scene
    client = _client(author)
    resource.title = "Moulin à vent"
    resource.save()
    patched = client.patch(  # a write request: its user is the version's « by »
        f"/api/v1/resources/{resource.pk}/",
        {"properties": {"summary": "Restauré en 2020"}},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    data = _client(anim).get(f"/api/v1/resources/{resource.pk}/history/").json()
    versions = data["results"]
    assert [v["action"] for v in versions][-1] == "insert"
    assert all({"version", "at", "by", "changes"} <= set(v) for v in versions)
    title_change = next(v for v in versions if any(c["field"] == "title" for c in v["changes"]))
    change = next(c for c in title_change["changes"] if c["field"] == "title")
    assert (change["before"], change["after"]) == ("Moulin", "Moulin à vent")
    newest = versions[0]
    assert newest["by"] == "co" and newest["at"]
    assert [c["field"] for c in newest["changes"]] == ["summary"]
    restored = _client(anim).post(
        f"/api/v1/resources/{resource.pk}/history/{versions[-1]['version']}/restore/"
    )
    assert restored.status_code == 201 and restored.json()["by"] == "an"
    assert restored.json()["restored_from"] == versions[-1]["version"]
