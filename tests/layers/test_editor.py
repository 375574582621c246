"""The map editor's pages (``/cartes/nouvelle/``, ``/cartes/<slug>/modifier/``, the live
preview, sharing, duplicating, deleting) through Django's client: who may open them, the panel
and the typed CQL2 giving one filter, errors on their fields with nothing written."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from layers import editor
from layers.editor_forms import EXTENT_FIELDS
from layers.models import Layer, Map
from observatoire.kinds import Kind
from tests.factories import ResourceFactory
from tests.layers.maps_fixtures import MAP_LEVELS, SEES_MAPS
from workgroups.roles import Level

pytestmark = pytest.mark.django_db

PREFIX = "couches"


def layer_fields(index: int = 0, **values) -> dict[str, object]:
    """The POST fields of one layer form, with the editor's defaults."""
    fields = {
        "base": "observatoire",
        "name": "",
        "cql": "",
        "composed": "",
        "representation": "markers",
        "category": "kind",
        "color": "#c0392b",
        "radius": "6",
        "opacity": "0.8",
        "stroke_width": "2",
        **values,
    }
    return {f"{PREFIX}-{index}-{name}": value for name, value in fields.items()}


def post_data(*layers: dict[str, object], **map_values) -> dict[str, object]:
    data = {
        f"{PREFIX}-TOTAL_FORMS": str(len(layers)),
        f"{PREFIX}-INITIAL_FORMS": "0",
        f"{PREFIX}-MIN_NUM_FORMS": "1",
        f"{PREFIX}-MAX_NUM_FORMS": "10",
        "title": "Carte de l'éditeur",
        "description": "",
        "zoom": "9",
        "enregistrer": "1",
        **map_values,
    }
    for layer in layers:
        data.update(layer)
    return data


@pytest.fixture
def resources(cast, territories):
    """Public marqueurs in two communes, a projet, and an activité (their communes derived
    from where they are)."""
    now = timezone.now()
    made = {}
    places = {"59350": Point(3.06, 50.63, srid=4326), "59009": Point(3.145, 50.623, srid=4326)}
    for title, kind, insee in (
        ("Beffroi de Lille", Kind.MARQUEUR, "59350"),
        ("Moulin de Villeneuve", Kind.MARQUEUR, "59009"),
        ("Projet de Lille", Kind.PROJET, "59350"),
        ("Formation à Lille", Kind.FORMATION, "59350"),
    ):
        made[title] = ResourceFactory(
            title=title,
            kind=kind,
            base="activite" if kind == Kind.FORMATION else "observatoire",
            group=cast.group,
            author=cast["author"],
            level=Level.PUBLIC,
            validated_at=now,
            attributes={"commune_insee": insee},
            geom=places[insee],
        )
    return made


@pytest.mark.parametrize(
    "actor, expected",
    [("anonymous", 302), ("account", 403), ("lecteur", 403), ("contributeur", 200)],
)
def test_new_map_page_is_for_contributeurs(cast, client, actor, expected):
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])
    response = client.get("/cartes/nouvelle/")
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert 'for="id_title"' in html and 'id="carte-apercu"' in html
        assert f'<option value="{cast.group.pk}" selected>' in html  # their only group


