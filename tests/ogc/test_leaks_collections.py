"""The OGC API leak matrix across every collection of the catalogue (3 bases, one per kind)
and every format the items answer (``f=json|html|csv|jsonld``): each actor of the cast finds
exactly the resources the sharing table lets them see, in each collection, and nothing of
the others. The expected sets come from the table of ``tests/api/conftest.py``, not from
``visible_to``."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from observatoire.catalogue import COLLECTIONS
from observatoire.kinds import BASE_OF_KIND

from ..api.conftest import EXPECTED_VISIBLE, STATES
from ..conftest import ACTORS
from ..factories import ResourceFactory
from .conftest import basic

#: The sharing states seeded in every kind (private, group, communauté validated, public).
SEEDED = ("prive", "groupe", "communaute", "public")
FORMATS = ("json", "html", "csv", "jsonld")


def _title(kind: str, state: str) -> str:
    # no title is a substring of another: a format is checked by the titles it shows
    return f"Fuite-{kind}-{state}-fin"


@pytest.fixture
def every_kind(cast) -> dict[tuple[str, str], object]:
    """(kind, state) → one resource of the cast's group, for every kind and seeded state."""
    now = timezone.now()
    made = {}
    for i, (kind, base) in enumerate(BASE_OF_KIND.items()):
        for j, state in enumerate(SEEDED):
            level, validated = STATES[state]
            made[(kind, state)] = ResourceFactory(
                base=base,
                kind=kind,
                title=_title(kind, state),
                geom=Point(-4.0 + i / 2, 42.0 + j, srid=4326),
                group=cast.group,
                author=cast["author"],
                level=level,
                validated_at=now if validated else None,
                validated_by=cast["animateur"] if validated else None,
                date_start=f"{2000 + j}-01-01",
            )
    return made


def _expected(every_kind, collection, actor) -> tuple[set[int], set[int]]:
    """(visible ids, hidden ids) of the collection for the actor, from the sharing table;
    hidden: the other states of the collection and every resource of other collections."""
    visible = {
        resource.pk
        for (kind, state), resource in every_kind.items()
        if (collection.kind or collection.base) in (kind, BASE_OF_KIND[kind])
        and state in EXPECTED_VISIBLE[actor]
    }
    return visible, {r.pk for r in every_kind.values()} - visible


def _shown(response, fmt: str, titles: dict[int, str]) -> set[int]:
    """The seeded ids a page of items shows, read the way its format writes them."""
    assert response.status_code == 200, response.content[:300]
    body = response.content.decode()
    if fmt == "json":
        data = response.json()
        assert data["numberMatched"] == data["numberReturned"] == len(data["features"])
        return {f["id"] for f in data["features"]}
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body)))
        ids = {int(row["id"]) for row in rows}
        assert {pk for pk, t in titles.items() if t in body} <= ids  # no title of a hidden row
        return ids
    if fmt == "jsonld":  # pygeoapi lists each feature as a schema:Place by its URL
        urls = [f["@id"] for f in response.json()["features"]]
        assert all(t not in body for t in titles.values())  # no property at all
        return {int(url.rsplit("/", 1)[1]) for url in urls}
    return {pk for pk, title in titles.items() if title in body}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_collection_in_every_format_shows_exactly_what_the_actor_may_see(
    client, cast, every_kind, actor, fmt
):
    """Positive and negative control in each of the 20 collections: the visible resources
    are all there, the hidden ones (other states, other collections) are not."""
    user = cast[actor]
    titles = {r.pk: r.title for r in every_kind.values()}
    assert len(COLLECTIONS) == 20
    for cid, collection in COLLECTIONS.items():
        visible, hidden = _expected(every_kind, collection, actor)
        assert visible and hidden  # each actor sees the public one of each kind, not all
        response = client.get(
            f"/ogc/collections/{cid}/items", {"f": fmt, "limit": 1000}, **basic(user)
        )
        assert _shown(response, fmt, titles) == visible, (cid, fmt)


@pytest.mark.parametrize("actor", ACTORS)
def test_single_items_in_every_format_are_404_when_hidden(client, cast, every_kind, actor):
    """An item page in any format: 200 with the resource when visible, 404 when hidden, in a
    kind collection and in its base."""
    user = cast[actor]
    for state in SEEDED:
        resource = every_kind[("publication", state)]
        expected = 200 if state in EXPECTED_VISIBLE[actor] else 404
        for cid in ("mediatheque-publication", "mediatheque"):
            for fmt in FORMATS:
                response = client.get(
                    f"/ogc/collections/{cid}/items/{resource.pk}", {"f": fmt}, **basic(user)
                )
                assert response.status_code == expected, (state, cid, fmt)
                if expected == 200:
                    body = response.content.decode()
                    shown = f"/items/{resource.pk}" if fmt == "jsonld" else resource.title
                    assert shown in body, (state, cid, fmt)
