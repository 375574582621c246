"""A map world around the cast: maps at each sharing level and resources at each level."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from layers.models import Layer, Map, MapLayer
from observatoire.kinds import Base, Kind
from tests.factories import ResourceFactory
from workgroups.roles import Level

#: (map slug, resource title) → (level, validated): one map and one resource per state.
STATES = {
    ("carte-privee", "Ressource privée"): (Level.UTILISATEUR, False),
    ("carte-groupe", "Ressource du groupe"): (Level.GROUPE, False),
    ("carte-publique-non-validee", "Ressource publique non validée"): (Level.PUBLIC, False),
    ("carte-communaute", "Ressource communauté"): (Level.COMMUNAUTE, True),
    ("carte-publique", "Ressource publique"): (Level.PUBLIC, True),
}
#: map slug → (level, validated)
MAP_LEVELS = {slug: state for (slug, _title), state in STATES.items()}
#: resource title → (level, validated)
RESOURCE_LEVELS = {title: state for (_slug, title), state in STATES.items()}
#: Actor → map slugs they see (the one rule).
MEMBER_MAPS = {"carte-groupe", "carte-publique-non-validee", "carte-communaute", "carte-publique"}
SEES_MAPS = {
    "anonymous": {"carte-publique"},
    "account": {"carte-communaute", "carte-publique"},
    "other_animateur": {"carte-communaute", "carte-publique"},
    "lecteur": MEMBER_MAPS,
    "contributeur": MEMBER_MAPS,
    "expert": MEMBER_MAPS,
    "animateur": MEMBER_MAPS,
    "author": MEMBER_MAPS | {"carte-privee"},
}
#: Actor → resource titles they see: the same rule as for maps, state by state.
SEES_RESOURCES = {
    actor: {
        title
        for title, state in RESOURCE_LEVELS.items()
        if state in {MAP_LEVELS[slug] for slug in slugs}
    }
    for actor, slugs in SEES_MAPS.items()
}


@dataclass
class MapWorld:
    cast: object
    maps: dict[str, Map]
    layer: Layer


def make_map(cast, layer: Layer, slug: str, title: str, *, author=None, **fields) -> Map:
    """A map of the cast's group, by ``author`` (default ``cast["author"]``), showing ``layer``."""
    carte = Map.objects.create(
        slug=slug, title=title, group=cast.group, author=author or cast["author"], **fields
    )
    MapLayer.objects.create(map=carte, layer=layer)
    return carte


def _validated(validated: bool):
    return timezone.now() if validated else None


@pytest.fixture
def world(cast) -> MapWorld:
    author = cast["author"]
    for i, (title, (level, validated)) in enumerate(RESOURCE_LEVELS.items()):
        ResourceFactory(
            title=title,
            group=cast.group,
            author=author,
            level=level,
            validated_at=_validated(validated),
            base=Base.OBSERVATOIRE,
            kind=Kind.MARQUEUR,
            geom=Point(3.0 + i / 100, 50.6, srid=4326),
            attributes={"commune_insee": "59350"},
        )
    layer = Layer.objects.create(name="Marqueurs", base=Base.OBSERVATOIRE, kinds=[Kind.MARQUEUR])
    maps = {}
    for slug, (level, validated) in MAP_LEVELS.items():
        maps[slug] = make_map(
            cast,
            layer,
            slug,
            f"Titre {slug}",
            level=level,
            validated_at=_validated(validated),
            center=Point(3.05, 50.6, srid=4326),
            zoom=10,
        )
    return MapWorld(cast, maps, layer)


def client_for(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client