def test_panel_and_typed_cql_save_the_same_filter(cast, client, resources):
    """The panel's « territory » and the same condition typed as CQL2 save the same filter,
    and the viewer lists the same objects; nothing else is needed than a POST."""
    client.force_login(cast["contributeur"])
    panel = client.post(
        "/cartes/nouvelle/",
        post_data(
            layer_fields(**{"kinds": ["marqueur"], "territory": "59350"}),
            group=cast.group.pk,
            title="Par le panneau",
        ),
    )
    assert panel.status_code == 302, panel.content.decode()[:3000]
    typed = client.post(
        "/cartes/nouvelle/",
        post_data(
            layer_fields(kinds=["marqueur"], cql="communes IN ('59350')"),
            group=cast.group.pk,
            title="Par le texte",
        ),
    )
    assert typed.status_code == 302
    by_panel, by_text = (Map.objects.get(slug=s) for s in ("par-le-panneau", "par-le-texte"))
    assert by_panel.ordered_layers()[0].cql == by_text.ordered_layers()[0].cql
    assert by_panel.ordered_layers()[0].cql == ("kind IN ('marqueur') AND communes IN ('59350')")
    rows = [
        [r.title for r in client.get(f"/cartes/{slug}/").context["rows"]]
        for slug in ("par-le-panneau", "par-le-texte")
    ]
    assert rows[0] == rows[1] == ["Beffroi de Lille"]
    edit = client.get("/cartes/par-le-texte/modifier/")  # the panel read back from the text
    assert edit.context["formset"].forms[0]["territory"].value() == "Lille (59350)"
    # the name as shown goes back as the same filter
    again = client.post(
        "/cartes/nouvelle/",
        post_data(
            layer_fields(kinds=["marqueur"], territory="Lille (59350)"),
            group=cast.group.pk,
            title="Par le nom",
        ),
    )
    assert again.status_code == 302
    assert (
        Map.objects.get(slug="par-le-nom").ordered_layers()[0].cql
        == by_text.ordered_layers()[0].cql
    )


def test_invalid_cql_is_on_its_field_and_nothing_is_written(cast, client):
    client.force_login(cast["contributeur"])
    response = client.post(
        "/cartes/nouvelle/",
        post_data(layer_fields(cql="kind = 'marqueur' AND"), group=cast.group.pk),
    )
    assert response.status_code == 400
    form = response.context["formset"].forms[0]
    assert "colonne 19" in form.errors["cql"][0]
    html = response.content.decode()
    assert 'id="id_couches-0-cql_error"' in html and 'aria-invalid="true"' in html
    assert not Map.objects.exists() and not Layer.objects.exists()


def test_out_of_range_style_and_kind_of_another_base(cast, client):
    client.force_login(cast["contributeur"])
    response = client.post(
        "/cartes/nouvelle/",
        post_data(
            layer_fields(radius="90"),
            layer_fields(1, base="activite", kinds=["marqueur"]),
            group=cast.group.pk,
        ),
    )
    assert response.status_code == 400
    first, second = response.context["formset"].forms
    assert "30" in first.errors["radius"][0]
    assert "Type inconnu" in second.errors["kinds"][0]
    assert not Map.objects.exists()


@pytest.mark.parametrize(
    ("edges", "field", "expected"),
    [
        (("3.1", "50.6", "2.9", "50.7"), "extent_north", "l'ouest doit précéder l'est"),
        (("2.9", "50.6", "", "50.7"), "extent_north", "les quatre bords"),
        (("2.9", "95", "3.1", "96"), "extent_south", "90"),
    ],
)
def test_a_bad_extent_is_on_its_fields_and_nothing_is_written(cast, client, edges, field, expected):
    client.force_login(cast["contributeur"])
    extent = dict(zip(EXTENT_FIELDS, edges, strict=True))
    response = client.post(
        "/cartes/nouvelle/", post_data(layer_fields(), group=cast.group.pk, **extent)
    )
    assert response.status_code == 400
    assert expected in response.context["map_form"].errors[field][0]
    assert not Map.objects.exists()


def test_an_extent_is_saved_and_shown_again(cast, client):
    client.force_login(cast["contributeur"])
    edges = {"extent_west": "2.9", "extent_south": "50.6", "extent_east": "3.1"}
    response = client.post(
        "/cartes/nouvelle/",
        post_data(layer_fields(), group=cast.group.pk, extent_north="50.7", **edges),
    )
    assert response.status_code == 302
    carte = Map.objects.get()
    assert carte.extent == [2.9, 50.6, 3.1, 50.7]
    page = client.get(response["Location"])
    assert page.context["map_form"].initial["extent_east"] == 3.1
    assert page.context["config"]["extent"] == [2.9, 50.6, 3.1, 50.7]  # the preview opens on it


