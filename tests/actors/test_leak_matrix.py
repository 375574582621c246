"""The leak matrix of profiles and experiences in every channel: the directory page, the
profile page, the map's GeoJSON, the search page, the vCard, the REST API (list, item,
experiences, ?commune) and the OGC API collection ``acteurs-experiences``.

Expected sets come from :class:`~tests.actors.conftest.Profiles` (written from the rule's
words, not from ``visible_to``). Group roles play no part in a profile's visibility; the matrix
still runs over every role of the cast to show it. Contact details follow the profile's
contact choice in the page, the API and the vCard."""

from __future__ import annotations

import re

import pytest

from actors.models import Experience, Profile
from actors.search import SHOWN

from .conftest import WORD

ACTORS = ["anonymous", "account", "lecteur", "contributeur", "expert", "animateur", "author"]

pytestmark = pytest.mark.django_db


def _client(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


def _slugs(html: str) -> set[str]:
    return set(re.findall(r'href="/acteurs/([-a-z0-9]+)/"', html))


def _experience_slugs(ids) -> set[str]:
    return set(Experience.objects.filter(pk__in=ids).values_list("profile__slug", flat=True))


@pytest.mark.parametrize("actor", ACTORS)
def test_pages_map_search_and_vcard(client, cast, profiles, actor):
    """Directory, profile pages, map GeoJSON, search block and vCards show exactly what the
    rule allows; contact details only where the contact choice allows."""
    user = cast[actor]
    c = _client(client, user)
    visible = profiles.expected_visible(user)
    contact = profiles.expected_contact(user)
    listed = _slugs(c.get("/acteurs/?q=" + WORD).content.decode())
    assert listed & {p.slug for p in profiles.by_case.values()} == visible
    geojson = c.get("/acteurs/experiences.geojson").json()
    assert _experience_slugs(f["id"] for f in geojson["features"]) == visible
    found = _slugs(c.get("/recherche/", {"q": WORD}).content.decode())
    found &= {p.slug for p in profiles.by_case.values()}
    assert found <= visible and len(found) == min(len(visible), SHOWN)
    for profile in profiles.by_case.values():
        page = c.get(f"/acteurs/{profile.slug}/")
        card = c.get(f"/acteurs/{profile.slug}.vcf")
        if profile.slug in visible:
            assert page.status_code == 200 and card.status_code == 200
            shown = profile.email in page.content.decode()
            assert shown == (profile.slug in contact), profile.slug
            assert (profile.email in card.content.decode()) == (profile.slug in contact)
        else:
            assert page.status_code == 404 and card.status_code == 404
            assert profile.email not in page.content.decode()


@pytest.mark.parametrize("actor", ACTORS)
def test_rest_api(client, cast, profiles, actor):
    """/api/v1/actors/ lists, reads and pages experiences of visible profiles only; e-mail is
    null where the contact choice hides it."""
    user = cast[actor]
    c = _client(client, user)
    visible = profiles.expected_visible(user)
    contact = profiles.expected_contact(user)
    body = c.get("/api/v1/actors/", {"q": WORD, "limit": 100}).json()
    assert {p["slug"] for p in body["results"]} == visible
    for row in body["results"]:
        assert (row["email"] is not None) == (row["slug"] in contact)
    for profile in profiles.by_case.values():
        one = c.get(f"/api/v1/actors/{profile.slug}/")
        exps = c.get(f"/api/v1/actors/{profile.slug}/experiences/")
        if profile.slug in visible:
            assert one.status_code == 200 and exps.status_code == 200
            assert len(exps.json()["features"]) == 1
        else:
            assert one.status_code == 404 and exps.status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
def test_ogc_collection(client, cast, profiles, actor):
    """The OGC collection's items, items by id, and extent come from the same rule."""
    user = cast[actor]
    c = _client(client, user)
    visible = profiles.expected_visible(user)
    items = c.get("/ogc/collections/acteurs-experiences/items", {"limit": 100}).json()
    assert {f["properties"]["profile"] for f in items["features"]} == visible
    assert items["numberMatched"] == len(visible)
    for (_v, _c), profile in profiles.by_case.items():
        experience = profile.experiences.get()
        status = c.get(f"/ogc/collections/acteurs-experiences/items/{experience.pk}").status_code
        assert status == (200 if profile.slug in visible else 404)
    collection = c.get("/ogc/collections/acteurs-experiences").json()
    xmax = collection["extent"]["spatial"]["bbox"][0][2]
    expected_xmax = max(
        p.experiences.get().place.x for p in profiles.by_case.values() if p.slug in visible
    )
    assert xmax == pytest.approx(expected_xmax)


def test_comptes_seulement_never_reaches_anonymous_even_by_commune(client, cast, profiles):
    """A « comptes seulement » profile stays out of the anonymous ?commune= filter too."""
    assert Profile.objects.filter(visibility="communaute").exists()
    body = client.get("/api/v1/actors/", {"limit": 100}).json()
    assert all(r["visibility"] == "public" for r in body["results"])
