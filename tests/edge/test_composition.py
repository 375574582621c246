"""The composed WSGI application of ``config/wsgi.py``:
``InputEdge(OgcFeatures(AnonymousTiles(django)), django=django)``. Each kind of request
reaches the layer meant for it: hostile input goes straight to Django (its 400), anonymous
and feed-key GeoJSON pages are answered by the OGC fast path, anonymous tiles by the tile
fast path, everything else by Django through both."""

from __future__ import annotations

import pytest

from config.wsgi import with_fast_paths
from ogc.fastpath import OgcFeatures
from tiles.fastpath import AnonymousTiles
from workgroups.auth import create_feed_key
from workgroups.edge import InputEdge

from ..wsgi import CountingApp, wsgi_get

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def composed(monkeypatch):
    """The composition with each fast path's answers counted (from storage or worked out)."""
    answered = {"ogc": 0, "tiles": 0}
    called = {"ogc": 0, "tiles": 0}

    def counting(cls, name, method):
        original = getattr(cls, method)

        def counted(self, environ):
            called[name] += 1
            result = original(self, environ)
            answered[name] += result is not None
            return result

        monkeypatch.setattr(cls, method, counted)

    for method in ("stored", "answer"):
        counting(OgcFeatures, "ogc", method)
        counting(AnonymousTiles, "tiles", method)
    django = CountingApp()
    return with_fast_paths(django), django, answered, called


def test_the_composition_is_the_documented_one():
    django = CountingApp()
    app = with_fast_paths(django)
    assert isinstance(app, InputEdge) and app.django is django
    assert isinstance(app.app, OgcFeatures) and isinstance(app.app.app, AnonymousTiles)
    assert app.app.app.app is django


def test_each_kind_of_request_reaches_its_layer(composed, cast):
    app, django, answered, _ = composed
    key = f"key={create_feed_key(cast['lecteur']).key}"
    cases = [
        # (path, query, headers, status, layer that answers)
        ("/ogc/collections/observatoire/items", "", {}, 200, "ogc"),
        ("/ogc/collections/observatoire/items", key, {}, 200, "ogc"),
        ("/tiles/observatoire/14/8311/5467.pbf", "", {}, 204, "tiles"),
        ("/ogc/collections/observatoire/items", "key=%00", {}, 400, "django"),
        ("/tiles/observatoire/14/8311/5467.pbf", "key=%00", {}, 400, "django"),
        ("/tiles/observatoire/14/8311/5467.pbf", "", {"authorization": "Token x"}, 401, "django"),
        ("/ogc/collections/observatoire/items", "", {"authorization": "Token x"}, 401, "django"),
        ("/ogc/collections/observatoire/items", "f=html", {}, 200, "django"),
        ("/ogc/collections", "f=json", {}, 200, "django"),
        ("/tiles/observatoire.json", "", {}, 200, "django"),
    ]
    for path, query, headers, status, layer in cases:
        before = (answered["ogc"], answered["tiles"], django.calls)
        got = wsgi_get(app, path, query, **headers)[0]
        after = (answered["ogc"], answered["tiles"], django.calls)
        expected = {"ogc": (1, 0, 0), "tiles": (0, 1, 0), "django": (0, 0, 1)}[layer]
        delta = tuple(a - b for a, b in zip(after, before, strict=True))
        assert (got, delta) == (status, expected), (path, query, headers)


def test_hostile_input_skips_the_fast_paths(composed):
    """A hostile request is not even looked at by a fast path (neither ``stored`` nor
    ``answer`` runs)."""
    app, django, answered, called = composed
    assert wsgi_get(app, "/ogc/collections/observatoire/items", "x=%FF")[0] == 400
    assert wsgi_get(app, "/tiles/observatoire/1/0/0.pbf", "", user_agent="a\x00b")[0] == 400
    assert (called, answered, django.calls) == ({"ogc": 0, "tiles": 0}, {"ogc": 0, "tiles": 0}, 2)
    # the same requests without the hostile part are the fast paths'
    assert wsgi_get(app, "/ogc/collections/observatoire/items", "x=1")[0] == 400
    assert wsgi_get(app, "/tiles/observatoire/1/0/0.pbf")[0] in (200, 204)
    assert called["ogc"] == 2  # asked from storage, then to work it out: Django words its 400
    assert answered == {"ogc": 0, "tiles": 1}
