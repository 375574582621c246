"""The tile leak matrix beyond ``observatoire`` and sessions: every per-base and per-kind
collection, the feed key (``?key=``) of each actor, and TileJSON bounds per actor. Expected
sets come from the table of tests/workgroups/test_visibility_matrix.py (``SEE``)."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from observatoire.catalogue import COLLECTIONS
from observatoire.kinds import BASE_OF_KIND
from workgroups.auth import create_feed_key

from ..conftest import ACTORS
from ..factories import ResourceFactory
from ..workgroups.test_visibility_matrix import SEE
from .conftest import LEVELS, ids_in, tile_of

pytestmark = pytest.mark.django_db

Z = 12  # features (not clusters) from z10


def _sees(actor: str, key: tuple[str, bool]) -> bool:
    return actor in SEE[key].split()


@pytest.fixture
def every_kind(cast) -> dict[tuple[str, str, bool], object]:
    """(kind, level, validated) → a resource of the cast's group, all in one z12 tile."""
    made = {}
    for i, (kind, base) in enumerate(BASE_OF_KIND.items()):
        for j, (level, validated) in enumerate(
            (level, validated) for level in LEVELS for validated in (False, True)
        ):
            made[(kind, level, validated)] = ResourceFactory(
                base=base,
                kind=kind,
                group=cast.group,
                author=cast["author"],
                level=level,
                validated_at=timezone.now() if validated else None,
                geom=Point(3.05 + 0.0005 * i, 50.62 + 0.0005 * j, srid=4326),
            )
    tiles = {tile_of(r.geom.x, r.geom.y, Z) for r in made.values()}
    assert len(tiles) == 1
    return made


def _expected(every_kind, collection, actor) -> set[int]:
    return {
        r.pk
        for (kind, level, validated), r in every_kind.items()
        if (collection.kind or collection.base) in (kind, BASE_OF_KIND[kind])
        and _sees(actor, (level, validated))
    }


def _through(client, person, channel: str) -> str:
    """Let ``client`` act as ``person`` through ``channel``: a session (the client logs in)
    or a feed key (the query string to add). Anonymous: neither."""
    if not person.is_authenticated:
        return ""
    if channel == "session":
        client.force_login(person)
        return ""
    return f"?key={create_feed_key(person).key}"


@pytest.mark.parametrize("channel", ["session", "key"])
@pytest.mark.parametrize("actor", ACTORS)
def test_every_collection_tile_shows_exactly_what_the_actor_may_see(
    client, cast, every_kind, actor, channel
):
    """In each of the 20 collections, the z12 tile holds exactly the actor's visible
    resources of that collection — logged in, or through the actor's feed key (anonymous:
    neither). Positive control: each collection shows its public validated ones."""
    person = cast[actor]
    query = _through(client, person, channel)
    z, x, y = tile_of(3.05, 50.62, Z)
    for cid, collection in COLLECTIONS.items():
        expected = _expected(every_kind, collection, actor)
        assert expected  # the public validated resources at least
        response = client.get(f"/tiles/{cid}/{z}/{x}/{y}.pbf{query}")
        assert response.status_code == 200, (cid, response.content[:200])
        assert ids_in(response.content) == expected, cid
        if person.is_authenticated:
            assert response["Cache-Control"].startswith("private"), cid


def test_a_wrong_feed_key_shows_nothing_personal(client, cast):
    """A made-up key is refused (401), never served as someone's nor as anonymous view."""
    z, x, y = tile_of(3.05, 50.62, Z)
    response = client.get(f"/tiles/observatoire/{z}/{x}/{y}.pbf?key=pas-une-cle")
    assert response.status_code == 401


#: Each state at its own far place, so that a hidden one would stretch the bounds.
PLACES = {
    ("utilisateur", False): (-61.5, 16.2),
    ("utilisateur", True): (55.5, -21.1),
    ("groupe", False): (-1.5, 43.4),
    ("groupe", True): (7.7, 48.6),
    ("communaute", False): (-4.5, 48.4),
    ("communaute", True): (6.1, 43.1),
    ("public", False): (9.4, 42.7),
    ("public", True): (3.06, 50.63),
}


@pytest.mark.parametrize("channel", ["session", "key"])
@pytest.mark.parametrize("actor", ACTORS)
def test_tilejson_bounds_are_the_actors_visible_extent(client, cast, actor, channel):
    """TileJSON ``bounds`` are the extent of what the actor sees (session or feed key), in
    the base collection and in a kind collection: never stretched by a hidden resource."""
    for (level, validated), (lon, lat) in PLACES.items():
        ResourceFactory(
            group=cast.group,
            author=cast["author"],
            level=level,
            validated_at=timezone.now() if validated else None,
            geom=Point(lon, lat, srid=4326),
        )
    seen = [PLACES[k] for k in PLACES if _sees(actor, k)]
    expected = [
        min(p[0] for p in seen),
        min(p[1] for p in seen),
        max(p[0] for p in seen),
        max(p[1] for p in seen),
    ]
    assert (len(seen) == 1) == (actor == "anonymous")  # others see more than one place
    person = cast[actor]
    query = _through(client, person, channel)
    for cid in ("observatoire", "observatoire-marqueur"):
        doc = client.get(f"/tiles/{cid}.json{query}").json()
        assert doc["bounds"] == pytest.approx(expected), cid
    assert client.get(f"/tiles/mediatheque.json{query}").json()["bounds"] != pytest.approx(
        expected
    )  # nothing visible there: not the observatoire's extent
