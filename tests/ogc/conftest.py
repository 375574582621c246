"""Fixtures of the OGC API tests: resources of every sharing level around the cast."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from urllib.parse import parse_qs

import pytest
from django.contrib.gis.geos import Point
from django.core.signals import request_started
from django.utils import timezone

from observatoire.kinds import Base, Kind
from observatoire.models import Resource
from workgroups.models import Group, User
from workgroups.roles import Level, Role

from ..factories import GroupFactory, MembershipFactory, ResourceFactory, UserFactory

PASSWORD = "mot-de-passe-test"


def basic(user) -> dict[str, str]:
    """Django test-client headers for HTTP Basic as ``user`` (none for anonymous)."""
    if not user.is_authenticated:
        return {}
    token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@dataclass
class World:
    """One resource per (level, validated) pair, each at its own place, so that a leak shows
    in ids, counts and extents alike."""

    resources: dict[tuple[str, bool], Resource]

    def visible_ids(self, user) -> set[int]:
        return set(
            Resource.objects.visible_to(user)
            .filter(pk__in=[r.pk for r in self.resources.values()])
            .values_list("pk", flat=True)
        )


@pytest.fixture
def world(cast) -> World:
    now = timezone.now()
    resources = {}
    for i, level in enumerate(Level.values):
        for validated in (False, True):
            resources[(level, validated)] = ResourceFactory(
                base=Base.OBSERVATOIRE,
                kind=Kind.MARQUEUR,
                title=f"Ressource {level} {'validée' if validated else 'en attente'}",
                geom=Point(-4.0 + 2 * i, 43.0 + (3 if validated else 0), srid=4326),
                group=cast.group,
                author=cast["author"],
                level=level,
                validated_at=now if validated else None,
                date_start=f"{2000 + i}-0{1 + int(validated)}-01",
                attributes={"epoque": f"époque {i}", "protection": "aucune"},
            )
    return World(resources)


@pytest.fixture
def public(cast):
    """Twelve public validated marqueurs along a line (lon 1..12, lat 45), two realisations."""
    now = timezone.now()
    made = [
        ResourceFactory(
            base=Base.OBSERVATOIRE,
            kind=Kind.MARQUEUR,
            title=f"Marqueur {i:02d}",
            geom=Point(float(i), 45.0, srid=4326),
            group=cast.group,
            author=cast["author"],
            level=Level.PUBLIC,
            validated_at=now,
            date_start=f"{2000 + i}-06-01",
            attributes={"epoque": "XIXe" if i % 2 else "XXe", "protection": "aucune"},
        )
        for i in range(1, 13)
    ]
    made += [
        ResourceFactory(
            base=Base.OBSERVATOIRE,
            kind=Kind.REALISATION,
            title=f"Réalisation {i}",
            geom=Point(2.35, 48.85, srid=4326),
            group=cast.group,
            author=cast["author"],
            level=Level.PUBLIC,
            validated_at=now,
            attributes={"annee_livraison": 1990 + i},
        )
        for i in range(2)
    ]
    return made


@pytest.fixture
def requests_seen():
    """Query strings of the requests the live server receives (to see what clients push)."""
    seen: list[tuple[str, dict[str, list[str]]]] = []

    def record(sender, environ=None, **kwargs):
        if environ is not None:
            seen.append((environ["PATH_INFO"], parse_qs(environ.get("QUERY_STRING", ""))))

    request_started.connect(record)
    yield seen
    request_started.disconnect(record)


@dataclass
class Nord:
    """The demo's cast for the writes: ``demo-nord`` (anim animateur, contrib contributeur,
    lecteur lecteur), ``demo-sud`` where contrib is only lecteur, and three marqueurs of
    demo-nord: contrib's own, anim's (groupe level) and anim's private one."""

    group: Group
    south: Group
    people: dict[str, User]
    own: Resource
    others: Resource
    private: Resource

    def __getitem__(self, name: str) -> User:
        return self.people[name]


@pytest.fixture
def nord(db) -> Nord:
    group = GroupFactory(slug="demo-nord", name="Démo Nord")
    south = GroupFactory(slug="demo-sud", name="Démo Sud")
    roles = {"anim": Role.ANIMATEUR, "contrib": Role.CONTRIBUTEUR, "lecteur": Role.LECTEUR}
    people = {
        name: MembershipFactory(group=group, role=role, user=UserFactory(username=name)).user
        for name, role in roles.items()
    }
    MembershipFactory(group=south, role=Role.LECTEUR, user=people["contrib"])
    marqueur = {"base": Base.OBSERVATOIRE, "kind": Kind.MARQUEUR, "group": group}
    return Nord(
        group=group,
        south=south,
        people=people,
        own=ResourceFactory(
            **marqueur,
            title="Beffroi de contrib",
            author=people["contrib"],
            level=Level.GROUPE,
            attributes={"epoque": "XVIe", "protection": "classe", "note_import": "gardée"},
        ),
        others=ResourceFactory(
            **marqueur, title="Halle d'anim", author=people["anim"], level=Level.GROUPE
        ),
        private=ResourceFactory(
            **marqueur, title="Brouillon d'anim", author=people["anim"], level=Level.UTILISATEUR
        ),
    )
