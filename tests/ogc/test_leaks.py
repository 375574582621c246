"""Leak matrix of the OGC API: every actor sees exactly ``visible_to(actor)``, nothing more,
in items, single items, counts and extents."""

from __future__ import annotations

import pytest

from workgroups.roles import Role

from ..conftest import ACTORS
from ..factories import MembershipFactory
from .conftest import basic

COLLECTIONS = ("observatoire", "observatoire-marqueur")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("collection", COLLECTIONS)
def test_items_and_counts_are_exactly_what_the_actor_may_see(
    client, cast, world, actor, collection
):
    """The page lists the visible resources only, and numberMatched counts only them."""
    user = cast[actor]
    response = client.get(f"/ogc/collections/{collection}/items", **basic(user))
    assert response.status_code == 200
    body = response.json()
    ids = {f["id"] for f in body["features"]}
    assert ids == world.visible_ids(user)
    assert body["numberMatched"] == len(ids)


@pytest.mark.parametrize("actor", ACTORS)
def test_single_item_is_404_when_hidden(client, cast, world, actor):
    """A hidden resource answers 404 exactly like a missing one (no existence leak)."""
    user = cast[actor]
    visible = world.visible_ids(user)
    for resource in world.resources.values():
        response = client.get(f"/ogc/collections/observatoire/items/{resource.pk}", **basic(user))
        assert response.status_code == (200 if resource.pk in visible else 404), resource.title


@pytest.mark.parametrize("actor", ACTORS)
def test_extents_come_from_visible_resources_only(client, cast, world, actor):
    """Collection extents are computed from what the actor sees: a hidden resource never
    widens them (all 8 actors; the author sees every one, so the widest extent)."""
    user = cast[actor]
    visible = [r for r in world.resources.values() if r.pk in world.visible_ids(user)]
    assert visible and (len(visible) < len(world.resources)) == (actor != "author")
    xs = [r.geom.x for r in visible]
    ys = [r.geom.y for r in visible]
    expected = [min(xs), min(ys), max(xs), max(ys)]
    for path in ("/ogc/collections", "/ogc/collections/observatoire-marqueur"):
        body = client.get(path, **basic(user)).json()
        described = body.get("collections", [body])
        marqueur = next(c for c in described if c["id"] == "observatoire-marqueur")
        assert marqueur["extent"]["spatial"]["bbox"] == [pytest.approx(expected)]
        begin, _end = marqueur["extent"]["temporal"]["interval"][0]
        assert begin == min(str(r.date_start) for r in visible) + "T00:00:00Z"


def test_anonymous_sees_nothing_of_an_empty_collection(client, world):
    """A collection whose resources are all hidden has no extent and no feature."""
    body = client.get("/ogc/collections/observatoire-projet").json()
    assert "extent" not in body
    items = client.get("/ogc/collections/observatoire-projet/items").json()
    assert items["features"] == [] and items["numberMatched"] == 0


def test_filter_cannot_reach_hidden_resources(client, world):
    """A CQL2 filter narrows the visible set; it never widens it."""
    response = client.get(
        "/ogc/collections/observatoire/items", {"filter": "level = 'utilisateur' OR title <> 'x'"}
    )
    assert response.status_code == 200
    assert {f["id"] for f in response.json()["features"]} == world.visible_ids(None)


def test_kept_sql_still_reads_memberships_at_each_request(client, cast, world):
    """The compiled SQL kept per person does not freeze what they see: joining the group
    shows its group-level resources on the very next request (items, item, count), and
    leaving it hides them again."""
    user = cast["account"]
    hidden = world.resources[("groupe", True)]
    items = "/ogc/collections/observatoire/items"
    item = f"{items}/{hidden.pk}"
    before = client.get(items, **basic(user)).json()
    assert hidden.pk not in {f["id"] for f in before["features"]}
    assert client.get(item, **basic(user)).status_code == 404
    membership = MembershipFactory(group=cast.group, role=Role.LECTEUR, user=user)
    after = client.get(items, **basic(user)).json()
    assert {f["id"] for f in after["features"]} == world.visible_ids(user)
    assert hidden.pk in world.visible_ids(user)
    assert after["numberMatched"] == len(world.visible_ids(user)) > before["numberMatched"]
    assert client.get(item, **basic(user)).status_code == 200
    membership.delete()
    assert client.get(item, **basic(user)).status_code == 404
    assert client.get(items, **basic(user)).json()["numberMatched"] == before["numberMatched"]
