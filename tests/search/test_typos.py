"""Typo fallback through the dictionary of title words: kept up to date by PostgreSQL, used
only to build a query on what the person may see (private titles leak nothing), every word
corrected."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.utils import timezone

from observatoire.models import Resource
from tests.conftest import ACTORS
from tests.factories import ResourceFactory
from tests.ui.matrix import STATES, client_for, expected_for, make_states
from workgroups.roles import Level

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    titles = re.findall(r'<h3><a href="/ressources/\d+/">(.*?)</a></h3>', response.content.decode())
    return [re.sub(r"</?mark>", "", t) for t in titles]


def _public(title: str, **fields):
    return ResourceFactory(title=title, level=Level.PUBLIC, validated_at=timezone.now(), **fields)


def _dictionary() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM observatoire_title_word")
        return {word for (word,) in cursor.fetchall()}


def test_dictionary_follows_inserts_and_title_changes():
    """Words of 3 letters or more, unaccented and lower-cased, without digits, from created,
    bulk-created and renamed resources."""
    resource = _public("Église Saint-Éloi n° 12")
    assert {"eglise", "saint", "eloi"} <= _dictionary()
    assert not {"12", "n"} & _dictionary()
    Resource.objects.filter(pk=resource.pk).update(title="Pigeonnier du Crotoy")
    assert {"pigeonnier", "crotoy"} <= _dictionary()


def test_every_word_is_corrected(client):
    """« beffroy arras »: both words must match once corrected, so Lille's belfry is not
    proposed."""
    _public("Beffroi à Arras")
    _public("Beffroi de Lille")
    response = client.get("/recherche/", {"q": "beffroy arras"})
    assert response.context["result"].fuzzy
    assert _titles(response) == ["Beffroi à Arras"]
    assert "<mark>Beffroi</mark>" in response.content.decode()


def test_a_word_without_close_title_word_finds_nothing(client):
    """No dictionary word is close to « zqxw »: no result, no error."""
    _public("Beffroi de Lille")
    response = client.get("/recherche/", {"q": "beffroy zqxw"})
    assert response.status_code == 200
    assert (response.context["result"].total, _titles(response)) == (0, [])


@pytest.mark.parametrize("actor", ACTORS)
def test_typo_fallback_finds_only_visible_resources(client, cast, actor):
    """« pigeonier » (one n) is corrected with the words of every title, private ones
    included, yet each actor only finds the states the sharing rule shows them, and the
    facet counts agree."""
    make_states(cast, word="Pigeonnier")
    expected = expected_for(actor)
    response = client_for(client, cast, actor).get("/recherche/", {"q": "pigeonier"})
    assert response.status_code == 200
    result = response.context["result"]
    assert result.fuzzy
    assert {t.removeprefix("Pigeonnier ") for t in _titles(response)} == expected
    assert result.total == sum(row["count"] for row in result.facets["base"]) == len(expected)
    body = response.content.decode()
    for state in set(STATES) - expected:
        assert f"état {state}" not in body


def test_private_title_words_are_not_revealed(client, cast):
    """A word that only a private title holds corrects the typo, but the anonymous page shows
    neither the word nor the resource."""
    ResourceFactory(title="Colombier secret", level=Level.UTILISATEUR, author=cast["author"])
    response = client.get("/recherche/", {"q": "colombiere"})
    assert response.context["result"].total == 0
    assert "colombier" not in response.content.decode().lower().replace("colombiere", "")
