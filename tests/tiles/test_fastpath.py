"""The WSGI fast path: anonymous tiles rendered or read from the cache before Django, with the
view's bytes and headers; everything personal, filtered or outside the grid goes through Django."""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import Point
from django.http import QueryDict
from django.utils import timezone

from tiles import cache
from tiles.fastpath import AnonymousTiles
from tiles.params import TileParams
from workgroups.roles import Level

from ..factories import ResourceFactory
from ..wsgi import CountingApp, comparable, credentials
from ..wsgi import wsgi_get as _get
from .conftest import LILLE, cluster_total, ids_in, tile_of

PLAIN = TileParams.from_query(QueryDict(""))


@pytest.fixture
def app():
    inner = CountingApp()
    return inner, AnonymousTiles(inner)


def _path(z: int) -> str:
    return "/tiles/observatoire/{}/{}/{}.pbf".format(*tile_of(3.0574, 50.6292, z))


@pytest.mark.django_db(transaction=True)
def test_anonymous_tile_is_rendered_before_django_with_the_views_answer(app):
    """Not cached yet, the tile is rendered on the fast path with the bytes, ETag and caching
    headers the view gives, stored, then read from disk; 304 on a matching ETag."""
    inner, outer = app
    resource = ResourceFactory(level=Level.PUBLIC, validated_at=timezone.now())
    path = "/tiles/observatoire/{}/{}/{}.pbf".format(*tile_of(LILLE.x, LILLE.y, 14))
    status, headers, body = _get(inner, path)  # the view, which caches the tile
    assert status == 200 and ids_in(body) == {resource.pk}
    cache.invalidate_all()
    status, fast_headers, fast_body = _get(outer, path)
    assert (status, inner.calls, fast_body) == (200, 1, body)
    assert comparable(fast_headers) == comparable(headers)
    assert cache.read(cache.tile_path("observatoire", PLAIN.key, *tile_of(LILLE.x, LILLE.y, 14)))
    status, _, cached_body = _get(outer, path)
    assert (status, cached_body, inner.calls) == (200, body, 1)
    status, fast_headers, body = _get(outer, path, if_none_match=headers["ETag"])
    assert (status, body, inner.calls) == (304, b"", 1)
    django_status, django_headers, _ = _get(inner, path, if_none_match=headers["ETag"])
    assert django_status == 304
    assert comparable(fast_headers) == comparable(django_headers)


@pytest.mark.django_db(transaction=True)
def test_empty_tiles_and_errors_have_the_views_headers(app):
    """204 (nothing there) on the fast path and through the view: every header the same;
    a tile outside the grid is the view's 404 in the one error shape."""
    inner, outer = app
    path = "/tiles/observatoire/14/0/0.pbf"
    status, fast_headers, _ = _get(outer, path)
    assert (status, inner.calls) == (204, 0)
    django_status, django_headers, _ = _get(inner, path)
    assert django_status == 204
    assert comparable(fast_headers) == comparable(django_headers)
    status, _, body = _get(outer, "/tiles/observatoire/3/8/0.pbf")
    assert (status, inner.calls) == (404, 2)
    assert set(json.loads(body)) == {"code", "description"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["session", "token", "basic", "key", "bad-token"])
def test_personal_tiles_are_djangos_with_the_same_headers(app, cast, matrix, kind):
    """Credentials of any kind (or wrong ones: 401 in the one error shape) reach Django
    through the fast path, and the answer is the one Django gives without it."""
    inner, outer = app
    if kind == "bad-token":
        query, headers = "", {"authorization": "Token nope"}
    else:
        query, headers = credentials(cast["lecteur"], kind)
    path = _path(14)
    status, django_headers, body = _get(inner, path, query, **headers)
    fast_status, fast_headers, fast_body = _get(outer, path, query, **headers)
    assert (fast_status, inner.calls) == (status, 2)
    assert status == (401 if kind == "bad-token" else 200)
    assert comparable(fast_headers) == comparable(django_headers)
    assert fast_body == body
    if kind == "bad-token":
        assert set(json.loads(body)) == {"code", "description"}
        assert "WWW-Authenticate" in fast_headers
    else:
        assert "private" in fast_headers["Cache-Control"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("z", [0, 6, 9, 10, 14, 18])
def test_fast_path_tiles_leak_nothing(app, matrix, z):
    """Rendered on the fast path, an anonymous tile holds the one public validated resource of
    the matrix — as a feature or in a cluster count — and the view's tile is the same."""
    inner, outer = app
    status, _, body = _get(outer, _path(z))
    assert (status, inner.calls) == (200, 0)
    if z < 10:
        assert cluster_total(body) == 1 and ids_in(body) == set()
    else:
        assert ids_in(body) == {matrix[("public", True)].pk}
    cache.invalidate_all()
    assert _get(inner, _path(z))[2] == body


@pytest.mark.django_db(transaction=True)
def test_personal_filtered_invalid_and_invalidated_requests(app):
    """Credentials, a session cookie, a query string or a tile outside the grid reach Django;
    after a write the invalidated tile is rendered again, without the unshared resource."""
    inner, outer = app
    resource = ResourceFactory(
        level=Level.PUBLIC, validated_at=timezone.now(), geom=Point(3.0573, 50.6292, srid=4326)
    )
    path = "/tiles/observatoire/{}/{}/{}.pbf".format(*tile_of(LILLE.x, LILLE.y, 14))
    assert ids_in(_get(outer, path)[2]) == {resource.pk}
    status, _, _ = _get(outer, path, authorization="Token nope")
    assert (status, inner.calls) == (401, 1)
    _get(outer, path, cookie="sessionid=abc")
    _get(outer, path, "kind=marqueur")
    assert inner.calls == 3
    status, _, body = _get(outer, "/tiles/observatoire/3/8/0.pbf")
    assert (status, inner.calls) == (404, 4)
    assert "hors de la grille" in body.decode()
    resource.level = Level.UTILISATEUR
    resource.save()
    status, _, body = _get(outer, path)
    assert (status, body, inner.calls) == (204, b"", 4)


@pytest.mark.django_db(transaction=True)
def test_without_the_cache_tiles_are_rendered_at_every_request(app, settings):
    """``TILES_CACHE`` off: the fast path renders each anonymous tile (nothing stored), with
    the view's bytes, and a write shows at the next request."""
    inner, outer = app
    settings.SPASS = {**settings.SPASS, "TILES_CACHE": False}
    resource = ResourceFactory(
        level=Level.PUBLIC, validated_at=timezone.now(), geom=Point(3.0573, 50.6292, srid=4326)
    )
    tile = tile_of(LILLE.x, LILLE.y, 14)
    path = "/tiles/observatoire/{}/{}/{}.pbf".format(*tile)
    status, _, body = _get(outer, path)
    assert (status, inner.calls, ids_in(body)) == (200, 0, {resource.pk})
    assert cache.read(cache.tile_path("observatoire", PLAIN.key, *tile)) is None
    assert _get(inner, path)[2] == body
    resource.level = Level.UTILISATEUR
    resource.save()
    assert _get(outer, path)[:1] == (204,)
