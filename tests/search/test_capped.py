"""Bounded candidate set: above ``SPASS["SEARCH_MAX_CANDIDATES"]`` matches, search ranks,
counts and facets the first N visible candidates, says « au moins N », and still never
counts or shows what the person may not see."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tests.conftest import ACTORS
from tests.factories import ResourceFactory
from tests.ui.matrix import STATES, client_for, expected_for, make_states
from workgroups.roles import Level

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap(settings):
    """A cap of 3 candidates for the test."""
    settings.SPASS = {**settings.SPASS, "SEARCH_MAX_CANDIDATES": 3}
    return 3


def _titles(response) -> list[str]:
    titles = re.findall(r'<h3><a href="/ressources/\d+/">(.*?)</a></h3>', response.content.decode())
    return [re.sub(r"</?mark>", "", t) for t in titles]


def _public(title: str, **fields):
    return ResourceFactory(title=title, level=Level.PUBLIC, validated_at=timezone.now(), **fields)


def test_above_the_cap_the_total_says_at_least_and_facets_count_the_candidates(client, cap):
    """Five matches, cap 3: three ranked results, « Au moins 3 », facets summing to 3, and
    the page says the counts are taken on the first results."""
    for n in range(5):
        _public(f"Moulin {n}")
    response = client.get("/recherche/", {"q": "moulin"})
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.total, result.capped) == (3, True)
    assert len(_titles(response)) == 3
    assert sum(row["count"] for row in result.facets["base"]) == 3
    assert sum(row["count"] for row in result.facets["kind"]) == 3
    body = response.content.decode()
    assert "Au moins 3 ressources trouvées" in body
    assert "Nombres comptés sur les 3 premiers résultats" in body
    assert not response.context["has_next"]
    english = client.get("/recherche/", {"q": "moulin"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "At least 3 resources found" in english.content.decode()


def test_below_the_cap_the_total_is_exact(client, cap):
    """Two matches under a cap of 3: an exact total and no « au moins »."""
    _public("Lavoir du bas")
    _public("Lavoir du haut")
    _public("Halle")
    response = client.get("/recherche/", {"q": "lavoir"})
    result = response.context["result"]
    assert (result.total, result.capped) == (2, False)
    assert "2 ressources trouvées" in response.content.decode()
    assert "Au moins" not in response.content.decode()


def test_a_chosen_filter_takes_its_own_candidates(client, cap):
    """A filter narrows before the cap: the three mediatheque matches are all found even
    though five observatoire matches come first, and the base facet still lists both."""
    for n in range(5):
        _public(f"Pont {n}")
    for n in range(2):
        _public(f"Pont article {n}", base="mediatheque", kind="article", geom=None)
    response = client.get("/recherche/", {"q": "pont", "base": "mediatheque"})
    result = response.context["result"]
    assert sorted(_titles(response)) == ["Pont article 0", "Pont article 1"]
    assert (result.total, result.capped) == (2, False)
    assert sum(row["count"] for row in result.facets["base"]) == 3
    assert {row["value"] for row in result.facets["base"]} <= {"observatoire", "mediatheque"}


def test_typo_fallback_is_capped(client, cap):
    """The trigram fallback reads at most the cap too, ranked by similarity."""
    for n in range(5):
        _public(f"Beffroi {n}")
    response = client.get("/recherche/", {"q": "beffroy"})
    result = response.context["result"]
    assert result.fuzzy
    assert (result.total, result.capped) == (3, True)
    assert all(t.startswith("Beffroi") for t in _titles(response)) and len(_titles(response)) == 3


def test_empty_query_lists_the_newest_visible(client, cap):
    """No text: the newest visible resources, capped."""
    made = [_public(f"Ferme {n}") for n in range(5)]
    ResourceFactory(title="Ferme privée", level=Level.UTILISATEUR)
    response = client.get("/recherche/")
    assert _titles(response) == [r.title for r in reversed(made)][:3]


@pytest.mark.parametrize("actor", ACTORS)
def test_capped_results_and_counts_never_include_hidden_resources(client, cast, actor, settings):
    """With a cap of 2 and invisible rows inserted first (so an unfiltered LIMIT would take
    them), each actor gets only visible resources; counts and facets add up to what is shown
    and hidden states appear nowhere in the page."""
    settings.SPASS = {**settings.SPASS, "SEARCH_MAX_CANDIDATES": 2}
    make_states(cast)
    expected = expected_for(actor)
    response = client_for(client, cast, actor).get("/recherche/", {"q": "clocher"})
    assert response.status_code == 200
    found = {t.removeprefix("Clocher ") for t in _titles(response)}
    result = response.context["result"]
    assert found <= expected
    assert len(found) == result.total == min(len(expected), 2)
    assert result.capped == (len(expected) >= 2)
    for facet in ("base", "kind", "group", "year", "departement"):
        assert sum(row["count"] for row in result.facets[facet]) <= result.total
    assert sum(row["count"] for row in result.facets["base"]) == result.total
    body = response.content.decode()
    for state in set(STATES) - expected:
        assert f"état {state}" not in body


def test_a_filter_with_no_match_does_not_switch_to_typo_fallback(client):
    """« beffroi » matches in the observatoire only: filtered on the médiathèque, the answer is
    no result, not the look-alike « Beffroy » title the typo fallback would find there."""
    _public("Beffroi de Douai")
    _public("Beffroy (article)", base="mediatheque", kind="article", geom=None)
    response = client.get("/recherche/", {"q": "beffroi", "base": "mediatheque"})
    result = response.context["result"]
    assert (result.total, result.fuzzy, _titles(response)) == (0, False, [])
