"""« Accrocher »: who pins, who unpins, bad input, and the leak matrix — a pin never shows an
item to someone the visibility rule would not show it to, before and after its level
changes."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from layers.models import Layer
from observatoire.kinds import Base, Kind
from pins import services
from pins.models import Pin
from tests.factories import MembershipFactory, ResourceFactory, UserFactory
from tests.layers.maps_fixtures import make_map
from workgroups.roles import Level, Role

from ..conftest import ACTORS
from .conftest import SEES, expected


def api(person=None) -> APIClient:
    client = APIClient()
    if person is not None and person.is_authenticated:
        client.force_authenticate(person)
    return client


def _titles(actor_client, slug: str = "portail") -> set[str]:
    response = actor_client.get(f"/api/v1/groups/{slug}/pins/")
    assert response.status_code == 200
    return {row["title"] for row in response.json()}


@pytest.mark.parametrize("actor", ACTORS)
def test_leak_matrix_pins_show_exactly_what_the_actor_sees(cast, portal, pinned, actor):
    """Two-sided: every visible pinned item is listed, no other; then the public items go
    back to ``groupe`` level and leave the list for outsiders at the next request."""
    client = api(cast[actor])
    assert _titles(client) == expected(pinned, actor)

    for key in ("r-public", "m-public", "r-communaute", "m-communaute"):
        item = pinned[key]
        type(item).objects.filter(pk=item.pk).update(level=Level.GROUPE, validated_at=None)
    after = {**SEES, "public": SEES["groupe"], "communaute": SEES["groupe"]}
    assert _titles(client) == expected(pinned, actor, after)
    # the service the portal pages use answers the same
    assert {p.item.title for p in services.pinned_for(portal, cast[actor])} == expected(
        pinned, actor, after
    )


def test_pinned_for_is_newest_first_and_bounded(cast, portal, monkeypatch):
    monkeypatch.setattr(services, "PIN_LIMIT", 3)
    for i in range(5):
        Pin.objects.create(
            group=portal,
            pinned_by=cast["other_animateur"],
            resource=ResourceFactory(
                title=f"Publique {i}",
                group=cast.group,
                author=cast["author"],
                level=Level.PUBLIC,
                validated_at=timezone.now(),
            ),
        )
    pins = services.pinned_for(portal, cast["anonymous"])
    assert [p.item.title for p in pins] == ["Publique 4", "Publique 3", "Publique 2"]


def test_a_contributeur_pins_what_they_see_once(cast, portal):
    contributeur = UserFactory(username="contrib_portail")
    MembershipFactory(group=portal, user=contributeur, role=Role.CONTRIBUTEUR)
    resource = ResourceFactory(
        group=cast.group, author=cast["author"], level=Level.PUBLIC, validated_at=timezone.now()
    )
    client = api(contributeur)
    first = client.post("/api/v1/groups/portail/pins/", {"resource": resource.pk}, format="json")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["type"] == "resource" and body["resource"] == resource.pk
    assert body["pinned_by"] == "contrib_portail" and body["group"] == "portail"
    again = client.post("/api/v1/groups/portail/pins/", {"resource": resource.pk}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Pin.objects.count() == 1


def test_a_map_is_pinned_by_its_slug(cast, portal):
    layer = Layer.objects.create(name="M", base=Base.OBSERVATOIRE, kinds=[Kind.MARQUEUR])
    make_map(
        cast,
        layer,
        "carte-publique",
        "Carte publique",
        level=Level.PUBLIC,
        validated_at=timezone.now(),
    )
    client = api(cast["other_animateur"])
    response = client.post("/api/v1/groups/portail/pins/", {"map": "carte-publique"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["map"] == "carte-publique"
    assert response.json()["url"].endswith("/cartes/carte-publique/")


@pytest.mark.parametrize(
    "body",
    [{}, {"resource": 1, "map": "x"}, {"resource": "abc"}, {"map": "pas un slug!"}],
)
def test_bad_bodies_answer_400(cast, portal, body):
    response = api(cast["other_animateur"]).post(
        "/api/v1/groups/portail/pins/", body, format="json"
    )
    assert response.status_code == 400
    assert Pin.objects.count() == 0


def test_an_item_one_cannot_see_is_not_found_and_nothing_is_written(cast, portal):
    hidden = ResourceFactory(group=cast.group, author=cast["author"], level=Level.GROUPE)
    client = api(cast["other_animateur"])
    for body in ({"resource": hidden.pk}, {"resource": 999_999}, {"map": "inconnue"}):
        response = client.post("/api/v1/groups/portail/pins/", body, format="json")
        assert response.status_code == 404, body
    assert Pin.objects.count() == 0


def test_only_contributeurs_of_the_group_pin(cast, portal):
    public = ResourceFactory(
        group=cast.group, author=cast["author"], level=Level.PUBLIC, validated_at=timezone.now()
    )
    lecteur = UserFactory(username="lecteur_portail")
    MembershipFactory(group=portal, user=lecteur, role=Role.LECTEUR)
    url = "/api/v1/groups/portail/pins/"
    assert api().post(url, {"resource": public.pk}, format="json").status_code in (401, 403)
    assert api(lecteur).post(url, {"resource": public.pk}, format="json").status_code == 403
    # an animateur of the cast's group is nothing in the portal
    assert (
        api(cast["animateur"]).post(url, {"resource": public.pk}, format="json").status_code == 403
    )
    assert api(cast["account"]).get("/api/v1/groups/inconnu/pins/").status_code == 404
    assert Pin.objects.count() == 0


def test_the_pinner_or_an_animateur_unpins(cast, portal):
    pinner = UserFactory(username="epingleur")
    other = UserFactory(username="autre_contrib")
    for person in (pinner, other):
        MembershipFactory(group=portal, user=person, role=Role.CONTRIBUTEUR)
    resources = [
        ResourceFactory(
            group=cast.group,
            author=cast["author"],
            level=Level.PUBLIC,
            validated_at=timezone.now(),
        )
        for _ in range(2)
    ]
    pins = [services.pin(pinner, portal, resource_id=r.pk)[0] for r in resources]
    url = "/api/v1/groups/portail/pins/{}/"
    assert api(other).delete(url.format(pins[0].pk)).status_code == 403
    assert api(pinner).delete(url.format(pins[0].pk)).status_code == 204
    assert api(cast["other_animateur"]).delete(url.format(pins[1].pk)).status_code == 204
    assert Pin.objects.count() == 0
    assert api(pinner).delete(url.format(pins[1].pk)).status_code == 404


def test_unpin_of_a_hidden_item_by_an_outsider_says_not_found(cast, portal):
    hidden = ResourceFactory(group=cast.group, author=cast["author"], level=Level.GROUPE)
    pin = Pin.objects.create(group=portal, resource=hidden, pinned_by=cast["other_animateur"])
    response = api(cast["account"]).delete(f"/api/v1/groups/portail/pins/{pin.pk}/")
    assert response.status_code == 404
    assert Pin.objects.filter(pk=pin.pk).exists()


def test_the_check_constraint_wants_exactly_one_item(cast, portal):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Pin.objects.create(group=portal, pinned_by=cast["author"])


def test_pages_offer_the_form_and_name_the_portals(client, cast, portal):
    public = ResourceFactory(
        title="Beffroi public",
        group=cast.group,
        author=cast["author"],
        level=Level.PUBLIC,
        validated_at=timezone.now(),
    )
    client.force_login(cast["other_animateur"])
    page = client.get(f"/ressources/{public.pk}/").content.decode()
    assert "Accrocher à…" in page and 'value="portail"' in page
    assert 'value="autre-groupe"' in page  # other_animateur's own group
    response = client.post("/accrocher/", {"group": "portail", "resource": public.pk}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Accroché au portail de « Portail des communes »" in body
    assert Pin.objects.filter(group=portal, resource=public).count() == 1
    # anyone who sees the item sees which portals pinned it; anonymous gets no form
    client.logout()
    anonymous = client.get(f"/ressources/{public.pk}/").content.decode()
    assert "Portail des communes" in anonymous and "Accrocher à…" not in anonymous


def test_the_page_form_writes_nothing_for_a_hidden_item(client, cast, portal):
    hidden = ResourceFactory(group=cast.group, author=cast["author"], level=Level.GROUPE)
    client.force_login(cast["other_animateur"])
    response = client.post("/accrocher/", {"group": "portail", "resource": hidden.pk})
    assert response.status_code == 404
    assert client.get("/accrocher/").status_code == 405
    assert Pin.objects.count() == 0


def test_the_map_page_offers_the_form(client, cast, portal):
    layer = Layer.objects.create(name="M", base=Base.OBSERVATOIRE, kinds=[Kind.MARQUEUR])
    make_map(cast, layer, "carte-pub", "Carte pub", level=Level.PUBLIC, validated_at=timezone.now())
    client.force_login(cast["other_animateur"])
    page = client.get("/cartes/carte-pub/").content.decode()
    assert 'name="map" value="carte-pub"' in page and "Accrocher à…" in page
    response = client.post("/accrocher/", {"group": "portail", "map": "carte-pub"})
    assert response.status_code == 302 and response["Location"] == "/cartes/carte-pub/"
    assert Pin.objects.filter(group=portal, map__slug="carte-pub").exists()
