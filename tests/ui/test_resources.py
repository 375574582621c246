"""« + Ajouter », resource pages, edit, delete, validate, review, files: each right, each
bad input (French message, nothing written) and the leak matrix on the resource page."""

from __future__ import annotations

import html
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from observatoire.models import Attachment, Resource, Review
from tests.conftest import ACTORS
from tests.factories import ResourceFactory
from tests.ui.matrix import STATES, client_for, expected_for, make_states
from workgroups.roles import Level

pytestmark = pytest.mark.django_db


def page(response) -> str:
    """The response body as text, HTML entities decoded (« l'identité », not &#x27;)."""
    return html.unescape(response.content.decode())


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake but well-formed header\n"


def _form(**extra):
    data = {
        "title": "Moulin de la Tourelle",
        "summary": "Un moulin à eau restauré.",
        "description": "",
        "themes": "patrimoine, eau",
        "longitude": "3.0573",
        "latitude": "50.6292",
        "level": Level.GROUPE,
        "attr_epoque": "XVIIIe siècle",
        "attr_protection": "inscrit",
    }
    data.update(extra)
    return data


def _add_url(cast, kind="marqueur", group=None):
    return f"/ressources/ajouter/?groupe={(group or cast.group).pk}&type={kind}"


def test_step_one_lists_only_groups_where_i_contribute_with_kind_help(client, cast):
    """The choice page offers my contributeur+ groups and explains each kind."""
    client.force_login(cast["contributeur"])
    body = page(client.get("/ressources/ajouter/"))
    assert cast.group.name in body and cast.other_group.name not in body
    assert "Un élément qui forge l'identité d'un territoire" in body
    assert "Observatoire participatif du cadre de vie" in body
    # one group to contribute to: it is chosen already, no empty « --------- » first
    assert f'<option value="{cast.group.pk}" selected>' in body and "---------" not in body


def test_step_two_is_generated_from_the_kind_schema(client, cast):
    """The marqueur form has the schema's fields (Époque, Protection with its values)."""
    client.force_login(cast["contributeur"])
    body = page(client.get(_add_url(cast)))
    assert 'name="attr_epoque"' in body and 'name="attr_protection"' in body
    assert '<option value="classe">' in body
    assert 'id="carte-saisie"' in body
    assert "demande la validation d'un animateur" in body


def test_contributor_adds_a_geolocated_resource(client, cast):
    """Typed coordinates become the point; attributes and themes are stored."""
    client.force_login(cast["contributeur"])
    response = client.post(_add_url(cast), _form())
    resource = Resource.objects.get(title="Moulin de la Tourelle")
    assert response.status_code == 302 and response["Location"] == f"/ressources/{resource.pk}/"
    assert (resource.geom.x, resource.geom.y) == (3.0573, 50.6292)
    assert resource.attributes == {"epoque": "XVIIIe siècle", "protection": "inscrit"}
    assert resource.themes == ["patrimoine", "eau"]
    assert (resource.author, resource.group, resource.level) == (
        cast["contributeur"],
        cast.group,
        Level.GROUPE,
    )


def test_drawn_polygon_is_stored(client, cast):
    client.force_login(cast["contributeur"])
    polygon = {"type": "Polygon", "coordinates": [[[3, 50], [3.1, 50], [3.1, 50.1], [3, 50]]]}
    client.post(_add_url(cast), _form(geom=json.dumps(polygon), longitude="", latitude=""))
    assert Resource.objects.get().geom.geom_type == "Polygon"


def test_public_share_waits_for_validation_unless_animateur(client, cast):
    client.force_login(cast["contributeur"])
    client.post(_add_url(cast), _form(level=Level.PUBLIC))
    assert Resource.objects.get().validated_at is None
    client.force_login(cast["animateur"])
    client.post(_add_url(cast), _form(title="Par l'animateur", level=Level.PUBLIC))
    assert Resource.objects.get(title="Par l'animateur").validated_by == cast["animateur"]


@pytest.mark.parametrize("actor", ["lecteur", "account", "other_animateur"])
def test_no_group_to_contribute_to_is_a_403_with_explanation(client, cast, actor):
    client.force_login(cast[actor])
    response = client.get("/ressources/ajouter/")
    if actor == "other_animateur":
        assert response.status_code == 200
        return
    assert response.status_code == 403
    assert "il faut être contributeur" in page(response)


