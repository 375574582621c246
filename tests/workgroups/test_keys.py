"""A person's own feed keys: made on /profil/cles/ or the API (shown once, with the addresses
to paste in QGIS and uMap), reading or writing, revoked at will — then refused (401) on every
channel at the next request, the fast paths included. Nobody sees or revokes another's."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.utils import timezone

from tests.factories import ResourceFactory
from workgroups.models import FeedKey
from workgroups.roles import Level

pytestmark = pytest.mark.django_db


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_key_made_on_the_page_opens_the_channels_until_revoked(cast):
    public = ResourceFactory(
        title="Beffroi", group=cast.group, author=cast["author"], level=Level.PUBLIC,
        validated_at=timezone.now(), geom=Point(3.06, 50.63, srid=4326),
    )  # fmt: skip
    owner = _client(cast["lecteur"])
    page = owner.post("/profil/cles/", {"name": "QGIS bureau", "scope": "read"})
    assert page.status_code == 200
    body = page.content.decode()
    key = FeedKey.objects.get(user=cast["lecteur"]).key
    assert f'value="{key}"' in body  # shown once…
    assert f"/ogc?key={key}" in body and f"/tiles/observatoire.json?key={key}" in body
    assert f"/ogc/collections/observatoire/items?f=json&amp;limit=1000&amp;key={key}" in body
    assert key not in owner.get("/profil/cles/").content.decode()  # …then never again

    anonymous = Client()
    items = f"/ogc/collections/observatoire/items?key={key}"
    assert anonymous.get(items).status_code == 200
    assert (
        anonymous.get(f"/ogc/collections/observatoire/items/{public.pk}?key={key}").status_code
        == 200
    )
    assert anonymous.get(f"/tiles/observatoire.json?key={key}").status_code == 200

    stranger = _client(cast["account"])
    pk = FeedKey.objects.get(key=key).pk
    assert stranger.post(f"/profil/cles/{pk}/revoquer/").status_code == 404
    assert owner.post(f"/profil/cles/{pk}/revoquer/").status_code == 302
    # revoked: refused at the next request, on the fast paths as on Django's
    assert anonymous.get(items).status_code == 401
    assert (
        anonymous.get(f"/ogc/collections/observatoire/items/{public.pk}?key={key}").status_code
        == 401
    )
    assert anonymous.get(f"/tiles/observatoire.json?key={key}").status_code == 401
    assert (
        anonymous.get(f"/portails/{cast.group.slug}/actualites.atom?key={key}").status_code == 401
    )
    assert "révoquée le" in owner.get("/profil/cles/").content.decode()


def test_the_page_refuses_bad_input_in_french(cast):
    owner = _client(cast["lecteur"])
    empty = owner.post("/profil/cles/", {"name": "", "scope": "read"})
    assert empty.status_code == 400 and "Ce champ est obligatoire" in empty.content.decode()
    bad = owner.post("/profil/cles/", {"name": "X", "scope": "tout"})
    assert bad.status_code == 400
    assert not FeedKey.objects.exists()


def test_the_api(cast):
    owner = _client(cast["lecteur"])
    made = owner.post("/api/v1/me/keys/", {"name": "uMap commune"}, "application/json")
    assert made.status_code == 201
    created = made.json()
    assert created["scope"] == "read" and len(created["key"]) > 30
    listing = owner.get("/api/v1/me/keys/").json()
    assert [k["name"] for k in listing] == ["uMap commune"] and "key" not in listing[0]
    assert listing[0]["group"] is None and listing[0]["last_used"] is None
    grouped = owner.post(
        "/api/v1/me/keys/", {"name": "G", "group": cast.group.slug}, "application/json"
    )
    assert grouped.status_code == 201
    outside = owner.post(
        "/api/v1/me/keys/", {"name": "H", "group": cast.other_group.slug}, "application/json"
    )
    assert outside.status_code == 400
    assert "pas membre" in json.dumps(outside.json(), ensure_ascii=False)
    owner.delete(f"/api/v1/me/keys/{grouped.json()['id']}/")
    assert (
        owner.post(
            "/api/v1/me/keys/", {"name": "S", "scope": "admin"}, "application/json"
        ).status_code
        == 400
    )
    assert _client(cast["account"]).get("/api/v1/me/keys/").json() == []
    assert _client(cast["account"]).delete(f"/api/v1/me/keys/{created['id']}/").status_code == 404
    assert owner.delete(f"/api/v1/me/keys/{created['id']}/").status_code == 204
    assert Client().get(f"/ogc?key={created['key']}").status_code == 401
    assert Client().get("/api/v1/me/keys/").status_code in (401, 403)


def test_only_a_writing_key_writes_through_the_ogc_api(cast):
    own = ResourceFactory(
        title="Lavoir", group=cast.group, author=cast["author"], level=Level.GROUPE,
        geom=Point(3.06, 50.63, srid=4326),
    )  # fmt: skip
    owner = _client(cast["author"])
    reading = owner.post("/api/v1/me/keys/", {"name": "R"}, "application/json").json()["key"]
    writing = owner.post(
        "/api/v1/me/keys/", {"name": "W", "scope": "write"}, "application/json"
    ).json()["key"]
    url = f"/ogc/collections/observatoire/items/{own.pk}"
    patch = json.dumps({"properties": {"title": "Lavoir restauré"}})
    client = Client()
    options = client.options(f"{url}?key={reading}")
    assert set(re.split(r",\s*", options["Allow"])) == {"GET", "HEAD", "OPTIONS"}
    refused = client.patch(f"{url}?key={reading}", patch, "application/merge-patch+json")
    assert refused.status_code == 403
    own.refresh_from_db()
    assert own.title == "Lavoir"
    assert "PATCH" in client.options(f"{url}?key={writing}")["Allow"]
    done = client.patch(f"{url}?key={writing}", patch, "application/merge-patch+json")
    assert done.status_code == 204, done.content
    own.refresh_from_db()
    assert own.title == "Lavoir restauré"