def test_preview_composes_reads_back_and_writes_nothing(cast, client, resources):
    """The live preview composes the panel into CQL2, reads a typed text back into the panel,
    gives the French error of a bad one on its field, lists the objects, and writes nothing."""
    client.force_login(cast["contributeur"])
    data = post_data(
        layer_fields(kinds=["marqueur"], territory="59350"),
        layer_fields(1, cql="title LIKE '%Projet%' AND kind = 'projet'"),
        layer_fields(2, base="activite", cql="titre = 1"),
    )
    data[f"{PREFIX}-TOTAL_FORMS"] = "3"
    answer = client.post("/cartes/apercu/", data).json()
    first, second, third = answer["layers"]
    assert first["cql"] == first["composed"] == "communes IN ('59350')"
    assert first["panel"]["territory"] == "Lille (59350)"  # the panel shows the name
    assert second["panel"]["text"] == "Projet"
    assert second["panel"]["advanced"] == "kind = 'projet'"  # no panel field for it
    assert "titre" in third["errors"]["id_couches-2-cql"][0]
    assert [layer["id"] for layer in answer["config"]["layers"]] == [
        "couche-apercu-0",
        "couche-apercu-1",
    ]
    assert answer["count"] == 2
    assert {row["title"] for row in answer["rows"]} == {"Beffroi de Lille", "Projet de Lille"}
    assert not Map.objects.exists() and not Layer.objects.exists()
    client.logout()
    assert client.post("/cartes/apercu/", data).status_code == 302  # to the login page


def _made(cast) -> dict[str, Map]:
    """The five states of ``maps_fixtures`` made with the editor's service."""
    maps = {}
    for slug, (level, validated) in MAP_LEVELS.items():
        carte = editor.create_map(
            cast["author"], cast.group, title=slug, layers=[editor.LayerSpec("observatoire")]
        )
        if level != Level.UTILISATEUR:
            editor.share_map(cast["author"], carte, level)
        if validated:
            editor.validate_map(cast["animateur"], carte)
        maps[slug] = carte
    return maps


@pytest.mark.parametrize("actor", list(SEES_MAPS))
def test_editor_pages_follow_the_one_rule(cast, client, actor):
    """The editor and its deletion page open for who may edit (author; animateurs but for
    private maps), 403 for who sees the map only, 404 for who does not see it; the viewer
    offers « Modifier » to exactly those who may."""
    _made(cast)
    person = cast[actor]
    if person.is_authenticated:
        client.force_login(person)
    edits = {"author": set(MAP_LEVELS), "animateur": set(MAP_LEVELS) - {"carte-privee"}}
    for slug in MAP_LEVELS:
        visible, editable = slug in SEES_MAPS[actor], slug in edits.get(actor, set())
        expected = 200 if editable else 403 if visible else 404
        for path in (f"/cartes/{slug}/modifier/", f"/cartes/{slug}/supprimer/"):
            code = client.get(path).status_code
            assert code == (302 if not person.is_authenticated else expected), (path, code)
        if visible:
            html = client.get(f"/cartes/{slug}/").content.decode()
            assert (f"/cartes/{slug}/modifier/" in html) == editable


def test_share_validate_duplicate_delete_from_the_pages(cast, client):
    carte = editor.create_map(
        cast["author"], cast.group, title="Partagée", layers=[editor.LayerSpec("observatoire")]
    )
    client.force_login(cast["author"])
    client.post(f"/cartes/{carte.slug}/partager/", {"level": "public"})
    carte.refresh_from_db()
    assert (carte.level, carte.is_validated) == ("public", False)
    client.force_login(cast["contributeur"])
    client.post(f"/cartes/{carte.slug}/valider/")
    carte.refresh_from_db()
    assert not carte.is_validated  # a contributeur does not validate
    assert "Valider la carte" not in client.get(f"/cartes/{carte.slug}/").content.decode()
    client.force_login(cast["animateur"])
    page = client.get(f"/cartes/{carte.slug}/modifier/").content.decode()
    assert "Valider la carte" in page and 'name="level"' not in page  # the author shares
    # the viewer, where a « carte à valider » notification leads, offers it too
    viewer = client.get(f"/cartes/{carte.slug}/").content.decode()
    assert f'action="/cartes/{carte.slug}/valider/"' in viewer and "attend la validation" in viewer
    client.post(f"/cartes/{carte.slug}/valider/")
    carte.refresh_from_db()
    assert carte.is_validated
    client.logout()
    assert client.get(f"/cartes/{carte.slug}/").status_code == 200  # anonymous now

    client.force_login(cast["contributeur"])
    copied = client.post(f"/cartes/{carte.slug}/dupliquer/")
    copy = Map.objects.get(author=cast["contributeur"])
    assert copied["Location"] == f"/cartes/{copy.slug}/modifier/"
    assert (copy.level, copy.title) == ("utilisateur", "Copie de Partagée")
    confirm = client.get(f"/cartes/{copy.slug}/supprimer/")
    assert "Oui, supprimer la carte" in confirm.content.decode()
    assert Map.objects.filter(pk=copy.pk).exists()  # GET only asks
    client.post(f"/cartes/{copy.slug}/supprimer/")
    assert not Map.objects.filter(pk=copy.pk).exists()


