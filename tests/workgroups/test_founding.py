"""Groups made and set up in the browser and through the API: any account founds a group and
becomes its animateur; the animateurs change its settings, share or hand over their role and
archive it (its resources stay, read-only). Bad input is answered clearly, nothing written."""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import Point
from rest_framework.test import APIClient

from layers import editor
from observatoire import services as resources
from workgroups.models import Group, Membership
from workgroups.permissions import can
from workgroups.roles import Capability, Level, Role

pytestmark = pytest.mark.django_db

BODY = {
    "name": "Paysages de l'Avesnois",
    "family": "theme",
    "join_mode": "invitation",
    "description": "Un observatoire des paysages bocagers.",
}

#: A square around Lille's town hall, as a map's drawing tool writes it.
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[3.0, 50.6], [3.1, 50.6], [3.1, 50.7], [3.0, 50.7], [3.0, 50.6]]],
}
#: A polygon crossing itself.
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[3.0, 50.6], [3.1, 50.7], [3.1, 50.6], [3.0, 50.7], [3.0, 50.6]]],
}
LILLE = Point(3.0573, 50.6292, srid=4326)
ROUBAIX = Point(3.1746, 50.6901, srid=4326)  # in the Métropole, outside Lille and SQUARE


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None and user.is_authenticated:
        client.force_authenticate(user)
    return client


