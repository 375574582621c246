"""Fixtures of the pins tests: a portal group, and an item (a resource and a map) of the
cast's group in each sharing state, all pinned into it."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from layers.models import Layer, Map
from observatoire.kinds import Base, Kind
from pins.models import Pin
from tests.factories import GroupFactory, MembershipFactory, ResourceFactory
from tests.layers.maps_fixtures import make_map
from workgroups.roles import Level, Role

from ..conftest import ACTORS

#: Who sees an item of « Groupe de la matrice » in each state (tests/api/conftest.py's table).
MEMBERS = ("lecteur", "contributeur", "expert", "animateur")
SEES = {
    "prive": {"author"},
    "groupe": {*MEMBERS, "author"},
    "communaute": {*MEMBERS, "author", "account", "other_animateur"},
    "public": set(ACTORS),
}
STATES = {
    "prive": (Level.UTILISATEUR, False),
    "groupe": (Level.GROUPE, False),
    "communaute": (Level.COMMUNAUTE, True),
    "public": (Level.PUBLIC, True),
}


@pytest.fixture
def portal(cast):
    """A third group, « Portail », whose animateur and contributeur pin items of the cast's
    group (``other_animateur`` is its animateur too, so the matrix reads its pins)."""
    group = GroupFactory(slug="portail", name="Portail des communes")
    MembershipFactory(group=group, user=cast["other_animateur"], role=Role.ANIMATEUR)
    return group


def _item_states(cast) -> dict[str, object]:
    items = {}
    layer = Layer.objects.create(name="Marqueurs", base=Base.OBSERVATOIRE, kinds=[Kind.MARQUEUR])
    for i, (state, (level, validated)) in enumerate(STATES.items()):
        when = timezone.now() if validated else None
        items[f"r-{state}"] = ResourceFactory(
            title=f"Ressource {state}",
            group=cast.group,
            author=cast["author"],
            level=level,
            validated_at=when,
            geom=Point(3.0 + i / 100, 50.6, srid=4326),
        )
        items[f"m-{state}"] = make_map(
            cast, layer, f"carte-{state}", f"Carte {state}", level=level, validated_at=when
        )
    return items


@pytest.fixture
def pinned(cast, portal) -> dict[str, object]:
    """Every item state pinned into the portal, written directly (the author sees them all,
    but is no member of the portal)."""
    items = _item_states(cast)
    for item in items.values():
        field = "map" if isinstance(item, Map) else "resource"
        Pin.objects.create(group=portal, pinned_by=cast["author"], **{field: item})
    return items


def expected(items: dict[str, object], person: str, states=SEES) -> set[str]:
    return {item.title for key, item in items.items() if person in states[key.split("-", 1)[1]]}