def test_add_a_layer_without_javascript(cast, client):
    client.force_login(cast["contributeur"])
    data = post_data(layer_fields(), group=cast.group.pk)
    del data["enregistrer"]
    data["ajouter"] = "1"
    response = client.post("/cartes/nouvelle/", data)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 2
    assert not Map.objects.exists()


def test_map_list_offers_the_editor_to_contributeurs(cast, client):
    client.force_login(cast["lecteur"])
    assert "/cartes/nouvelle/" not in client.get("/cartes/").content.decode()
    client.force_login(cast["contributeur"])
    assert "/cartes/nouvelle/" in client.get("/cartes/").content.decode()


def test_group_page_lists_its_maps_and_offers_the_editor(cast, client):
    for title in ("Carte B", "Carte A"):
        editor.create_map(
            cast["author"],
            cast.group,
            title=title,
            layers=[editor.LayerSpec("observatoire")],
            level=Level.GROUPE,
        )
    client.force_login(cast["contributeur"])
    page = client.get(f"/groupes/{cast.group.slug}/").content.decode()
    assert page.index(">Carte A<") < page.index(">Carte B<")
    assert f"/cartes/nouvelle/?groupe={cast.group.pk}" in page
    listed = client.get(f"/cartes/?groupe={cast.group.slug}").content.decode()
    assert "Cartes du groupe « Groupe de la matrice »" in listed and ">Carte A<" in listed
    form = client.get(f"/cartes/nouvelle/?groupe={cast.group.pk}").context["map_form"]
    assert form["group"].value() == cast.group.pk
    client.force_login(cast["account"])
    page = client.get(f"/groupes/{cast.group.slug}/").content.decode()
    assert "Cartes du groupe" not in page  # none visible, none to make


def test_positions_order_the_layers_and_edit_shows_them(cast, client):
    """The « Position » fields order the layers (what « Monter »/« Descendre » write); a
    position left empty keeps the form's place; the edit page numbers them again."""
    client.force_login(cast["contributeur"])
    response = client.post(
        "/cartes/nouvelle/",
        post_data(
            layer_fields(0, name="Marqueurs", ORDER="2"),
            layer_fields(1, base="activite", name="Activité", ORDER="1"),
            layer_fields(2, name="Sans position"),
            group=cast.group.pk,
            title="Ordre des couches",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    carte = Map.objects.get(slug="ordre-des-couches")
    assert [layer.name for layer in carte.ordered_layers()] == [
        "Activité",
        "Marqueurs",
        "Sans position",
    ]
    edit = client.get("/cartes/ordre-des-couches/modifier/")
    forms = edit.context["formset"].forms
    assert [(f["name"].value(), f["ORDER"].value()) for f in forms] == [
        ("Activité", 1),
        ("Marqueurs", 2),
        ("Sans position", 3),
    ]


def test_heritage_nearby_in_the_panel_is_part_of_the_layer_cql(cast, client):
    """The panel's « Près d'un monument historique » composes into the layer's one CQL2 text,
    and the edit page reads it back into the panel."""
    client.force_login(cast["contributeur"])
    response = client.post(
        "/cartes/nouvelle/",
        post_data(layer_fields(kinds=["marqueur"], heritage="300"), group=cast.group.pk),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    carte = Map.objects.get(slug="carte-de-lediteur")
    assert carte.ordered_layers()[0].cql == "kind IN ('marqueur') AND heritage_distance <= 300"
    edit = client.get("/cartes/carte-de-lediteur/modifier/")
    assert edit.context["formset"].forms[0]["heritage"].value() == 300
