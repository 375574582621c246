"""The WSGI fast path of the OGC API: anonymous and feed-key GeoJSON pages answered before
Django with the view's document and headers, exactly ``visible_to(user)``; everything else —
credentials in headers, cookies, languages, other formats, errors — answered by Django."""

from __future__ import annotations

import json

import pytest

from ogc.fastpath import OgcFeatures, negotiated_format
from workgroups.auth import create_feed_key, revoke_feed_key
from workgroups.models import Membership

from ..conftest import ACTORS
from ..wsgi import CountingApp, comparable, credentials, wsgi_get

pytestmark = pytest.mark.django_db(transaction=True)

ITEMS = "/ogc/collections/observatoire/items"


@pytest.fixture
def app():
    inner = CountingApp()
    return inner, OgcFeatures(inner)


def _key(user) -> str:
    return "" if not user.is_authenticated else f"key={create_feed_key(user).key}"


def _comparable(body: bytes) -> dict:
    doc = json.loads(body)
    doc.pop("timeStamp", None)
    return doc


#: Who asks, and whether the fast path answers (the others reach Django through it).
KINDS = [("anonymous", True), ("key", True), ("session", False), ("token", False), ("basic", False)]


@pytest.mark.parametrize("query", ["", "limit=2&offset=1", "bbox=-5,42,5,47&kind=marqueur"])
@pytest.mark.parametrize(("kind", "fast"), KINDS)
def test_pages_are_the_views_pages(app, cast, world, query, kind, fast):
    """Same document (but the time stamp) and every header the same (but the volatile ones,
    ``tests/wsgi.py``) as Django's answer, whoever asks; Django is reached only by the
    requests the fast path leaves to it (header credentials, a session)."""
    inner, outer = app
    user = cast["anonymous"] if kind == "anonymous" else cast["lecteur"]
    credential, headers = credentials(user, kind)
    item = f"{ITEMS}/{world.resources[('public', True)].pk}"
    for path, q in (
        (ITEMS, "&".join(p for p in (query, credential) if p)),
        (item, credential),
    ):
        status, django_headers, body = wsgi_get(inner, path, q, **headers)
        calls = inner.calls
        fast_status, fast_headers, fast_body = wsgi_get(outer, path, q, **headers)
        assert (fast_status, inner.calls) == (status, calls + (not fast)) == (200, inner.calls)
        assert _comparable(fast_body) == _comparable(body)
        assert comparable(fast_headers) == comparable(django_headers)
        assert ("private" in fast_headers.get("Cache-Control", "")) == user.is_authenticated


@pytest.mark.parametrize(
    ("path", "query", "kind", "status"),
    [
        (ITEMS, "key=nope", "anonymous", 401),
        (ITEMS, "", "bad-token", 401),
        (ITEMS, "", "bad-basic", 401),
        (ITEMS, "limit=zero", "anonymous", 400),
        (ITEMS, "colour=red", "key", 400),
        (f"{ITEMS}/999999999", "", "anonymous", 404),
        (f"{ITEMS}/999999999", "", "key", 404),
        ("/ogc/collections/nope/items", "", "anonymous", 404),
    ],
)
def test_errors_are_the_views_errors(app, cast, world, path, query, kind, status):
    """Errors are worded by Django (the fast path steps aside) in the one error shape, with
    every header the view gives them."""
    inner, outer = app
    headers: dict = {}
    if kind == "bad-token":
        headers = {"authorization": "Token nope"}
    elif kind == "bad-basic":
        headers = {"authorization": "Basic bm9ib2R5Om5vcGU="}
    else:
        credential, headers = credentials(cast["lecteur"], kind)
        query = "&".join(p for p in (query, credential) if p)
    got, django_headers, body = wsgi_get(inner, path, query, **headers)
    calls = inner.calls
    fast_got, fast_headers, fast_body = wsgi_get(outer, path, query, **headers)
    assert (fast_got, inner.calls) == (got, calls + 1) == (status, inner.calls)
    assert comparable(fast_headers) == comparable(django_headers)
    assert json.loads(fast_body) == json.loads(body)
    assert set(json.loads(body)) == {"code", "description"}
    assert (status == 401) == ("WWW-Authenticate" in fast_headers)


