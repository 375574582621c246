"""Links between an activité and observatoire/médiathèque resources: REST ``links`` (write
and read), ``linked_from`` the other way, the web form, and the leak matrix."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from rest_framework.test import APIClient

from observatoire.models import Resource
from workgroups.roles import Level

from ..conftest import ACTORS
from ..ui.matrix import expected_for, make_states, resource_in_state

pytestmark = pytest.mark.django_db


def _api(cast, actor: str) -> APIClient:
    client = APIClient()
    if cast[actor].is_authenticated:
        client.force_authenticate(cast[actor])
    return client


def _activite(cast, level=Level.PUBLIC, validated=True, **fields) -> Resource:
    return resource_in_state(
        cast, level, validated, base="activite", kind="formation", title="Formation", **fields
    )


def _feature(links, title="Visite de chantier"):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [3.0573, 50.6292]},
        "properties": {
            "title": title,
            "base": "activite",
            "kind": "sensibilisation",
            "group": "groupe-matrice",
            "links": links,
            "attributes": {"partenaires": "Ville de Lille", "public_atteint": 40},
        },
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_links_both_ways_show_only_what_the_actor_sees(cast, actor):
    states = make_states(cast)
    activite = _activite(cast)
    activite.links.set(states.values())
    client = _api(cast, actor)
    by_id = {r.pk: name for name, r in states.items()}
    body = client.get(f"/api/v1/resources/{activite.pk}/").json()
    assert {by_id[i] for i in body["properties"]["links"]} == expected_for(actor)
    listed = client.get("/api/v1/resources/", {"base": "activite"}).json()["features"]
    assert {by_id[i] for i in listed[0]["properties"]["links"]} == expected_for(actor)
    for name, resource in states.items():
        response = client.get(f"/api/v1/resources/{resource.pk}/")
        if name in expected_for(actor):
            assert response.json()["properties"]["linked_from"] == [activite.pk]
        else:
            assert response.status_code == 404
    hidden = _activite(cast, level=Level.UTILISATEUR, validated=False)
    hidden.links.set(states.values())
    for name, resource in states.items():
        if name in expected_for(actor):
            linked_from = client.get(f"/api/v1/resources/{resource.pk}/").json()
            expected = [activite.pk, hidden.pk] if actor == "author" else [activite.pk]
            assert sorted(linked_from["properties"]["linked_from"]) == sorted(expected)


def test_write_links_refuses_what_the_writer_cannot_see(cast, territories):
    states = make_states(cast)
    client = _api(cast, "contributeur")
    visible = [states["groupe"].pk, states["public-valide"].pk]
    created = client.post("/api/v1/resources/", _feature(visible), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["properties"]["links"] == sorted(visible)
    assert created.json()["properties"]["communes"] == ["59350"]
    before = Resource.objects.count()
    hidden = states["privee"].pk  # the author's private resource
    refused = client.post(
        "/api/v1/resources/", _feature([states["groupe"].pk, hidden, 99999999]), format="json"
    )
    assert refused.status_code == 400
    message = str(refused.json())
    assert "que vous ne pouvez pas voir" in message and str(hidden) in message
    assert "99999999" in message
    assert Resource.objects.count() == before  # nothing half-written


def test_patch_keeps_the_links_the_editor_cannot_see(cast):
    states = make_states(cast)
    activite = _activite(cast)
    activite.links.set([states["privee"], states["groupe"]])
    response = _api(cast, "animateur").patch(
        f"/api/v1/resources/{activite.pk}/",
        {"properties": {"links": [states["public-valide"].pk]}},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["properties"]["links"] == [states["public-valide"].pk]
    assert set(activite.links.all()) == {states["privee"], states["public-valide"]}


def test_only_activites_link_to_observatoire_or_mediatheque(cast):
    states = make_states(cast)
    other = _activite(cast)
    client = _api(cast, "contributeur")
    response = client.post("/api/v1/resources/", _feature([other.pk]), format="json")
    assert response.status_code == 400
    assert "Observatoire ou de la Médiathèque" in str(response.json())
    marqueur = {**_feature([states["groupe"].pk])}
    marqueur["properties"] = {**marqueur["properties"], "base": "observatoire", "kind": "marqueur"}
    marqueur["properties"].pop("attributes")
    response = client.post("/api/v1/resources/", marqueur, format="json")
    assert response.status_code == 400


def test_web_form_links_and_detail_pages_both_ways(cast, client, territories):
    states = make_states(cast, geom=Point(3.0573, 50.6292, srid=4326))
    client.force_login(cast["contributeur"])
    page = client.get(
        "/ressources/ajouter/", {"groupe": cast.group.pk, "type": "conseil_collectivites"}
    )
    assert page.status_code == 200
    assert 'id="liens-recherche"' in page.content.decode()
    data = {
        "title": "Conseil à Lille",
        "longitude": "3.0573",
        "latitude": "50.6292",
        "level": "groupe",
        "links": [states["groupe"].pk, states["public-valide"].pk],
        "attr_territoire": "Métropole Européenne de Lille (200093201)",
        "attr_partenaires": "DDTM",
    }
    response = client.post(
        f"/ressources/ajouter/?groupe={cast.group.pk}&type=conseil_collectivites", data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activite = Resource.objects.get(title="Conseil à Lille")
    assert set(activite.links.all()) == {states["groupe"], states["public-valide"]}
    assert activite.attributes["territoire"] == "200093201"
    assert "59350" in activite.communes and len(activite.communes) > 90  # the whole MEL
    detail = client.get(f"/ressources/{states['groupe'].pk}/").content.decode()
    assert "Conseil à Lille" in detail
    detail = client.get(f"/ressources/{activite.pk}/").content.decode()
    assert "Clocher groupe" in detail and "Clocher public-valide" in detail
    hidden = dict(data, title="Interdit", links=[states["privee"].pk])
    response = client.post(
        f"/ressources/ajouter/?groupe={cast.group.pk}&type=conseil_collectivites", hidden
    )
    assert response.status_code == 400
    assert "que vous ne pouvez pas voir" in response.content.decode()
    assert not Resource.objects.filter(title="Interdit").exists()
