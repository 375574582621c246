"""Who reads a resource's history, page and API, for each actor of the cast and each of the
six sharing states: 404 when the one rule hides the resource, 403 when it is seen but not
editable, the versions otherwise; restoring is the animateur's alone. The tables are written
out, and checked against ``visible_to`` / ``editable_by`` themselves."""

from __future__ import annotations

import pytest
from django.test import Client

from history.services import versions_of
from observatoire.models import Resource

from ..api.conftest import EXPECTED_VISIBLE, STATES
from ..conftest import ACTORS

pytestmark = pytest.mark.django_db

#: Who may edit (and so read the history of) each state: the author, the animateur (not
#: the private one).
EXPECTED_EDITABLE = {
    **{actor: set() for actor in ACTORS},
    "author": set(STATES),
    "animateur": set(STATES) - {"prive"},
}


def _expected(actor: str, state: str) -> int:
    if state not in EXPECTED_VISIBLE[actor]:
        return 404
    return 200 if state in EXPECTED_EDITABLE[actor] else 403


def _page_client(cast, actor: str) -> Client:
    client = Client()
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])
    return client


@pytest.mark.parametrize("actor", ACTORS)
def test_history_page_and_api(cast, states, client_for, actor):
    page = _page_client(cast, actor)
    api = client_for(actor)
    for state, resource in states.items():
        rule = Resource.objects.filter(pk=resource.pk)
        assert rule.visible_to(cast[actor]).exists() == (state in EXPECTED_VISIBLE[actor])
        assert rule.editable_by(cast[actor]).exists() == (state in EXPECTED_EDITABLE[actor])
        expected = _expected(actor, state)
        got = page.get(f"/ressources/{resource.pk}/historique/")
        assert got.status_code == expected, (state, got.status_code)
        if expected == 200:
            assert resource.title in got.content.decode()
        else:
            assert resource.title not in got.content.decode()
        answer = api.get(f"/api/v1/resources/{resource.pk}/history/")
        api_expected = 401 if not cast[actor].is_authenticated else expected
        if api_expected == 401:
            assert answer.status_code in (401, 403)
        else:
            assert answer.status_code == api_expected, (state, answer.status_code)
        if expected == 200:
            assert [v["action"] for v in answer.json()["results"]] == ["insert"]


@pytest.mark.parametrize("actor", ACTORS)
def test_restore_is_the_animateurs(cast, states, client_for, actor):
    api = client_for(actor)
    for state, resource in states.items():
        old = resource.title
        Resource.objects.filter(pk=resource.pk).update(title=f"{old} modifiée")
        first = versions_of(resource).last()
        answer = api.post(f"/api/v1/resources/{resource.pk}/history/{first.pgh_id}/restore/")
        if state not in EXPECTED_VISIBLE[actor]:
            expected = 404
        elif actor == "animateur" and state != "prive":
            expected = 201
        else:
            expected = 403
        if not cast[actor].is_authenticated:
            assert answer.status_code in (401, 403)
        else:
            assert answer.status_code == expected, (state, answer.status_code)
        title = Resource.objects.get(pk=resource.pk).title
        assert title == (old if expected == 201 else f"{old} modifiée")
