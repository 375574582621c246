"""The WSGI fast path: cached anonymous tiles answered before Django, with the view's bytes and
headers; everything personal, filtered or not yet cached goes through Django."""

from __future__ import annotations

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.contrib.gis.geos import Point
from django.core.wsgi import get_wsgi_application
from django.utils import timezone

from tiles.fastpath import CachedTiles
from workgroups.roles import Level

from ..factories import ResourceFactory
from .conftest import LILLE, ids_in, tile_of


class CountingApp:
    """The real Django application, counting the requests that reach it."""

    def __init__(self) -> None:
        self.django = get_wsgi_application()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


def _get(app, path: str, query: str = "", **headers) -> tuple[int, dict, bytes]:
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "wsgi.input": io.BytesIO()}
    environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.fixture
def app():
    inner = CountingApp()
    return inner, CachedTiles(inner)


@pytest.mark.django_db(transaction=True)
def test_cached_tile_is_served_before_django_with_the_same_answer(app):
    """The first request renders through Django and fills the cache; the next ones are read
    from disk without Django, with the same bytes, ETag, caching headers and 304."""
    inner, outer = app
    resource = ResourceFactory(level=Level.PUBLIC, validated_at=timezone.now())
    path = "/tiles/observatoire/{}/{}/{}.pbf".format(*tile_of(LILLE.x, LILLE.y, 14))
    status, headers, body = _get(outer, path)
    assert (status, inner.calls) == (200, 1)
    assert ids_in(body) == {resource.pk}
    status, fast_headers, fast_body = _get(outer, path)
    assert (status, inner.calls, fast_body) == (200, 1, body)
    for name in ("ETag", "Cache-Control", "Access-Control-Allow-Origin", "Content-Type"):
        assert fast_headers[name] == headers[name], name
    # Django adds Accept-Language (its locale middleware); tile bytes never depend on it.
    assert fast_headers["Vary"] == "Authorization, Cookie"
    status, _, body = _get(outer, path, if_none_match=headers["ETag"])
    assert (status, body, inner.calls) == (304, b"", 1)


@pytest.mark.django_db(transaction=True)
def test_personal_filtered_and_invalidated_requests_reach_django(app):
    """Credentials, a session cookie or a query string always reach Django; after a write the
    invalidated tile is rendered again, without the unshared resource."""
    inner, outer = app
    resource = ResourceFactory(
        level=Level.PUBLIC, validated_at=timezone.now(), geom=Point(3.0573, 50.6292, srid=4326)
    )
    path = "/tiles/observatoire/{}/{}/{}.pbf".format(*tile_of(LILLE.x, LILLE.y, 14))
    _get(outer, path)
    calls = inner.calls
    status, _, _ = _get(outer, path, authorization="Token nope")
    assert (status, inner.calls) == (401, calls + 1)
    _get(outer, path, cookie="sessionid=abc")
    _get(outer, path, "kind=marqueur")
    assert inner.calls == calls + 3
    resource.level = Level.UTILISATEUR
    resource.save()
    status, _, body = _get(outer, path)
    assert (status, body, inner.calls) == (204, b"", calls + 4)
