"""The « Accrochés » block of a portal's home: the leak matrix through the page itself (a
pinned item shows only to those who see the item, and leaves at the next request when it
goes back to ``groupe``), and « Retirer » for the pinner and the group's animateurs."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from pins.models import Pin
from tests.factories import MembershipFactory, ResourceFactory, UserFactory
from workgroups.roles import Level, Role

from ..conftest import ACTORS
from .conftest import SEES, expected


def _block_titles(client: Client) -> set[str]:
    page = client.get("/portails/portail/").content.decode()
    match = re.search(r'<h2 id="bloc-accroches">.*?</section>', page, re.S)
    assert match, "the portal's home has an « Accrochés » block"
    return set(re.findall(r'<a href="/(?:ressources|cartes)/[^"]+">([^<]+)</a>', match.group(0)))


@pytest.mark.parametrize("actor", ACTORS)
def test_leak_matrix_the_portal_block_shows_exactly_what_the_actor_sees(
    client, cast, portal, pinned, actor
):
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])
    assert _block_titles(client) == expected(pinned, actor)
    for key in ("r-public", "m-public"):
        item = pinned[key]
        type(item).objects.filter(pk=item.pk).update(level=Level.GROUPE, validated_at=None)
    after = {**SEES, "public": SEES["groupe"]}
    assert _block_titles(client) == expected(pinned, actor, after)


def test_the_block_says_how_to_pin_when_empty(client, cast, portal):
    page = client.get("/portails/portail/").content.decode()
    assert "Aucun élément accroché pour le moment" in page


def test_the_pinner_and_the_animateurs_unpin_from_the_portal(client, cast, portal):
    pinner, other = UserFactory(username="epingleur"), UserFactory(username="autre")
    for person in (pinner, other):
        MembershipFactory(group=portal, user=person, role=Role.CONTRIBUTEUR)
    public = [
        ResourceFactory(
            title=f"Moulin {i}",
            group=cast.group,
            author=cast["author"],
            level=Level.PUBLIC,
            validated_at=timezone.now(),
        )
        for i in range(2)
    ]
    pins = [Pin.objects.create(group=portal, resource=r, pinned_by=pinner) for r in public]

    client.force_login(other)
    page = client.get("/portails/portail/").content.decode()
    assert "Moulin 0" in page and "Retirer" not in page
    refused = client.post(f"/accrocher/{pins[0].pk}/retirer/", {"next": "/portails/portail/"})
    assert refused.status_code == 302 and Pin.objects.filter(pk=pins[0].pk).exists()

    client.force_login(pinner)
    assert "Retirer « Moulin 0 » du portail" in client.get("/portails/portail/").content.decode()
    done = client.post(f"/accrocher/{pins[0].pk}/retirer/", {"next": "/portails/portail/"})
    assert done.status_code == 302 and done["Location"] == "/portails/portail/"
    assert not Pin.objects.filter(pk=pins[0].pk).exists()

    client.force_login(cast["other_animateur"])  # animateur of the portal's group
    away = client.post(f"/accrocher/{pins[1].pk}/retirer/", {"next": "https://ailleurs.example/"})
    assert away["Location"] == "/groupes/portail/"  # never sent to another site
    assert Pin.objects.count() == 0
    assert client.get(f"/accrocher/{pins[1].pk}/retirer/").status_code == 405


def test_unpinning_a_hidden_item_is_not_found(client, cast, portal):
    hidden = ResourceFactory(group=cast.group, author=cast["author"], level=Level.GROUPE)
    pin = Pin.objects.create(group=portal, resource=hidden, pinned_by=cast["other_animateur"])
    client.force_login(cast["account"])
    assert client.post(f"/accrocher/{pin.pk}/retirer/").status_code == 404
    assert Pin.objects.filter(pk=pin.pk).exists()


def test_the_demo_pins_show_in_demo_nord_portal(client, db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    call_command("load_demo_pins", verbosity=0)
    pins = Pin.objects.filter(group__slug="demo-nord").select_related("resource__group")
    assert pins.count() == 4
    assert {p.resource.group.slug for p in pins} == {"patrimoine-paysages", "centres-bourgs"}
    assert all(p.pinned_by.username == "anim" for p in pins)
    call_command("load_demo_pins", verbosity=0)
    assert Pin.objects.count() == 4  # once
    page = client.get("/portails/demo-nord/").content.decode()
    for pin in pins:
        assert pin.resource.title in page