@pytest.mark.parametrize("actor", ["lecteur", "other_animateur", "account"])
def test_a_group_where_i_have_no_right_is_refused_and_nothing_written(client, cast, actor):
    """Posting into a group where one is not contributeur: 400, French message, no row."""
    client.force_login(cast[actor])
    response = client.post(_add_url(cast), _form())
    assert response.status_code in (400, 403)
    if response.status_code == 400:
        assert "Vous ne pouvez pas ajouter de ressource dans ce groupe" in page(response)
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {
                "geom": json.dumps(
                    {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
                ),
                "longitude": "",
                "latitude": "",
            },
            "Géométrie invalide",
        ),
        ({"geom": "{pas du json", "longitude": "", "latitude": ""}, "GeoJSON lisible"),
        ({"longitude": "", "latitude": ""}, "La localisation est obligatoire"),
        ({"longitude": "3"}, "latitude"),
        ({"latitude": "120"}, "inférieure ou égale à 90"),
        ({"attr_protection": "unesco"}, "Sélectionnez un choix valide"),
        ({"title": ""}, "Ce champ est obligatoire"),
        ({"level": "secret"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_gets_a_french_message_and_writes_nothing(client, cast, extra, message):
    client.force_login(cast["contributeur"])
    data = _form(**extra)
    if extra.get("longitude") == "3":
        data.pop("latitude")
    response = client.post(_add_url(cast), data)
    assert response.status_code == 400
    assert message in page(response)
    assert not Resource.objects.exists()


def test_unknown_kind_or_group_on_step_one_is_a_400(client, cast):
    client.force_login(cast["contributeur"])
    response = client.get("/ressources/ajouter/?groupe=999999&type=fusee")
    assert response.status_code == 400
    body = page(response)
    assert "Type de ressource inconnu" in body and "Vous ne pouvez pas ajouter" in body


def test_photos_and_documents_are_attached(client, cast):
    client.force_login(cast["contributeur"])
    files = [
        SimpleUploadedFile("facade.png", PNG, content_type="image/png"),
        SimpleUploadedFile("etude.pdf", PDF, content_type="application/pdf"),
    ]
    client.post(_add_url(cast), {**_form(), "files": files})
    resource = Resource.objects.get()
    kinds = sorted(resource.attachments.values_list("category", flat=True))
    assert kinds == ["document", "photo"]
    photo = resource.attachments.get(category="photo")
    response = client.get(f"/ressources/{resource.pk}/fichiers/{photo.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image"), "n'est pas un type"),
        (SimpleUploadedFile("notes.exe", PNG), "n'est pas un type"),
        (SimpleUploadedFile("grande.png", PNG + b"\x00" * 2048), "la limite est de"),
    ],
)
def test_bad_files_are_refused_and_nothing_written(client, cast, settings, upload, message):
    """Wrong type (judged on content) or oversized: 400, French message, no resource."""
    settings.SPASS = {**settings.SPASS, "MAX_UPLOAD_BYTES": 1024}
    client.force_login(cast["contributeur"])
    response = client.post(_add_url(cast), {**_form(), "files": [upload]})
    assert response.status_code == 400
    assert message in page(response)
    assert not Resource.objects.exists() and not Attachment.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_resource_page_leak_matrix(client, cast, actor):
    """The resource page is 200 for those who see the resource, 404 for everyone else,
    and so are its files."""
    made = make_states(cast)
    c = client_for(client, cast, actor)
    for state, resource in made.items():
        attachment = Attachment.objects.create(
            resource=resource,
            file=SimpleUploadedFile("p.png", PNG),
            category="photo",
            name="p.png",
            content_type="image/png",
            size=len(PNG),
            uploaded_by=cast["author"],
        )
        expected = 200 if state in expected_for(actor) else 404
        assert c.get(f"/ressources/{resource.pk}/").status_code == expected, state
        url = f"/ressources/{resource.pk}/fichiers/{attachment.pk}/"
        assert c.get(url).status_code == expected, state


def test_resource_page_shows_fields_in_french_links_and_provenance(client, cast):
    observed = ResourceFactory(
        title="Halle",
        level=Level.PUBLIC,
        validated_at=timezone.now(),
        group=cast.group,
        attributes={"epoque": "XIXe"},
        source="merimee",
        source_id="PA00107526",
    )
    hidden = ResourceFactory(title="Secret", group=cast.group, author=cast["author"])
    activity = ResourceFactory(
        title="Visite de la halle",
        base="activite",
        kind="formation",
        level=Level.PUBLIC,
        validated_at=timezone.now(),
        group=cast.group,
    )
    activity.links.set([observed, hidden])
    body = page(client.get(f"/ressources/{observed.pk}/"))
    assert "Époque" in body and "XIXe" in body
    assert "Importée de « merimee » (identifiant PA00107526)" in body
    assert "Visite de la halle" in body
    body = page(client.get(f"/ressources/{activity.pk}/"))
    assert "Halle" in body and "Secret" not in body


@pytest.mark.parametrize("actor", ACTORS)
def test_edit_and_delete_rights(client, cast, actor):
    """Author and animateur may edit a group resource; everyone else gets a 404."""
    resource = ResourceFactory(group=cast.group, author=cast["author"], level=Level.GROUPE)
    c = client_for(client, cast, actor)
    may = actor in {"author", "animateur"}
    response = c.post(f"/ressources/{resource.pk}/modifier/", _form(title="Nouveau titre"))
    resource.refresh_from_db()
    if actor == "anonymous":
        assert response.status_code == 302 and resource.title != "Nouveau titre"
        return
    assert response.status_code == (302 if may else 404)
    assert (resource.title == "Nouveau titre") is may
    response = c.post(f"/ressources/{resource.pk}/supprimer/")
    assert response.status_code == (302 if may else 404)
    assert Resource.objects.filter(pk=resource.pk).exists() is not may


