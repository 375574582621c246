"""The leak matrix of news, events and their feeds: for each actor of the cast, with and without
a personal feed key, the API lists and the feeds hold exactly what ``visible_to`` gives — and
that is the table of the visibility rule (two-sided: absent for outsiders, present for members).
"""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client
from icalendar import Calendar

from actualites.models import Event, NewsItem
from actualites.portal import BLOCK
from observatoire.models import Resource
from portals.views import EMBED_LATEST
from workgroups.auth import create_feed_key

from ..api.conftest import EXPECTED_VISIBLE, STATES
from ..conftest import ACTORS

pytestmark = pytest.mark.django_db

SLUG = "groupe-matrice"
WORDS = {"news": "Actualité", "events": "Manifestation", "resources": "Ressource"}
MODELS = {"news": NewsItem, "events": Event, "resources": Resource}


def _states(titles, word: str) -> set[str]:
    prefix = f"{word} "
    return {t[len(prefix) :] for t in titles if t.startswith(prefix)}


def _rule(cast, actor: str, what: str) -> set[str]:
    """What the one rule gives ``actor`` in the cast's group."""
    rows = MODELS[what].objects.visible_to(cast[actor]).filter(group=cast.group)
    return _states(rows.values_list("title", flat=True), WORDS[what])


def _atom(client: Client, name: str, query: str = "") -> set[str]:
    response = client.get(f"/portails/{SLUG}/{name}.atom{query}")
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return {e.title for e in feed.entries}


def _ics(client: Client, query: str = "") -> set[str]:
    response = client.get(f"/portails/{SLUG}/agenda.ics{query}")
    assert response.status_code == 200, response.content[:300]
    return {str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}


@pytest.mark.parametrize("actor", ACTORS)
def test_api_lists_hold_exactly_what_the_rule_gives(cast, shared_states, client_for, actor):
    client = client_for(actor)
    news = client.get(f"/api/v1/groups/{SLUG}/news/?limit=100")
    events = client.get(f"/api/v1/groups/{SLUG}/events/?limit=100")
    assert news.status_code == events.status_code == 200
    got_news = _states([r["title"] for r in news.json()["results"]], "Actualité")
    got_events = _states(
        [f["properties"]["title"] for f in events.json()["features"]], "Manifestation"
    )
    assert got_news == _rule(cast, actor, "news") == EXPECTED_VISIBLE[actor]
    assert got_events == _rule(cast, actor, "events") == EXPECTED_VISIBLE[actor]
    assert news.json()["numberMatched"] == len(EXPECTED_VISIBLE[actor])


@pytest.mark.parametrize("actor", ACTORS)
def test_feeds_with_a_feed_key_hold_what_the_rule_gives(cast, shared_states, actor):
    person = cast[actor]
    query = f"?key={create_feed_key(person).key}" if person.is_authenticated else ""
    client = Client()
    expected = EXPECTED_VISIBLE[actor]
    assert _states(_atom(client, "actualites", query), "Actualité") == expected
    assert _states(_atom(client, "ressources", query), "Ressource") == expected
    assert _states(_ics(client, query), "Manifestation") == expected
    for what in WORDS:
        assert _rule(cast, actor, what) == expected
    response = client.get(f"/portails/{SLUG}/actualites.atom{query}")
    vary = response["Vary"]
    assert "Authorization" in vary and "Cookie" in vary
    if person.is_authenticated:
        assert "private" in response["Cache-Control"]
    else:
        assert "private" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("actor", ACTORS)
def test_feeds_without_key_are_anonymous_public_and_validated_only(cast, shared_states, actor):
    """Without a key (and without a session), the feed is the anonymous one, for everyone:
    no private, groupe, communauté or unvalidated item."""
    client = Client()
    assert _states(_atom(client, "actualites"), "Actualité") == {"public"}
    assert _states(_atom(client, "ressources"), "Ressource") == {"public"}
    assert _states(_ics(client), "Manifestation") == {"public"}
    assert "private" not in client.get(f"/portails/{SLUG}/agenda.ics").get("Cache-Control", "")


