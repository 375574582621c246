"""The discussion of a thing follows the thing's one rule: for each actor and each sharing
state, the comments (API and page) are readable exactly where the resource is visible, and a
404 elsewhere — reading, posting, replying, following alike."""

from __future__ import annotations

import pytest
from django.test import Client

from discussion import services
from discussion.models import Comment
from layers.models import Map
from observatoire.models import Resource

from ..api.conftest import EXPECTED_VISIBLE
from ..conftest import ACTORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussed(cast, states):
    for state, resource in states.items():
        services.post(cast["author"], resource, f"Remarque secrète {state}")
    return states


@pytest.mark.parametrize("actor", ACTORS)
def test_comments_api_follows_the_rule(cast, discussed, client_for, actor):
    api = client_for(actor)
    for state, resource in discussed.items():
        visible = state in EXPECTED_VISIBLE[actor]
        assert Resource.objects.visible_to(cast[actor]).filter(pk=resource.pk).exists() == visible
        got = api.get(f"/api/v1/resources/{resource.pk}/comments/")
        if not visible:
            assert got.status_code == 404
            assert "secrète" not in got.content.decode()
        else:
            assert got.status_code == 200
            assert [c["body"] for c in got.json()["results"]] == [f"Remarque secrète {state}"]
        posted = api.post(
            f"/api/v1/resources/{resource.pk}/comments/", {"body": "Moi aussi"}, format="json"
        )
        if not cast[actor].is_authenticated:
            assert posted.status_code in (401, 403)
        else:
            assert posted.status_code == (201 if visible else 404)
    written = Comment.objects.filter(body="Moi aussi").count()
    assert written == (len(EXPECTED_VISIBLE[actor]) if cast[actor].is_authenticated else 0)


@pytest.mark.parametrize("actor", ACTORS)
def test_pages_and_forms_follow_the_rule(cast, discussed, actor):
    client = Client()
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])
    for state, resource in discussed.items():
        visible = state in EXPECTED_VISIBLE[actor]
        page = client.get(f"/ressources/{resource.pk}/")
        assert (f"Remarque secrète {state}" in page.content.decode()) == visible
        comment = Comment.objects.get(body=f"Remarque secrète {state}")
        url = f"/discussion/observatoire.resource/{resource.pk}/"
        for path, data in [
            ("commenter/", {"body": "Réponse", "parent": comment.pk}),
            ("suivre/", {"suivre": "1"}),
        ]:
            answer = client.post(url + path, data)
            if not cast[actor].is_authenticated:
                assert answer.status_code == 302 and "/connexion" in answer["Location"]
            else:
                assert answer.status_code == (302 if visible else 404)


def test_map_discussion_on_the_map_page(cast):
    carte = Map.objects.create(
        title="Carte du groupe",
        slug="carte-du-groupe",
        group=cast.group,
        author=cast["animateur"],
        level="groupe",
    )
    services.post(cast["lecteur"], carte, "Belle carte")
    member = Client()
    member.force_login(cast["expert"])
    assert "Belle carte" in member.get("/cartes/carte-du-groupe/").content.decode()
    outsider = Client()
    outsider.force_login(cast["account"])
    assert outsider.get("/cartes/carte-du-groupe/").status_code == 404
    assert (
        outsider.post(
            f"/discussion/layers.map/{carte.pk}/commenter/", {"body": "Je vois ?"}
        ).status_code
        == 404
    )


def test_carnet_discussion_on_the_carnet_page(cast):
    """Carnets registered by ``publications``: their comments follow the carnet's one rule."""
    from publications.models import Carnet

    carnet = Carnet.objects.create(
        title="Carnet du groupe",
        slug="carnet-du-groupe",
        group=cast.group,
        author=cast["animateur"],
        level="groupe",
        blocks=[{"type": "text", "markdown": "Un texte."}],
    )
    services.post(cast["lecteur"], carnet, "Beau carnet")
    member = Client()
    member.force_login(cast["expert"])
    page = member.get("/publications/carnet-du-groupe/").content.decode()
    assert "Beau carnet" in page
    assert member.post(
        f"/discussion/publications.carnet/{carnet.pk}/commenter/", {"body": "Merci"}
    ).status_code in (302, 303)
    outsider = Client()
    outsider.force_login(cast["account"])
    assert outsider.get("/publications/carnet-du-groupe/").status_code == 404
    assert (
        outsider.post(
            f"/discussion/publications.carnet/{carnet.pk}/commenter/", {"body": "Je vois ?"}
        ).status_code
        == 404
    )
    assert "Beau carnet" not in Client().get("/publications/carnet-du-groupe/").content.decode()