def test_only_the_author_changes_the_level(client, cast):
    """The animateur's edit form has no level field; the author's has."""
    resource = ResourceFactory(group=cast.group, author=cast["author"], level=Level.GROUPE)
    client.force_login(cast["animateur"])
    assert 'name="level"' not in page(client.get(f"/ressources/{resource.pk}/modifier/"))
    client.force_login(cast["author"])
    client.post(f"/ressources/{resource.pk}/modifier/", _form(level=Level.PUBLIC))
    resource.refresh_from_db()
    assert resource.level == Level.PUBLIC and resource.validated_at is None


def test_typed_coordinates_move_a_point_on_edit(client, cast):
    """The edit page shows the point's coordinates; typing new ones moves it, even when the
    map's script did not rewrite the drawn geometry (no JavaScript, or one field typed)."""
    resource = ResourceFactory(
        group=cast.group, author=cast["author"], level=Level.GROUPE, geom=Point(3.0712, 50.6541)
    )
    client.force_login(cast["author"])
    page = client.get(f"/ressources/{resource.pk}/modifier/").content.decode()
    assert 'name="longitude" value="3.0712"' in page and 'name="latitude" value="50.6541"' in page
    response = client.post(
        f"/ressources/{resource.pk}/modifier/",
        _form(geom=resource.geom.geojson, longitude="3.08", latitude="50.6541"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resource.refresh_from_db()
    assert (round(resource.geom.x, 4), round(resource.geom.y, 4)) == (3.08, 50.6541)


def test_invalid_edit_writes_nothing(client, cast):
    resource = ResourceFactory(group=cast.group, author=cast["author"], level=Level.GROUPE)
    client.force_login(cast["author"])
    response = client.post(
        f"/ressources/{resource.pk}/modifier/", _form(title="Changé", latitude="95")
    )
    assert response.status_code == 400
    resource.refresh_from_db()
    assert resource.title != "Changé"


@pytest.mark.parametrize("actor", ACTORS)
def test_validation_right_and_effect(client, cast, actor):
    """Only the group's animateur validates; the resource then shows anonymously."""
    resource = ResourceFactory(group=cast.group, author=cast["author"], level=Level.PUBLIC)
    c = client_for(client, cast, actor)
    c.post(f"/ressources/{resource.pk}/valider/")
    resource.refresh_from_db()
    assert (resource.validated_by == cast["animateur"]) is (actor == "animateur")
    c.logout()
    status = c.get(f"/ressources/{resource.pk}/").status_code
    assert status == (200 if actor == "animateur" else 404)


@pytest.mark.parametrize("actor", ["lecteur", "contributeur", "expert", "animateur"])
def test_review_by_experts_and_comments_for_members(client, cast, actor):
    resource = ResourceFactory(group=cast.group, author=cast["author"], level=Level.GROUPE)
    client.force_login(cast[actor])
    client.post(f"/ressources/{resource.pk}/relire/", {"comment": "Vérifier la date."})
    may = actor in {"expert", "animateur"}
    assert Review.objects.filter(resource=resource).exists() is may
    body = page(client.get(f"/ressources/{resource.pk}/"))
    assert ("Vérifier la date." in body) is may
    assert "Relectures" in body


def test_review_comments_are_hidden_from_non_members(client, cast):
    resource = ResourceFactory(
        group=cast.group, author=cast["author"], level=Level.PUBLIC, validated_at=timezone.now()
    )
    Review.objects.create(resource=resource, author=cast["expert"], comment="Note interne")
    body = page(client.get(f"/ressources/{resource.pk}/"))
    assert "Note interne" not in body


@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "anonymous"])
def test_my_space_leak_matrix(client, cast, actor):
    """Mon espace never lists a resource its reader may not see; the author finds all of
    theirs, the animateur's queue holds exactly the resources waiting for validation, the
    expert's list what is left to review."""
    make_states(cast)
    reader = client_for(client, cast, actor)
    body = page(reader.get("/mon-espace/")) + "".join(
        page(response)
        for section in ("ressources", "a-valider", "a-relire", "moderation")
        if (response := reader.get(f"/mon-espace/{section}/")).status_code == 200
    )
    listed = {state for state in STATES if f"Clocher {state}" in body}
    assert listed <= expected_for(actor)
    if actor == "author":
        assert listed == set(STATES)
    if actor == "animateur":
        queue = body[body.index("À valider") : body.index("Demandes d'adhésion")]
        assert {s for s in STATES if f"Clocher {s}" in queue} == {
            "communaute-attente",
            "public-attente",
        }
    if actor == "expert":
        assert listed == expected_for("expert")
    if actor in {"account", "lecteur", "contributeur", "other_animateur"}:
        assert listed == set()
