"""The REST API of profiles: create, read, replace, change, delete; the creator and the named
editors edit, nobody else; ``?commune=INSEE`` keeps the profiles whose territory of
intervention meets the commune (not those that only touch its border)."""

from __future__ import annotations

import pytest

from actors.models import Profile

from .conftest import make_profile

pytestmark = pytest.mark.django_db


def test_crud_by_creator_and_editors(client, cast, territories):
    client.force_login(cast["author"])
    created = client.post(
        "/api/v1/actors/",
        {
            "name": "Atelier Terre & Eau",
            "kind": "professionnel",
            "contexts": ["paysage"],
            "territories": ["Lille (59350)", "Pas-de-Calais"],
            "siret": "732 829 320 00074",
            "editors": ["lecteur"],
            "experiences": [
                {"title": "Parc de la Deûle", "commune": "Lille", "year_start": 2019},
                {
                    "title": "Berges",
                    "geometry": {"type": "Point", "coordinates": [2.77, 50.29]},
                },
            ],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["slug"] == "atelier-terre-eau"
    assert body["territories"] == ["Lille (59350)", "Pas-de-Calais (62)"]
    assert body["territory_codes"] == ["commune:59350", "departement:62"]
    assert body["siret"] == "73282932000074"
    profile = Profile.objects.get(slug="atelier-terre-eau")
    assert profile.territory.valid and profile.territory.geom_type == "MultiPolygon"
    lille = profile.experiences.get(title="Parc de la Deûle")
    assert lille.commune_insee == "59350" and lille.place is not None

    client.force_login(cast["lecteur"])  # a named editor
    changed = client.patch(
        f"/api/v1/actors/{profile.slug}/",
        {"summary": "Paysagistes"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["summary"] == "Paysagistes"

    client.force_login(cast["animateur"])  # not an editor, whatever their role in groups
    refused = client.patch(
        f"/api/v1/actors/{profile.slug}/", {"summary": "Pirate"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert client.delete(f"/api/v1/actors/{profile.slug}/").status_code == 403
    added = client.post(
        f"/api/v1/actors/{profile.slug}/experiences/",
        {"title": "Intrus"},
        content_type="application/json",
    )
    assert added.status_code == 403

    client.force_login(cast["author"])
    added = client.post(
        f"/api/v1/actors/{profile.slug}/experiences/",
        {"title": "Troisième", "commune": "59512"},
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["properties"]["commune_insee"] == "59512"
    replaced = client.put(
        f"/api/v1/actors/{profile.slug}/",
        {"name": "Atelier Terre et Eau", "kind": "professionnel", "territories": ["Nord (59)"]},
        content_type="application/json",
    )
    assert replaced.status_code == 200
    assert replaced.json()["territory_codes"] == ["departement:59"]
    assert client.delete(f"/api/v1/actors/{profile.slug}/").status_code == 204
    assert not Profile.objects.exists()


def test_anonymous_cannot_write(client, cast):
    response = client.post(
        "/api/v1/actors/", {"name": "X", "kind": "caue"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert not Profile.objects.exists()


def test_commune_filter_uses_interiors(client, cast, territories):
    """Roubaix's profile is found at Roubaix, not at Tourcoing (its neighbour) nor at Arras;
    a département's profile at every commune inside it; an unknown code is a 400."""
    roubaix = make_profile(cast["author"], "Roubaix seulement", territories="Roubaix (59512)")
    nord = make_profile(cast["author"], "Tout le Nord", territories="Nord (59)")
    make_profile(cast["author"], "Sans territoire")

    def found(code: str) -> set[str]:
        body = client.get("/api/v1/actors/", {"commune": code}).json()
        return {r["slug"] for r in body["results"]}

    assert found("59512") == {roubaix.slug, nord.slug}
    assert found("59599") == {nord.slug}  # Tourcoing touches Roubaix
    assert found("62041") == set()  # Arras
    page = client.get("/acteurs/", {"commune": "Roubaix"})
    assert roubaix.slug in page.content.decode()
    bad = client.get("/api/v1/actors/", {"commune": "99999"})
    assert bad.status_code == 400 and "Commune inconnue" in bad.json()["commune"][0]
    assert client.get("/acteurs/", {"commune": "99999"}).status_code == 400


def test_epci_and_region_are_territories_of_intervention(client, cast, territories):
    """An EPCI and a région chosen by name (or by their suggestion) are stored as themselves
    and cover their communes: the MEL's profile is found at Roubaix, not at Arras; the
    Hauts-de-France's at both; « 32 » alone is the Gers, « Hauts-de-France (32) » the région."""
    from actors import territories as chooser

    mel = make_profile(
        cast["author"], "La MEL", territories="Métropole Européenne de Lille (200093201)"
    )
    region = make_profile(cast["author"], "Toute la région", territories="Hauts-de-France")
    assert mel.territory_codes == ["epci:200093201"]
    assert region.territory_codes == ["region:32"]
    assert chooser.labels(mel.territory_codes) == ["Métropole Européenne de Lille (200093201)"]
    assert chooser.resolve_one("32").kind == "departement"
    assert chooser.resolve_one("Hauts-de-France (32)").kind == "region"
    suggested = chooser.suggestions("metropole europeenne")
    assert "Métropole Européenne de Lille (200093201)" in suggested

    def found(code: str) -> set[str]:
        body = client.get("/api/v1/actors/", {"commune": code}).json()
        return {r["slug"] for r in body["results"]} & {mel.slug, region.slug}

    assert found("59512") == {mel.slug, region.slug}  # Roubaix
    assert found("62041") == {region.slug}  # Arras


def test_filters_by_kind_context_and_words(client, cast, territories):
    caue = make_profile(cast["author"], "CAUE de l'Aisne", kind="caue", contexts=["architecture"])
    make_profile(cast["author"], "Bureau d'études", contexts=["energie"], about="Rénovations")

    def found(**params) -> set[str]:
        return {r["slug"] for r in client.get("/api/v1/actors/", params).json()["results"]}

    assert found(type="caue") == {caue.slug}
    assert found(contexte="architecture") == {caue.slug}
    assert found(q="renovation") == {"bureau-detudes"}  # accents and plurals ignored
    assert client.get("/api/v1/actors/", {"type": "martien"}).status_code == 400


def test_ogc_collection_is_read_only(client, cast):
    """The OGC API's writes do not apply to the experiences: a French 405 with Allow."""
    client.force_login(cast["author"])
    response = client.post(
        "/ogc/collections/acteurs-experiences/items", "{}", content_type="application/geo+json"
    )
    assert response.status_code == 405
    assert "se lit seulement" in response.json()["description"]
    assert "POST" not in response["Allow"]
