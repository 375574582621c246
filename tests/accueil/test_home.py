"""The home page shows the platform to whoever comes: what it lists comes from
``visible_to(viewer)``, every list is bounded, and the page reads as many SQL queries with
5,000 resources as with 50."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from importers.models import ImportJob
from layers.models import Layer
from observatoire.kinds import Base, Kind
from observatoire.models import Resource
from tests.factories import GroupFactory, ResourceFactory
from tests.layers.maps_fixtures import make_map
from tests.pages.test_bounded import MAX_BYTES, MAX_QUERIES, seed
from workgroups.models import Group
from workgroups.roles import Level


@pytest.fixture
def platform(cast):
    public = ResourceFactory(
        title="Beffroi de Douai",
        summary="Un beffroi classé.",
        group=cast.group,
        author=cast["author"],
        level=Level.PUBLIC,
        validated_at=timezone.now(),
    )
    in_group = ResourceFactory(
        title="Note interne du groupe", group=cast.group, author=cast["author"], level=Level.GROUPE
    )
    layer = Layer.objects.create(name="Marqueurs", base=Base.OBSERVATOIRE, kinds=[Kind.MARQUEUR])
    make_map(
        cast,
        layer,
        "carte-pub",
        "Carte des beffrois",
        level=Level.PUBLIC,
        validated_at=timezone.now(),
    )
    make_map(cast, layer, "carte-groupe", "Carte de travail", level=Level.GROUPE)
    GroupFactory(slug="ors", name="Commune d'Ors", family=Group.Family.PROJET)
    return public, in_group


def test_anonymous_sees_the_public_platform(client, cast, platform):
    body = client.get("/").content.decode()
    assert 'role="search"' in body and 'action="/recherche/"' in body and 'name="q"' in body
    assert "Beffroi de Douai" in body and "Note interne du groupe" not in body
    assert "Carte des beffrois" in body and "Carte de travail" not in body
    assert 'href="/portails/ors/"' in body and "Commune d&#x27;Ors" in body
    assert 'href="/cartes/"' in body and 'href="/portails/"' in body
    # counts per base: one public observatoire resource, nothing elsewhere
    assert "<strong>1</strong> <span>Observatoire</span>" in body
    assert "<strong>0</strong> <span>Médiathèque</span>" in body
    # the map draws the same resources the cards list
    assert 'id="geometrie"' in body and "Note interne" not in body
    for landmark in ("<main", "<nav", "<header", "<footer", "<h1", 'for="accueil-q"'):
        assert landmark in body


def test_a_member_also_sees_the_group_level_items(client, cast, platform):
    client.force_login(cast["lecteur"])
    body = client.get("/").content.decode()
    assert "Beffroi de Douai" in body and "Note interne du groupe" in body
    assert "Carte de travail" in body
    assert "<strong>2</strong> <span>Observatoire</span>" in body


def test_groups_link_to_their_group_page_without_portals(client, cast, platform, monkeypatch):
    from django.apps import apps

    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "portals" and real(name))
    body = client.get("/").content.decode()
    assert 'href="/groupes/ors/"' in body and 'href="/groupes/"' in body
    assert 'href="/portails/ors/"' not in body


def test_the_home_page_is_bounded_at_5000_rows(client, cast, django_assert_max_num_queries):
    job = ImportJob.objects.create(source="merimee", group=cast.group, created_by=cast["animateur"])
    seed(cast, job, 0, 50)
    Resource.objects.update(validated_at=timezone.now())

    def measure(person) -> tuple[int, int]:
        client.logout()
        if person is not None:
            client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200
        return len(queries), len(response.content)

    people = (None, cast["animateur"])
    small = [measure(person) for person in people]
    seed(cast, job, 50, 4950)
    Resource.objects.update(validated_at=timezone.now())
    assert Resource.objects.count() == 5000
    large = [measure(person) for person in people]
    for (queries, _), (big_queries, size) in zip(small, large, strict=True):
        assert big_queries == queries and big_queries <= MAX_QUERIES, (small, large)
        assert size < MAX_BYTES, large
    with django_assert_max_num_queries(MAX_QUERIES):
        body = client.get("/").content.decode()
    assert body.count('<h3><a href="/ressources/') == 12
