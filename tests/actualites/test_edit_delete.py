"""Editing and deleting news and events, on the API and the pages: the one rule
(``editable_by``: the author, and the group's animateurs for what is not private), 404 for
what one does not see, 403 for what one sees but may not edit, and nothing written on a
refusal or on bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from actualites.models import Event, NewsItem
from workgroups.roles import Level

from ..api.conftest import EXPECTED_VISIBLE, STATES
from ..conftest import ACTORS

pytestmark = pytest.mark.django_db

SLUG = "groupe-matrice"
#: Who may edit an item in each state: the author always, the animateurs unless it is private.
EXPECTED_EDITABLE = {
    actor: (
        set(STATES)
        if actor == "author"
        else set(STATES) - {"prive"}
        if actor == "animateur"
        else set()
    )
    for actor in ACTORS
}
API = {"news": ("news", NewsItem, "title"), "events": ("events", Event, "title")}


def _expected_status(actor: str, state: str, ok: int) -> int:
    if actor == "anonymous":  # asked to identify first, whatever the item: no hint either
        return 401
    if state not in EXPECTED_VISIBLE[actor]:
        return 404
    if state in EXPECTED_EDITABLE[actor]:
        return ok
    return 403


def _body(what: str, title: str) -> dict:
    return {"properties": {"title": title}} if what == "events" else {"title": title}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("what", API)
def test_patch_and_delete_follow_the_rule(cast, shared_states, client_for, actor, what):
    path, model, _field = API[what]
    client = client_for(actor)
    for state, item in shared_states[what].items():
        url = f"/api/v1/groups/{SLUG}/{path}/{item.pk}/"
        response = client.patch(url, _body(what, f"Modifié {state}"), format="json")
        assert response.status_code == _expected_status(actor, state, 200), (state, response.data)
        changed = model.objects.get(pk=item.pk).title == f"Modifié {state}"
        assert changed == (response.status_code == 200), state
        response = client.delete(url)
        assert response.status_code == _expected_status(actor, state, 204), state
        assert model.objects.filter(pk=item.pk).exists() == (response.status_code != 204)


def test_bad_changes_write_nothing(cast, shared_states, client_for):
    event = shared_states["events"]["groupe"]
    client = client_for("author")
    url = f"/api/v1/groups/{SLUG}/events/{event.pk}/"
    before = Event.objects.get(pk=event.pk)
    earlier = (before.start - timedelta(days=1)).isoformat()
    for body, field in (
        ({"properties": {"end": earlier}}, "end"),
        ({"properties": {"couleur": "rouge"}}, "couleur"),
        ({"geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}, "geometry"),
        ({"properties": {"registration_url": "javascript:alert(1)"}}, "registration_url"),
        ({"properties": {"level": "partout"}}, "level"),
    ):
        response = client.patch(url, body, format="json")
        assert response.status_code == 400, body
        assert field in str(response.json()), response.json()
        after = Event.objects.get(pk=event.pk)
        assert (after.end, after.title, after.place, after.level) == (
            before.end,
            before.title,
            before.place,
            before.level,
        )


def test_only_the_author_changes_the_level(cast, shared_states, client_for):
    news = shared_states["news"]["groupe"]
    url = f"/api/v1/groups/{SLUG}/news/{news.pk}/"
    refused = client_for("animateur").patch(url, {"level": Level.PUBLIC}, format="json")
    assert refused.status_code == 400 and "level" in refused.json()
    assert NewsItem.objects.get(pk=news.pk).level == Level.GROUPE
    done = client_for("author").patch(url, {"level": Level.PUBLIC}, format="json")
    assert done.status_code == 200 and done.json()["level"] == Level.PUBLIC
    assert done.json()["validated"] is False  # the first share waits for an animateur


@pytest.mark.parametrize("actor", ("anonymous", "account", "lecteur", "contributeur", "author"))
def test_the_pages_edit_and_delete_as_the_rule_says(cast, shared_states, actor):
    client = Client()
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])
    news = shared_states["news"]["groupe"]
    base = f"/portails/{SLUG}/actualites/{news.pk}"
    detail = client.get(f"{base}/")
    editable = actor == "author"
    if actor in ("anonymous", "account"):
        assert detail.status_code == 404
    else:
        assert ("/modifier/" in detail.content.decode()) == editable
    response = client.post(
        f"{base}/modifier/",
        {
            "title": "Nouveau titre",
            "body": "Texte",
            "published_at": "2026-12-01T10:00",
            "level": Level.GROUPE,
        },
    )
    if actor == "anonymous":
        assert response.status_code == 302 and "/connexion/" in response["Location"]
    elif actor == "account":
        assert response.status_code == 404
    elif editable:
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    assert (NewsItem.objects.get(pk=news.pk).title == "Nouveau titre") == editable


def test_the_edit_form_shows_the_item_and_refuses_bad_input(cast, shared_states):
    client = Client()
    client.force_login(cast["author"])
    event = shared_states["events"]["communaute"]
    url = f"/portails/{SLUG}/agenda/{event.pk}/modifier/"
    form = client.get(url).content.decode()
    assert f'value="{event.title}"' in form and 'name="latitude"' in form
    assert f'value="{event.place.y}"' in form and 'value="communaute" selected' in form
    bad = client.post(
        url,
        {
            "title": "X",
            "start": "2027-01-02T10:00",
            "end": "2027-01-01T10:00",
            "level": Level.COMMUNAUTE,
            "latitude": "50.6",
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "longitude" in body and Event.objects.get(pk=event.pk).title == event.title


def test_delete_asks_then_deletes(cast, shared_states):
    client = Client()
    client.force_login(cast["animateur"])
    event = shared_states["events"]["public"]
    url = f"/portails/{SLUG}/agenda/{event.pk}/supprimer/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Supprimer définitivement" in confirm.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()
    done = client.post(url)
    assert done.status_code == 302 and done["Location"] == f"/portails/{SLUG}/agenda/"
    assert not Event.objects.filter(pk=event.pk).exists()
    private = shared_states["events"]["prive"]  # the animateur does not see it
    assert client.post(f"/portails/{SLUG}/agenda/{private.pk}/supprimer/").status_code == 404
