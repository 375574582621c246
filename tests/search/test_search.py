"""French full-text search at /recherche/: accents, plurals, typos, snippets, facets, and
the leak matrix on results and facet counts."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tests.conftest import ACTORS
from tests.factories import ResourceFactory
from tests.ui.matrix import STATES, client_for, expected_for, make_states
from workgroups.roles import Level

pytestmark = pytest.mark.django_db


def _public(**fields):
    return ResourceFactory(level=Level.PUBLIC, validated_at=timezone.now(), **fields)


def _titles(response) -> list[str]:
    return re.findall(r'<h3><a href="/ressources/\d+/">(.*?)</a></h3>', response.content.decode())


def _plain(html: str) -> str:
    return re.sub(r"</?mark>", "", html)


@pytest.mark.parametrize("actor", ACTORS)
def test_results_and_facet_counts_only_show_visible_resources(client, cast, actor):
    """Each actor finds exactly the resources the sharing rule lets them see, and the total
    and every facet count agree with that set."""
    make_states(cast)
    expected = expected_for(actor)
    response = client_for(client, cast, actor).get("/recherche/", {"q": "clocher"})
    assert response.status_code == 200
    found = {_plain(t).removeprefix("Clocher ") for t in _titles(response)}
    assert found == expected
    result = response.context["result"]
    assert result.total == len(expected)
    for facet in ("base", "kind", "group"):
        assert sum(row["count"] for row in result.facets[facet]) == len(expected)
    hidden = set(STATES) - expected
    body = response.content.decode()
    for state in hidden:
        assert f"état {state}" not in body


def test_accents_and_plurals_are_ignored(client):
    """« église » finds « Eglises » and « clochers » finds « clocher », with <mark>."""
    _public(title="Eglises romanes du Nord", summary="Les églises de pierre.")
    _public(title="Un clocher tors", summary="Rare.")
    response = client.get("/recherche/", {"q": "église"})
    assert [_plain(t) for t in _titles(response)] == ["Eglises romanes du Nord"]
    assert "<mark>Eglises</mark>" in response.content.decode()
    response = client.get("/recherche/", {"q": "clochers"})
    assert [_plain(t) for t in _titles(response)] == ["Un clocher tors"]


def test_ranking_puts_title_matches_first(client):
    """A match in the title ranks above a match in the description only."""
    _public(title="Maison de ville", description="Près du moulin à eau.")
    _public(title="Moulin à vent", description="")
    titles = [_plain(t) for t in _titles(client.get("/recherche/", {"q": "moulin"}))]
    assert titles == ["Moulin à vent", "Maison de ville"]


def test_typos_fall_back_to_trigram_similarity(client):
    """No full-text match for « beffroy »: the closest titles are proposed, and said so."""
    _public(title="Beffroi de Lille")
    _public(title="Halle aux grains")
    response = client.get("/recherche/", {"q": "beffroy"})
    assert [_plain(t) for t in _titles(response)] == ["Beffroi de Lille"]
    assert "fautes de frappe tolérées" in response.content.decode()


def test_typo_fallback_respects_visibility(client, cast):
    """The trigram fallback starts from the visible resources too."""
    make_states(cast, word="Beffroi")
    response = client.get("/recherche/", {"q": "beffroy"})
    assert {_plain(t) for t in _titles(response)} == {"Beffroi public-valide"}


def test_snippets_are_escaped(client):
    """Text from resources is escaped; only the highlight marks are HTML."""
    _public(title="Lavoir <i>x</i>", summary="Lavoir & fontaine <img src=x onerror=alert(1)>")
    body = client.get("/recherche/", {"q": "lavoir"}).content.decode()
    assert "<img" not in body
    assert "<i>x" not in body
    assert "&amp; fontaine" in body
    assert "<mark>Lavoir</mark>" in body


def test_facet_filter_narrows_results_and_keeps_other_values(client):
    """Choosing a base keeps only its resources; the base facet still lists the others."""
    _public(title="Pont ancien")
    _public(title="Pont (article)", base="mediatheque", kind="article", geom=None)
    response = client.get("/recherche/", {"q": "pont", "base": "mediatheque"})
    assert [_plain(t) for t in _titles(response)] == ["Pont (article)"]
    bases = {row["value"]: row["count"] for row in response.context["result"].facets["base"]}
    assert bases == {"observatoire": 1, "mediatheque": 1}


def test_departement_and_year_facets(client, territories):
    """Département comes from the geometry (else the typed INSEE code), year from the start
    date; overseas départements are 971…976, labelled by name."""
    import datetime

    from django.contrib.gis.geos import Point

    _public(title="Ferme A", date_start=datetime.date(2020, 5, 1))  # in Lille
    _public(
        title="Ferme B",
        geom=None,
        attributes={"commune_insee": "62041"},
        date_start=datetime.date(2021, 1, 1),
    )
    _public(title="Ferme C", geom=Point(55.4481, -20.8823, srid=4326))  # Saint-Denis
    _public(title="Ferme D", geom=Point(-61.53, 16.24, srid=4326))  # Guadeloupe
    response = client.get("/recherche/", {"q": "ferme", "departement": "62"})
    assert [_plain(t) for t in _titles(response)] == ["Ferme B"]
    facets = response.context["result"].facets
    assert {r["value"]: r["count"] for r in facets["departement"]} == {
        "59": 1,
        "62": 1,
        "971": 1,
        "974": 1,
    }
    labels = {r["value"]: r["label"] for r in facets["departement"]}
    assert labels["974"] == "La Réunion (974)"
    assert {r["value"]: r["count"] for r in facets["year"]} == {2021: 1}
    response = client.get("/recherche/", {"q": "ferme", "departement": "974"})
    assert [_plain(t) for t in _titles(response)] == ["Ferme C"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"type": "fusee"}, "type"),
        ({"base": "autre"}, "base"),
        ({"annee": "deux-mille"}, "annee"),
        ({"filtre": "title ==="}, "filtre"),
        ({"page": "x"}, "page"),
    ],
)
def test_bad_parameters_get_a_french_400(client, params, name):
    """A bad parameter is a 400 naming it, in French, never a 500."""
    response = client.get("/recherche/", {"q": "x", **params})
    assert response.status_code == 400
    assert name in response.context["errors"]
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("level", ["groupe", "public"])
def test_cql2_filter_is_combined_with_visibility(client, cast, actor, level):
    """The maps' CQL2 filter narrows the visible set, never widens it: each actor finds
    exactly the visible states at that level (members find the group's, anonymous none)."""
    make_states(cast)
    response = client_for(client, cast, actor).get(
        "/recherche/", {"q": "clocher", "filtre": f"level = '{level}'"}
    )
    assert response.status_code == 200
    found = {_plain(t).removeprefix("Clocher ") for t in _titles(response)}
    expected = {s for s in expected_for(actor) if STATES[s][0] == level}
    assert found == expected
    if (actor, level) in {("lecteur", "groupe"), ("anonymous", "public")}:
        assert found  # positive controls: the filter does not simply empty the answer


#: Per state: (year of date_start, commune INSEE code) — distinct years, two départements.
FACETED = {
    "privee": (2010, "59350"),
    "groupe": (2011, "62041"),
    "communaute-attente": (2012, "59350"),
    "communaute-validee": (2013, "62041"),
    "public-attente": (2014, "59009"),
    "public-valide": (2015, "62041"),
}


@pytest.mark.parametrize("actor", ACTORS)
def test_year_and_departement_facets_count_exactly_what_the_actor_sees(
    client, cast, actor, territories
):
    """Year and département facets equal a count made here from the sharing table (not only
    ≤ the total): a hidden state's year never shows, a visible one always does."""
    import datetime
    from collections import Counter

    from observatoire.models import Resource

    for state, resource in make_states(cast).items():
        year, insee = FACETED[state]
        Resource.objects.filter(pk=resource.pk).update(
            date_start=datetime.date(year, 6, 1),
            geom=None,
            attributes={**resource.attributes, "commune_insee": insee},
        )
    visible = expected_for(actor)
    response = client_for(client, cast, actor).get("/recherche/", {"q": "clocher"})
    facets = response.context["result"].facets
    years = {r["value"]: r["count"] for r in facets["year"]}
    departements = {r["value"]: r["count"] for r in facets["departement"]}
    assert years == dict(Counter(FACETED[s][0] for s in visible))
    assert departements == dict(Counter(FACETED[s][1][:2] for s in visible))
    assert years  # every actor sees at least the public, validated state
