"""Heritage crossing on the real Mérimée sample of the Bas-Rhin (read in place, imported with
the real importer): API filter ``near_heritage``, monuments listed on a resource page, index."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.utils import timezone

from importers.engine import run_import
from importers.sources.merimee import MerimeeSource
from observatoire.heritage import monuments_near, near_heritage_q
from observatoire.models import Resource
from workgroups.roles import Level

from ..factories import ResourceFactory
from .conftest import MERIMEE_FILES

#: 40 m north-east of the façade of the cathedral of Strasbourg
NEXT_TO_CATHEDRAL = Point(7.7513, 48.5822, srid=4326)
#: Paris: no monument of the Bas-Rhin within kilometres
PARIS = Point(2.3522, 48.8566, srid=4326)


def _public(cast, title: str, geom: Point) -> Resource:
    return ResourceFactory(
        title=title,
        kind="realisation",
        geom=geom,
        group=cast.group,
        author=cast["author"],
        level=Level.PUBLIC,
        validated_at=timezone.now(),
        validated_by=cast["animateur"],
    )


@pytest.fixture
def crossing(heritage, cast):
    """The Bas-Rhin monuments, two public réalisations (Strasbourg, Paris) and a private
    'monument' next to the Paris one that only its author sees."""
    group, animateur = heritage
    job, _report = run_import(MerimeeSource(MERIMEE_FILES["2022"]), actor=animateur, group=group)
    assert job.created > 100
    hidden = ResourceFactory(
        title="Monument privé",
        source="merimee",
        source_id="PAPRIVE",
        geom=Point(2.3524, 48.8567, srid=4326),
        group=cast.group,
        author=cast["author"],
        level=Level.UTILISATEUR,
    )
    return {
        "strasbourg": _public(cast, "Réalisation place de la Cathédrale", NEXT_TO_CATHEDRAL),
        "paris": _public(cast, "Réalisation à Paris", PARIS),
        "hidden": hidden,
    }


def _titles(client, query: str) -> set[str]:
    response = client.get(f"/api/v1/resources/?kind=realisation&{query}")
    assert response.status_code == 200, response.content
    return {f["properties"]["title"] for f in response.json()["features"]}


def test_monuments_near_the_cathedral_nearest_first(crossing, cast):
    """The réalisation beside the cathedral has the cathedral among its monuments within
    500 m, at a true geodesic distance, nearest first; the Paris one has none visible."""
    near = list(monuments_near(crossing["strasbourg"], cast["anonymous"]))
    titles = [m.title for m in near]
    assert "Cathédrale Notre-Dame" in titles
    cathedral = near[titles.index("Cathédrale Notre-Dame")]
    assert cathedral.distance < 150
    assert [m.distance for m in near] == sorted(m.distance for m in near)
    assert all(m.distance <= 500 for m in near)
    assert list(monuments_near(crossing["paris"], cast["anonymous"])) == []
    assert [m.title for m in monuments_near(crossing["paris"], cast["author"])] == [
        "Monument privé"
    ]


def test_api_near_heritage_filter(crossing, client):
    """``near_heritage=METRES`` keeps the resources that close to a visible monument; empty
    means 500 m; a private monument makes nothing match, whoever asks."""
    assert _titles(client, "near_heritage=500") == {"Réalisation place de la Cathédrale"}
    assert _titles(client, "near_heritage=") == {"Réalisation place de la Cathédrale"}
    assert _titles(client, "near_heritage=10") == set()
    client.force_login(crossing["hidden"].author)
    assert _titles(client, "near_heritage=1000") == {"Réalisation place de la Cathédrale"}


@pytest.mark.parametrize("value", ["abc", "-5", "0", "1e9", "nan"])
def test_api_near_heritage_bad_value_is_400_naming_it(crossing, client, value):
    """A value that is not a distance in metres answers 400 keyed by the parameter."""
    response = client.get(f"/api/v1/resources/?near_heritage={value}")
    assert response.status_code == 400
    assert "near_heritage" in response.json()


def test_resource_page_lists_visible_monuments_only(crossing, client, cast):
    """The page of a resource lists the monuments around it with their distance, and never a
    monument the reader cannot see."""
    page = client.get(f"/ressources/{crossing['strasbourg'].pk}/").content.decode()
    assert "Monuments historiques à moins de 500 m" in page
    assert "Cathédrale Notre-Dame" in page
    page = client.get(f"/ressources/{crossing['paris'].pk}/").content.decode()
    assert "Monument privé" not in page
    client.force_login(cast["author"])
    page = client.get(f"/ressources/{crossing['paris'].pk}/").content.decode()
    assert "Monument privé" in page


def test_crossing_uses_the_geography_index(crossing):
    """The monuments are found through the partial GiST index on ``geom::geography``."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE observatoire_resource")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Resource.objects.filter(near_heritage_q(500)).explain()
    assert "resource_merimee_geog" in plan, plan
    plan = monuments_near(crossing["strasbourg"], None).explain()
    assert "resource_merimee_geog" in plan, plan


def test_heritage_distance_in_cql2_everywhere(crossing, cast, client):
    """« Patrimoine à N m » is one CQL2 condition, ``heritage_distance <= N``: the same answer
    in REST, the OGC API and a map's panel, and a hidden monument counts for no one."""
    from layers.filters import SimpleFilter, from_cql2

    cql = "kind = 'realisation' AND heritage_distance <= 500"
    assert _titles(client, "filter=" + cql) == {"Réalisation place de la Cathédrale"}
    ogc = client.get(
        "/ogc/collections/observatoire/items", {"f": "json", "filter": cql, "limit": 50}
    )
    assert ogc.status_code == 200, ogc.content
    assert {f["properties"]["title"] for f in ogc.json()["features"]} == {
        "Réalisation place de la Cathédrale"
    }
    # the private « monument » beside the Paris réalisation does not count, even for its author
    client.force_login(cast["author"])
    assert _titles(client, "filter=" + cql) == {"Réalisation place de la Cathédrale"}
    panel = SimpleFilter(kinds=["realisation"], heritage=500)
    assert panel.to_cql2() == "kind IN ('realisation') AND heritage_distance <= 500"
    assert from_cql2(panel.to_cql2()).heritage == 500


@pytest.mark.parametrize(
    "cql",
    [
        "heritage_distance > 500",
        "heritage_distance <= 0",
        "heritage_distance <= 60000",
        "heritage_distance <= 'loin'",
        "heritage_distance IN (1, 2)",
    ],
)
def test_heritage_distance_misused_is_a_french_400(cql, client, db):
    response = client.get("/api/v1/resources/", {"filter": cql})
    assert response.status_code == 400
    assert "heritage_distance se compare avec < ou <=" in response.content.decode()
