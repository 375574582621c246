"""Creating and editing resources: rights, validation of every field, nothing half-written."""

import pytest
from django.contrib.gis.geos import GEOSGeometry, LineString, Point, Polygon
from django.core.exceptions import ValidationError

from observatoire import services
from observatoire.models import Resource, Review
from workgroups.errors import NotAllowed

VALID = {
    "title": "Beffroi de Lille",
    "base": "observatoire",
    "kind": "marqueur",
    "geom": Point(3.0573, 50.6292, srid=4326),
}


def _create(cast, actor="contributeur", **overrides):
    fields = {**VALID, **overrides}
    return services.create_resource(cast[actor], cast.group, **fields)


def test_contributeur_creates_a_private_resource_by_default(cast):
    resource = _create(cast)
    assert resource.level == "utilisateur"
    assert resource.author == cast["contributeur"]


@pytest.mark.parametrize(
    "geom",
    [
        Point(3.0, 50.0, srid=4326),
        LineString((3.0, 50.0), (3.1, 50.1), srid=4326),
        Polygon(((3.0, 50.0), (3.1, 50.0), (3.1, 50.1), (3.0, 50.0)), srid=4326),
        GEOSGeometry("MULTIPOINT((3 50),(3.1 50.1))", srid=4326),
    ],
)
def test_any_geometry_type_is_accepted(cast, geom):
    assert _create(cast, geom=geom).geom.geom_type == geom.geom_type


def test_mediatheque_item_may_have_no_place(cast):
    resource = _create(cast, base="mediatheque", kind="publication", geom=None)
    assert resource.geom is None


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        (
            {"geom": Polygon(((0, 0), (1, 1), (1, 0), (0, 1), (0, 0)), srid=4326)},
            "geom",
            "invalide",
        ),
        ({"geom": Point(250.0, 50.0, srid=4326)}, "geom", "hors des limites"),
        ({"geom": GEOSGeometry("POINT EMPTY", srid=4326)}, "geom", "vide"),
        ({"geom": None}, "geom", "obligatoire"),
        ({"kind": "photo"}, "kind", "n'existe pas dans la base"),
        ({"kind": "chateau"}, "kind", "chateau"),
        (
            {"kind": "realisation", "attributes": {"annee_livraison": "l'an dernier"}},
            "attributes",
            "annee_livraison",
        ),
        (
            {"kind": "marqueur", "attributes": {"protection": "sauvegarde"}},
            "attributes",
            "protection",
        ),
        ({"attributes": ["pas", "un", "objet"]}, "attributes", "objet JSON"),
        ({"title": ""}, "title", "Ce champ ne peut pas être vide."),
        ({"level": "secret"}, "level", "secret"),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_nothing_written(
    cast, overrides, field, words
):
    """Each bad value names its field in French; no row is written."""
    with pytest.raises(ValidationError) as error:
        _create(cast, **overrides)
    messages = error.value.message_dict
    assert field in messages
    assert words in " ".join(messages[field])
    assert not Resource.objects.exists()


@pytest.mark.parametrize("actor", ["lecteur", "account", "other_animateur"])
def test_only_contributeurs_and_above_create(cast, actor):
    """Readers, outsiders and other groups' animateurs cannot create in the group."""
    with pytest.raises(NotAllowed) as error:
        _create(cast, actor=actor)
    assert "contributeur" in error.value.message
    assert not Resource.objects.exists()


def test_animateur_sharing_beyond_the_group_validates_at_once(cast):
    """An animateur's own share needs no second animateur."""
    resource = _create(cast, actor="animateur", level="public")
    assert resource.validated_by == cast["animateur"]
    assert Resource.objects.visible_to(cast["anonymous"]).filter(pk=resource.pk).exists()


def test_contributeur_public_share_waits_for_validation(cast):
    resource = _create(cast, level="public")
    assert resource.validated_at is None
    assert services.validation_queue(cast["animateur"]).get() == resource
    assert not services.validation_queue(cast["other_animateur"]).exists()


def test_expert_reviews_with_a_comment(cast):
    """Experts proofread group resources; readers cannot."""
    resource = _create(cast, level="groupe")
    review = services.review(cast["expert"], resource, "Vérifier la date de construction.")
    resource.refresh_from_db()
    assert resource.checked_by == cast["expert"]
    assert Review.objects.get() == review
    with pytest.raises(NotAllowed):
        services.review(cast["lecteur"], resource, "Bravo")
    with pytest.raises(ValidationError):
        services.review(cast["expert"], resource, "   ")


def test_activite_links_to_observatoire_and_mediatheque_only(cast):
    marqueur = _create(cast)
    activite = _create(cast, base="activite", kind="formation", links=[marqueur])
    assert list(activite.links.all()) == [marqueur]
    with pytest.raises(ValidationError) as error:
        _create(cast, links=[activite])
    assert "links" in error.value.message_dict


def test_failed_update_leaves_the_row_unchanged(cast):
    """An update with one bad field writes none of the others."""
    resource = _create(cast)
    with pytest.raises(ValidationError):
        services.update_resource(
            cast["contributeur"], resource, title="Nouveau titre", geom=Point(3, 95, srid=4326)
        )
    resource.refresh_from_db()
    assert resource.title == "Beffroi de Lille"