@pytest.mark.parametrize("actor", ACTORS)
def test_fast_path_leak_matrix(app, cast, world, actor):
    """Items, counts and single items with the actor's feed key: exactly what the actor may
    see; a hidden item is a 404 (answered by Django, as a missing one)."""
    inner, outer = app
    user = cast[actor]
    key = _key(user)
    status, _, body = wsgi_get(outer, ITEMS, key)
    doc = json.loads(body)
    visible = world.visible_ids(user)
    assert (status, inner.calls) == (200, 0)
    assert {f["id"] for f in doc["features"]} == visible
    assert doc["numberMatched"] == len(visible)
    for resource in world.resources.values():
        calls = inner.calls
        status, _, body = wsgi_get(outer, f"{ITEMS}/{resource.pk}", key)
        if resource.pk in visible:
            assert (status, inner.calls, json.loads(body)["id"]) == (200, calls, resource.pk)
        else:
            assert (status, inner.calls) == (404, calls + 1), resource.title


def test_revoked_key_left_group_and_inactive_account_take_effect_at_once(app, cast, world):
    """The key is checked and the memberships read at every request, not kept."""
    inner, outer = app
    lecteur = cast["lecteur"]
    feed_key = create_feed_key(lecteur)
    query = f"key={feed_key.key}"
    group_only = world.resources[("groupe", True)].pk
    assert wsgi_get(outer, f"{ITEMS}/{group_only}", query)[0] == 200
    Membership.objects.filter(user=lecteur).delete()
    assert wsgi_get(outer, f"{ITEMS}/{group_only}", query)[0] == 404
    public = world.resources[("public", True)].pk
    assert wsgi_get(outer, f"{ITEMS}/{public}", query)[0] == 200
    revoke_feed_key(feed_key)
    calls = inner.calls
    status, _, body = wsgi_get(outer, f"{ITEMS}/{public}", query)
    assert (status, inner.calls) == (401, calls + 1)
    assert "révoquée" in json.loads(body)["description"]
    other = create_feed_key(lecteur)
    lecteur.is_active = False
    lecteur.save()
    assert wsgi_get(outer, f"{ITEMS}/{public}", f"key={other.key}")[0] == 401


@pytest.mark.parametrize(
    ("query", "headers", "status"),
    [
        ("", {"authorization": "Token nope"}, 401),
        ("", {"cookie": "sessionid=abc"}, 200),
        ("", {"accept_language": "en"}, 200),
        ("lang=en", {}, 200),
        ("f=html", {}, 200),
        ("", {"accept": "text/html"}, 200),
        ("limit=zero", {}, 400),
        ("colour=red", {}, 400),
        ("key=nope", {}, 401),
    ],
)
def test_everything_else_is_answered_by_django(app, world, query, headers, status):
    inner, outer = app
    got, _, body = wsgi_get(outer, ITEMS, query, **headers)
    assert (got, inner.calls) == (status, 1)
    if status == 400:
        assert "Paramètre" in json.loads(body)["description"]


def test_unknown_collection_and_other_paths_go_to_django(app, world):
    inner, outer = app
    assert wsgi_get(outer, "/ogc/collections/nope/items")[0] == 404
    assert wsgi_get(outer, "/ogc/collections/observatoire")[0] == 200
    assert inner.calls == 2


def test_english_pages_come_from_django_in_english(app, public):
    """A language asked for is honoured (the fast path answers only in the default one)."""
    _, outer = app
    fast = json.loads(wsgi_get(outer, ITEMS, "limit=1")[2])
    english = json.loads(wsgi_get(outer, ITEMS, "limit=1", accept_language="en")[2])
    assert fast["links"][-1]["title"] == "Page suivante"
    assert english["links"][-1]["title"] == "Next page"


@pytest.mark.parametrize(
    ("f", "accept", "expected"),
    [
        (None, "", None),
        ("json", "text/html", "json"),
        (None, "*/*", None),
        (None, "application/geo+json, application/json", "json"),
        (None, "text/html,application/xhtml+xml;q=0.9", "html"),
        (None, "application/ld+json", "jsonld"),
    ],
)
def test_format_negotiation_is_pygeoapis(f, accept, expected):
    assert negotiated_format(f, accept) == expected
