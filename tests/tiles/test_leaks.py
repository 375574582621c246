"""Leak matrix on tiles: a tile shows a person exactly what ``visible_to`` lets them see.

Eight resources of « Groupe de la matrice » (every sharing level, validated or not) stand in
Lille; each actor of the cast asks for the tiles holding them at every kind of zoom (clusters
and features). Anonymous visitors must never see — nor count in a cluster — a private, group,
communauté or unvalidated resource.
"""

from __future__ import annotations

import pytest

from observatoire.models import Resource

from ..conftest import ACTORS
from ..workgroups.test_visibility_matrix import SEE
from .conftest import cluster_total, ids_in, tile_of

ZOOMS = (0, 3, 6, 9, 10, 14, 18)


def _get(client, actor_name, cast, path):
    actor = cast[actor_name]
    if actor.is_authenticated:
        client.force_login(actor)
    return client.get(path)


@pytest.mark.parametrize("actor", ACTORS)
def test_tiles_show_each_actor_exactly_what_they_may_see(client, cast, matrix, actor):
    """At every zoom, feature tiles hold exactly the visible ids and cluster counts add up to
    the number of visible resources — for every actor of the cast."""
    expected = {r.pk for key, r in matrix.items() if actor in SEE[key].split()}
    assert expected == set(Resource.objects.visible_to(cast[actor]).values_list("pk", flat=True))
    for z in ZOOMS:
        z_, x, y = tile_of(3.0574, 50.6292, z)
        response = _get(client, actor, cast, f"/tiles/observatoire/{z_}/{x}/{y}.pbf")
        if not expected:
            assert response.status_code == 204, (actor, z)
            continue
        assert response.status_code == 200, (actor, z)
        if z < 10:
            assert cluster_total(response.content) == len(expected), (actor, z)
            assert ids_in(response.content) == set()
        else:
            assert ids_in(response.content) == expected, (actor, z)


def test_anonymous_sees_only_public_validated_at_every_zoom(client, matrix):
    """The anonymous visitor's tiles hold the one public validated resource, at every zoom
    from 0 to 18 — the seven others appear neither as features nor in counts."""
    public = matrix[("public", True)]
    for z in range(19):
        z_, x, y = tile_of(3.0574, 50.6292, z)
        response = client.get(f"/tiles/observatoire/{z_}/{x}/{y}.pbf")
        assert response.status_code == 200
        if z < 10:
            assert cluster_total(response.content) == 1
        else:
            assert ids_in(response.content) == {public.pk}
        assert response["Cache-Control"].startswith("public")


def test_authenticated_tiles_are_private_and_not_cached(client, cast, matrix, tiles_var_dir):
    """A member's tile is ``Cache-Control: private`` and never written to the shared cache."""
    client.force_login(cast["lecteur"])
    z, x, y = tile_of(3.0574, 50.6292, 14)
    response = client.get(f"/tiles/observatoire/{z}/{x}/{y}.pbf")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    assert "Access-Control-Allow-Origin" not in response
    assert not list(tiles_var_dir.glob("tiles/**/*.pbf"))
    client.logout()
    anonymous = client.get(f"/tiles/observatoire/{z}/{x}/{y}.pbf")
    assert ids_in(anonymous.content) == {matrix[("public", True)].pk}
