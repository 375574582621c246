"""An animateur defines a form of the group: texts, kind, place, photos, e-mail, consent,
dates, area, and the kind's attributes picked, reordered, relabelled and made required."""

from __future__ import annotations

import pytest

from participation.models import Form

pytestmark = pytest.mark.django_db

AREA = '{"type":"Polygon","coordinates":[[[2.9,50.5],[3.3,50.5],[3.3,50.8],[2.9,50.8],[2.9,50.5]]]}'


def definition(**overrides) -> dict:
    data = {
        "title": "Votre regard sur le centre-bourg",
        "slug": "regard-centre-bourg",
        "introduction": "Dites-nous.",
        "kind": "projet",
        "place": "commune",
        "max_photos": "3",
        "ask_email": "on",
        "consent": "Finalité, durée, contact.",
        "retention_days": "365",
        "min_seconds": "4",
        "per_address_daily": "50",
        "daily_cap": "500",
        "area_geojson": AREA,
        "champ_etat_demande": "on",
        "champ_etat_ordre": "2",
        "champ_maitre_ouvrage_demande": "on",
        "champ_maitre_ouvrage_ordre": "1",
        "champ_maitre_ouvrage_libelle": "Qui porte le projet ?",
        "champ_maitre_ouvrage_obligatoire": "on",
        "champ_budget_euros_ordre": "3",  # not asked: left out
    }
    data.update(overrides)
    return data


def test_an_animateur_creates_a_form_with_picked_fields(client, cast):
    client.force_login(cast["animateur"])
    page = client.get(f"/groupes/{cast.group.slug}/formulaires/nouveau/").content.decode()
    assert "Champs demandés" in page and "champ_epoque_demande" in page  # the default kind's
    response = client.post(f"/groupes/{cast.group.slug}/formulaires/nouveau/", definition())
    assert response.status_code == 302, response.content.decode()[:3000]
    form = Form.objects.get(slug="regard-centre-bourg")
    assert form.group == cast.group and form.created_by == cast["animateur"]
    assert form.fields == [
        {"name": "maitre_ouvrage", "label": "Qui porte le projet ?", "required": True},
        {"name": "etat", "label": "État d'avancement", "required": False},
    ]
    assert form.area.geom_type == "MultiPolygon" and form.max_photos == 3
    listing = client.get(f"/groupes/{cast.group.slug}/formulaires/").content.decode()
    assert "Votre regard sur le centre-bourg" in listing
    assert "/participer/regard-centre-bourg/qr.png" in listing and "&lt;iframe" in listing
    public = client.get("/participer/regard-centre-bourg/").content.decode()
    assert public.index("Qui porte le projet ?") < public.index("État d&#x27;avancement")
    assert 'name="latitude"' not in public  # a commune form asks a commune


def test_edit_keeps_the_slug_and_changes_the_fields(client, cast, form):
    client.force_login(cast["animateur"])
    url = f"/groupes/{cast.group.slug}/formulaires/{form.slug}/modifier/"
    assert "Âge de l" in client.get(url).content.decode()
    data = definition(slug=form.slug, kind="marqueur", place="point", area_geojson="")
    data |= {"champ_protection_demande": "on"}
    assert client.post(url, data).status_code == 302
    form.refresh_from_db()
    assert [f["name"] for f in form.fields] == ["protection"] and form.area is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"area_geojson": "pas du geojson"}, "area_geojson", "géométrie GeoJSON lisible"),
        ({"max_photos": "9"}, "max_photos", "5 photos au plus"),
        ({"retention_days": "3"}, "retention_days", "supérieure ou égale à 7"),
        ({"retention_days": "5000"}, "retention_days", "inférieure ou égale à 3650"),
        ({"title": ""}, "title", "obligatoire"),
        ({"slug": "suivi"}, "slug", "est réservé par le site"),
        (
            {"opens_at": "2026-12-10T10:00", "closes_at": "2026-12-01T10:00"},
            "closes_at",
            "La fermeture précède l",
        ),
    ],
)
def test_bad_definitions_name_the_field(client, cast, overrides, field, message):
    client.force_login(cast["animateur"])
    response = client.post(
        f"/groupes/{cast.group.slug}/formulaires/nouveau/", definition(**overrides)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and message in page
    assert not Form.objects.exists()


@pytest.mark.parametrize(
    "actor", ["anonymous", "account", "lecteur", "contributeur", "expert", "other_animateur"]
)
def test_only_the_groups_animateurs_define_forms(client, cast, form, actor):
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])
    for url in (
        f"/groupes/{cast.group.slug}/formulaires/nouveau/",
        f"/groupes/{cast.group.slug}/formulaires/{form.slug}/modifier/",
    ):
        response = client.post(url, definition())
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert response["Location"].startswith("/connexion/")
    assert Form.objects.count() == 1
    listing = client.get(f"/groupes/{cast.group.slug}/formulaires/").content.decode()
    assert form.title in listing and "qr.png" not in listing  # the public list, no tools


def test_a_new_form_starts_with_a_consent_text_and_takes_its_address_from_its_title(client, cast):
    """The animateur adjusts a consent text that says purpose, retention and contact rather
    than writing one from nothing; an empty identifiant is made from the title, never one
    already taken nor a word of the site's addresses."""
    client.force_login(cast["animateur"])
    page = client.get(f"/groupes/{cast.group.slug}/formulaires/nouveau/").content.decode()
    assert f"recueillies par le groupe « {cast.group.name} »" in page.replace("&quot;", '"')
    assert "effacées au plus tard un an après" in page
    for title, expected in [
        ("Signaler un arbre remarquable", "signaler-un-arbre-remarquable"),
        ("Signaler un arbre remarquable", "signaler-un-arbre-remarquable-2"),
        ("Suivi", "suivi-2"),
    ]:
        response = client.post(
            f"/groupes/{cast.group.slug}/formulaires/nouveau/",
            definition(title=title, slug=""),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Form.objects.filter(title=title, slug=expected).exists()
    assert client.get("/participer/signaler-un-arbre-remarquable-2/").status_code == 200