def test_a_session_gets_the_members_feed_privately(cast, shared_states):
    client = Client()
    client.force_login(cast["lecteur"])
    response = client.get(f"/portails/{SLUG}/agenda.ics")
    assert "private" in response["Cache-Control"]
    assert _states(_ics(client), "Manifestation") == EXPECTED_VISIBLE["lecteur"]


def test_a_revoked_key_is_refused_not_anonymous(cast, shared_states):
    from workgroups.auth import revoke_feed_key

    key = create_feed_key(cast["lecteur"])
    revoke_feed_key(key)
    response = Client().get(f"/portails/{SLUG}/actualites.atom?key={key.key}")
    assert response.status_code == 401


def test_private_item_in_no_anonymous_feed_nor_page(cast, shared_states):
    """Nothing but the public, validated items reaches an anonymous reader, in any feed or
    page; an unseen item's page is a 404."""
    client = Client()
    hidden = [f"{word} {state}" for word in WORDS.values() for state in STATES if state != "public"]
    for url in ("actualites.atom", "ressources.atom", "agenda.ics", "actualites/", "agenda/"):
        body = client.get(f"/portails/{SLUG}/{url}").content.decode()
        assert not [title for title in hidden if title in body], url
        assert "public" in body
    for name, states in shared_states.items():
        if name == "resources":
            continue
        path = "actualites" if name == "news" else "agenda"
        for state, item in states.items():
            status = client.get(f"/portails/{SLUG}/{path}/{item.pk}/").status_code
            assert status == (200 if state == "public" else 404), (name, state)


def _portal(cast) -> None:
    from portals.models import Portal

    Portal.objects.create(
        group=cast.group, title="Portail", sections=["observatoire", "actualites", "agenda"]
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_the_portal_map_draws_exactly_the_events_the_rule_gives(cast, shared_states, actor):
    """The agenda layer of the portal's map is inline in the page: only what the visitor sees."""
    import json
    import re

    _portal(cast)
    client = Client()
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])
    page = client.get(f"/portails/{SLUG}/").content.decode()
    config = json.loads(
        re.search(r'<script id="carte-config" type="application/json">(.*?)</script>', page, re.S)
        .group(1)
        .replace("\\u003C", "<")
    )
    layers = {layer["id"]: layer for layer in config["layers"]}
    assert "couche-portail" in layers
    features = layers["couche-agenda"]["source"]["data"]["features"]
    titles = {f["properties"]["title"].rsplit(" (", 1)[0] for f in features}
    assert _states(titles, "Manifestation") == EXPECTED_VISIBLE[actor]
    urls = {f["properties"]["url"] for f in features}
    assert all(url.startswith(f"/portails/{SLUG}/agenda/") for url in urls)


@pytest.mark.parametrize("actor", ("anonymous", "account", "lecteur", "author"))
def test_the_embeddable_block_holds_what_the_rule_gives(cast, shared_states, actor):
    _portal(cast)
    client = Client()
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])
    response = client.get(f"/portails/{SLUG}/integrer/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "frame-ancestors *"
    assert "X-Frame-Options" not in response
    body = response.content.decode()
    for what, word in WORDS.items():
        shown = {state for state in STATES if f">{word} {state}</a>" in body}
        # the block is short (6 resources, 5 news, 5 events): what it shows, the rule gives
        size = EMBED_LATEST if what == "resources" else BLOCK
        assert shown <= EXPECTED_VISIBLE[actor], word
        assert len(shown) == min(len(EXPECTED_VISIBLE[actor]), size), (word, shown)


@pytest.mark.parametrize("actor", ACTORS)
def test_the_home_page_shows_the_news_and_events_the_rule_gives(cast, shared_states, actor):
    from actualites.home import HOME_ITEMS

    client = Client()
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])
    page = client.get("/").content.decode()
    assert "Actualités et agenda des groupes" in page
    for word in ("Actualité", "Manifestation"):
        shown = {state for state in STATES if f">{word} {state}</a>" in page}
        assert shown <= EXPECTED_VISIBLE[actor], word
        assert len(shown) == min(len(EXPECTED_VISIBLE[actor]), HOME_ITEMS), (word, shown)