def test_contract_post_group_and_its_founder_is_animateur(cast):
    """``POST /api/v1/groups/`` answers 201 with the slug; the founder is listed as
    ``animateur`` in the group's members."""
    founder = api(cast["account"])
    response = founder.post("/api/v1/groups/", BODY, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["slug"] == "paysages-de-lavesnois"
    assert (data["family"], data["join_mode"], data["resource_count"]) == (
        "theme",
        "invitation",
        0,
    )
    members = founder.get(f"/api/v1/groups/{data['slug']}/members/").json()
    assert [(m["username"], m["role"], m["state"]) for m in members] == [
        ("compte", "animateur", "active")
    ]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": "groupe de la MATRICE"}, "name"),  # exists already, whatever the case
        ({"name": "  "}, "name"),
        ({"family": "club"}, "family"),
        ({"join_mode": "toujours"}, "join_mode"),
        ({"territory": "99999"}, "territory"),
        ({"territory": "Nulle-Part-sur-Mer"}, "territory"),
        ({"territory_shape": {"type": "Point", "coordinates": [3.06, 50.63]}}, "territory"),
        ({"territory_shape": BOWTIE}, "territory"),
        ({"territory_shape": "pas du GeoJSON"}, "territory"),
        ({"territory": "59350", "territory_shape": SQUARE}, "territory"),
        ({"couleur": "vert"}, "couleur"),
    ],
)
def test_bad_group_is_named_and_nothing_is_written(cast, change, field):
    before = Group.objects.count(), Membership.objects.count()
    response = api(cast["account"]).post("/api/v1/groups/", {**BODY, **change}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert (Group.objects.count(), Membership.objects.count()) == before


def test_existing_name_message(cast):
    response = api(cast["account"]).post(
        "/api/v1/groups/", {**BODY, "name": "Groupe de la matrice"}, format="json"
    )
    assert response.json()["name"] == ["Un groupe porte déjà ce nom : « Groupe de la matrice »."]


def test_anonymous_cannot_found_a_group(cast):
    assert api().post("/api/v1/groups/", BODY, format="json").status_code in (401, 403)


@pytest.mark.parametrize(
    "actor, expected",
    [
        ("animateur", 200),
        ("expert", 403),
        ("contributeur", 403),
        ("lecteur", 403),
        ("account", 403),
        ("other_animateur", 403),
    ],
)
def test_patch_is_the_animateurs(cast, actor, expected):
    response = api(cast[actor]).patch(
        f"/api/v1/groups/{cast.group.slug}/", {"join_mode": "libre"}, format="json"
    )
    assert response.status_code == expected
    cast.group.refresh_from_db()
    assert (cast.group.join_mode == "libre") == (expected == 200)
    assert cast.group.slug == "groupe-matrice"


def test_patch_territory_from_a_commune_code(cast, territories):
    response = api(cast["animateur"]).patch(
        f"/api/v1/groups/{cast.group.slug}/", {"territory": "59350"}, format="json"
    )
    assert response.status_code == 200, response.content
    cast.group.refresh_from_db()
    assert cast.group.territory.contains(LILLE)


@pytest.mark.parametrize(
    "body, in_roubaix",
    [
        ({"territory": "200093201"}, True),  # the Métropole Européenne de Lille by its SIREN
        ({"territory": "Métropole Européenne de Lille (200093201)"}, True),  # its suggestion
        ({"territory": "Lille"}, False),  # a name only one commune bears
        ({"territory_shape": SQUARE}, False),  # drawn on the map
    ],
)
def test_a_group_territory_is_an_epci_a_name_or_a_drawn_polygon(
    cast, territories, body, in_roubaix
):
    response = api(cast["account"]).post("/api/v1/groups/", {**BODY, **body}, format="json")
    assert response.status_code == 201, response.content
    territory = Group.objects.get(slug=response.json()["slug"]).territory
    assert territory.contains(LILLE)
    assert territory.contains(ROUBAIX) is in_roubaix


def test_an_empty_territory_removes_it(cast, territories):
    animateur = api(cast["animateur"])
    url = f"/api/v1/groups/{cast.group.slug}/"
    assert animateur.patch(url, {"territory_shape": SQUARE}, format="json").status_code == 200
    assert animateur.patch(url, {"description": "Autre"}, format="json").status_code == 200
    cast.group.refresh_from_db()
    assert cast.group.territory is not None  # a PATCH without it keeps it
    assert animateur.patch(url, {"territory": ""}, format="json").status_code == 200
    cast.group.refresh_from_db()
    assert cast.group.territory is None


def test_bad_drawn_territory_message(cast):
    response = api(cast["account"]).post(
        "/api/v1/groups/", {**BODY, "territory_shape": BOWTIE}, format="json"
    )
    assert response.json()["territory"] == ["Géométrie invalide : Self-intersection[3.05 50.65]."]


# --- the pages ---------------------------------------------------------------------------------


def test_new_account_creates_a_group_and_invites_lecteur(cast, client):
    """A new account founds a group on /groupes/nouveau/, lands on its page as animateur and
    invites ``lecteur`` with the page's invitation form."""
    assert client.get("/groupes/nouveau/").status_code == 302  # to the login page
    client.force_login(cast["account"])
    page = client.get("/groupes/nouveau/").content.decode()
    assert 'for="id_name"' in page and "<legend>Famille</legend>" in page
    response = client.post("/groupes/nouveau/", {**BODY, "territory": ""})
    assert response.status_code == 302
    group = Group.objects.get(name=BODY["name"])
    assert response["Location"] == f"/groupes/{group.slug}/"
    assert can(cast["account"], group, Capability.MANAGE_MEMBERS)
    group_page = client.get(response["Location"]).content.decode()
    assert "Paramètres du groupe" in group_page and "Inviter" in group_page
    client.post(f"/groupes/{group.slug}/inviter/", {"person": "lecteur", "role": "lecteur"})
    invited = Membership.objects.get(group=group, user=cast["lecteur"])
    assert (invited.state, invited.role) == ("invited", "lecteur")


def test_existing_name_on_the_page_is_on_its_field(cast, client):
    client.force_login(cast["account"])
    response = client.post("/groupes/nouveau/", {**BODY, "name": "Groupe de la matrice"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_name_error"' in html and "Un groupe porte déjà ce nom" in html
    assert 'aria-invalid="true"' in html
    assert Group.objects.count() == 2


@pytest.mark.parametrize(
    "actor, expected",
    [("anonymous", 302), ("lecteur", 403), ("expert", 403), ("animateur", 200)],
)
def test_settings_page_is_the_animateurs(cast, client, actor, expected):
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])
    for path in ("parametres", "archiver"):
        assert client.get(f"/groupes/{cast.group.slug}/{path}/").status_code == expected


def test_settings_change_the_group(cast, client):
    client.force_login(cast["animateur"])
    response = client.post(
        f"/groupes/{cast.group.slug}/parametres/",
        {
            "groupe-name": "Matrice renommée",
            "groupe-family": "acteur",
            "groupe-join_mode": "libre",
            "groupe-description": "Nouvelle description",
            "groupe-territory": "",
            "parametres": "1",
        },
    )
    assert response.status_code == 302
    cast.group.refresh_from_db()
    assert (cast.group.name, cast.group.family, cast.group.slug) == (
        "Matrice renommée",
        "acteur",
        "groupe-matrice",
    )


def settings_body(**fields: str) -> dict[str, str]:
    body = {
        "groupe-name": "Groupe de la matrice",
        "groupe-family": "theme",
        "groupe-join_mode": "demande",
        "parametres": "1",
    }
    return body | {f"groupe-{name}": value for name, value in fields.items()}


def test_settings_page_takes_a_territory_by_name_drawn_or_removed(cast, client, territories):
    """The territory field takes the suggestion the page offers, a drawn polygon (the hidden
    field the map writes), and « Retirer le territoire » removes it."""
    client.force_login(cast["animateur"])
    url = f"/groupes/{cast.group.slug}/parametres/"
    page = client.get(url).content.decode()
    assert 'data-territoires="/geo/territoires/"' in page and 'id="carte-territoire"' in page
    assert 'id="territoire-actuel"' not in page
    response = client.post(
        url, settings_body(territory="Métropole Européenne de Lille (200093201)")
    )
    assert response.status_code == 302
    cast.group.refresh_from_db()
    assert cast.group.territory.contains(ROUBAIX)
    page = client.get(url).content.decode()
    assert 'id="territoire-actuel"' in page and "Retirer le territoire" in page

    client.post(url, settings_body(territory_shape=json.dumps(SQUARE)))
    cast.group.refresh_from_db()
    assert cast.group.territory.contains(LILLE) and not cast.group.territory.contains(ROUBAIX)

    client.post(url, settings_body(clear_territory="on"))
    cast.group.refresh_from_db()
    assert cast.group.territory is None


def test_settings_page_names_a_bad_drawing_and_keeps_the_territory(cast, client, territories):
    client.force_login(cast["animateur"])
    url = f"/groupes/{cast.group.slug}/parametres/"
    client.post(url, settings_body(territory="59"))
    response = client.post(url, settings_body(territory_shape=json.dumps(BOWTIE)))
    assert response.status_code == 400
    assert "Géométrie invalide" in response.content.decode()
    cast.group.refresh_from_db()
    assert cast.group.territory.contains(ROUBAIX)  # still the Nord


@pytest.mark.parametrize(
    "mode, actor_role", [("partager", "animateur"), ("transmettre", "contributeur")]
)
def test_share_or_hand_over_the_animateur_role(cast, client, mode, actor_role):
    client.force_login(cast["animateur"])
    response = client.post(
        f"/groupes/{cast.group.slug}/parametres/",
        {"animation-person": "expert", "animation-mode": mode, "animation": "1"},
    )
    assert response.status_code == 302
    roles = dict(Membership.objects.filter(group=cast.group).values_list("user__username", "role"))
    assert (roles["expert"], roles["animateur"]) == ("animateur", actor_role)


def test_hand_over_to_a_non_member_is_refused(cast, client):
    client.force_login(cast["animateur"])
    response = client.post(
        f"/groupes/{cast.group.slug}/parametres/",
        {"animation-person": "compte", "animation-mode": "transmettre", "animation": "1"},
    )
    assert response.status_code == 400
    assert "pas membre actif" in response.content.decode()
    assert Membership.objects.get(group=cast.group, user=cast["animateur"]).role == Role.ANIMATEUR


def test_archived_group_keeps_its_resources_read_only(cast, client):
    """After archiving, the group's resources and maps stay visible as before, and nobody
    creates, changes or shares anything there any more."""
    resource = resources.create_resource(
        cast["author"],
        cast.group,
        title="Halle",
        base="observatoire",
        kind="marqueur",
        geom=Point(3.0, 50.6, srid=4326),
        level=Level.GROUPE,
    )
    carte = editor.create_map(
        cast["author"], cast.group, title="Carte", layers=[editor.LayerSpec("observatoire")]
    )
    client.force_login(cast["animateur"])
    assert "Oui, archiver" in client.get(f"/groupes/{cast.group.slug}/archiver/").content.decode()
    assert client.post(f"/groupes/{cast.group.slug}/archiver/").status_code == 302
    cast.group.refresh_from_db()
    assert cast.group.archived_at is not None
    assert "Groupe archivé le" in client.get(f"/groupes/{cast.group.slug}/").content.decode()

    for actor in ("author", "contributeur", "animateur"):
        assert can(cast[actor], cast.group, Capability.VIEW)
        assert not can(cast[actor], cast.group, Capability.CREATE)
    assert type(resource).objects.visible_to(cast["lecteur"]).filter(pk=resource.pk).exists()
    assert not type(resource).objects.editable_by(cast["author"]).filter(pk=resource.pk).exists()
    assert not type(carte).objects.editable_by(cast["author"]).exists()
    answer = api(cast["author"]).patch(
        f"/api/v1/resources/{resource.pk}/", {"properties": {"title": "x"}}, format="json"
    )
    assert answer.status_code == 403
    assert (
        api(cast["animateur"])
        .patch(f"/api/v1/groups/{cast.group.slug}/", {"join_mode": "libre"}, format="json")
        .status_code
        == 403
    )
    assert client.get(f"/groupes/{cast.group.slug}/parametres/").status_code == 403
